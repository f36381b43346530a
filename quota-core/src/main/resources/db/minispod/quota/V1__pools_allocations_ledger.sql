-- quota-core: capacity pools, all-or-nothing allocations and the append-only ledger.
-- Flyway runs this with minispod_quota as its schema; names are qualified so jOOQ's code
-- generator (which reads this file, creating the schema itself) places the tables there.


CREATE TABLE minispod_quota.pool (
    pool_key    varchar(200)             NOT NULL,
    capacity    bigint                   NOT NULL,
    used        bigint                   NOT NULL DEFAULT 0,
    created_at  timestamp with time zone NOT NULL,
    updated_at  timestamp with time zone NOT NULL,
    CONSTRAINT pool_pk PRIMARY KEY (pool_key),
    CONSTRAINT pool_capacity_not_negative CHECK (capacity >= 0),
    -- The last line of defence against over-allocation, whatever the code does.
    CONSTRAINT pool_used_within_capacity CHECK (used >= 0 AND used <= capacity)
);

CREATE TABLE minispod_quota.allocation (
    allocation_id       uuid                     NOT NULL,
    owner               varchar(200)             NOT NULL,
    idempotency_key     varchar(200)             NOT NULL,
    request_fingerprint varchar(64)              NOT NULL,
    status              varchar(16)              NOT NULL,
    expires_at          timestamp with time zone,
    created_at          timestamp with time zone NOT NULL,
    updated_at          timestamp with time zone NOT NULL,
    CONSTRAINT allocation_pk PRIMARY KEY (allocation_id),
    CONSTRAINT allocation_idempotency_key_unique UNIQUE (idempotency_key),
    CONSTRAINT allocation_status_known CHECK (status IN ('PENDING', 'CONFIRMED', 'RELEASED', 'EXPIRED')),
    CONSTRAINT allocation_pending_expires CHECK ((status = 'PENDING') = (expires_at IS NOT NULL) OR status IN ('RELEASED', 'EXPIRED'))
);

CREATE INDEX allocation_owner_idx ON minispod_quota.allocation (owner);

/* [jooq ignore start] */
CREATE INDEX allocation_pending_expiry_idx ON minispod_quota.allocation (expires_at) WHERE status = 'PENDING';
/* [jooq ignore stop] */

CREATE TABLE minispod_quota.allocation_item (
    allocation_id uuid         NOT NULL,
    pool_key      varchar(200) NOT NULL,
    amount        bigint       NOT NULL,
    CONSTRAINT allocation_item_pk PRIMARY KEY (allocation_id, pool_key),
    CONSTRAINT allocation_item_allocation_fk FOREIGN KEY (allocation_id) REFERENCES minispod_quota.allocation (allocation_id),
    CONSTRAINT allocation_item_pool_fk FOREIGN KEY (pool_key) REFERENCES minispod_quota.pool (pool_key),
    CONSTRAINT allocation_item_amount_positive CHECK (amount > 0)
);

CREATE INDEX allocation_item_pool_idx ON minispod_quota.allocation_item (pool_key);

CREATE TABLE minispod_quota.ledger_entry (
    entry_id      bigint GENERATED ALWAYS AS IDENTITY,
    pool_key      varchar(200)             NOT NULL,
    allocation_id uuid,
    delta         bigint                   NOT NULL,
    reason        varchar(16)              NOT NULL,
    recorded_at   timestamp with time zone NOT NULL,
    CONSTRAINT ledger_entry_pk PRIMARY KEY (entry_id),
    CONSTRAINT ledger_entry_pool_fk FOREIGN KEY (pool_key) REFERENCES minispod_quota.pool (pool_key),
    CONSTRAINT ledger_entry_reason_known CHECK (reason IN ('ALLOCATE', 'RELEASE', 'EXPIRE', 'SWAP_OUT', 'SWAP_IN', 'REPAIR'))
);

CREATE INDEX ledger_entry_pool_idx ON minispod_quota.ledger_entry (pool_key);
