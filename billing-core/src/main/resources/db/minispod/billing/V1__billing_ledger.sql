-- billing-core: the billing ledger. One row per line (a charge, the two lines of a proration, a
-- refund); a line is written PENDING before the payment gateway is called and settled once the
-- gateway has answered, so a crash in between leaves a visible, resumable line.
-- Flyway runs this with minispod_billing as its schema; names are qualified so jOOQ's code
-- generator (which reads this file) places the tables in the same schema.


CREATE TABLE minispod_billing.ledger_line (
    line_id             uuid                     NOT NULL,
    -- Orders lines written at the same clock instant (the two lines of one proration).
    seq                 bigint GENERATED ALWAYS AS IDENTITY,
    account_id          varchar(200)             NOT NULL,
    line_type           varchar(24)              NOT NULL,
    -- Signed minor units: charges are >= 0, credits and refunds <= 0.
    amount              bigint                   NOT NULL,
    currency            varchar(3)               NOT NULL,
    reference_id        varchar(200)             NOT NULL,
    period_start        timestamp with time zone NOT NULL,
    period_end          timestamp with time zone NOT NULL,
    status              varchar(16)              NOT NULL,
    payment_id          varchar(200),
    failure_reason      varchar(500),
    description         varchar(500),
    idempotency_key     varchar(200)             NOT NULL,
    request_fingerprint varchar(64)              NOT NULL,
    -- A proration credit points at its proration charge; a refund at the line it refunds.
    related_line_id     uuid,
    created_at          timestamp with time zone NOT NULL,
    settled_at          timestamp with time zone,
    CONSTRAINT ledger_line_pk PRIMARY KEY (line_id),
    CONSTRAINT ledger_line_idempotency_key_unique UNIQUE (idempotency_key),
    CONSTRAINT ledger_line_related_fk FOREIGN KEY (related_line_id) REFERENCES minispod_billing.ledger_line (line_id),
    CONSTRAINT ledger_line_type_known CHECK (line_type IN ('CHARGE', 'PRORATION_CREDIT', 'PRORATION_CHARGE', 'REFUND')),
    CONSTRAINT ledger_line_status_known CHECK (status IN ('PENDING', 'PAID', 'CREDITED', 'REFUNDED', 'DECLINED', 'FAILED')),
    CONSTRAINT ledger_line_amount_sign CHECK (
        (line_type IN ('CHARGE', 'PRORATION_CHARGE') AND amount >= 0)
        OR (line_type IN ('PRORATION_CREDIT', 'REFUND') AND amount <= 0)),
    CONSTRAINT ledger_line_period_ordered CHECK (period_start <= period_end)
);

CREATE INDEX ledger_line_account_idx ON minispod_billing.ledger_line (account_id, created_at, seq);
CREATE INDEX ledger_line_reference_idx ON minispod_billing.ledger_line (reference_id, period_end);
CREATE INDEX ledger_line_related_idx ON minispod_billing.ledger_line (related_line_id);
CREATE INDEX ledger_line_payment_idx ON minispod_billing.ledger_line (payment_id);
CREATE INDEX ledger_line_settled_idx ON minispod_billing.ledger_line (settled_at);

/* [jooq ignore start] */
CREATE INDEX ledger_line_pending_idx ON minispod_billing.ledger_line (created_at) WHERE status = 'PENDING';
/* [jooq ignore stop] */

-- The tags of a line's reference (service, plan, …), by which revenue is totalled.
CREATE TABLE minispod_billing.line_tag (
    line_id   uuid         NOT NULL,
    tag_key   varchar(100) NOT NULL,
    tag_value varchar(200) NOT NULL,
    CONSTRAINT line_tag_pk PRIMARY KEY (line_id, tag_key),
    CONSTRAINT line_tag_line_fk FOREIGN KEY (line_id) REFERENCES minispod_billing.ledger_line (line_id)
);

CREATE INDEX line_tag_key_value_idx ON minispod_billing.line_tag (tag_key, tag_value);

-- Upgrades of one account's reference run one at a time: each locks this row first (creating it
-- if needed) and only then reads the reference's lines, so it sees every line the previous upgrade
-- wrote and never credits the same payment twice.
CREATE TABLE minispod_billing.reference_lock (
    account_id   varchar(200) NOT NULL,
    reference_id varchar(200) NOT NULL,
    CONSTRAINT reference_lock_pk PRIMARY KEY (account_id, reference_id)
);
