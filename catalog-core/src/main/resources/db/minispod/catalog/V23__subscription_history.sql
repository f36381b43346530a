-- A subscription's status transitions, for its owner to read (GET …/subscriptions/{id}/history):
-- activated, past due after a declined renewal, suspended, active again, cancelled or failed. Written
-- in the transaction that moves the subscription, from the status it had.
CREATE TABLE minispod_catalog.subscription_transition (
    transition_id   bigint GENERATED ALWAYS AS IDENTITY,
    subscription_id uuid                     NOT NULL,
    from_status     varchar(16)              NOT NULL,
    to_status       varchar(16)              NOT NULL,
    reason          varchar(300)             NOT NULL,
    recorded_at     timestamp with time zone NOT NULL,
    CONSTRAINT subscription_transition_pk PRIMARY KEY (transition_id),
    CONSTRAINT subscription_transition_subscription_fk
        FOREIGN KEY (subscription_id) REFERENCES minispod_catalog.subscription (subscription_id)
);

CREATE INDEX subscription_transition_subscription_idx
    ON minispod_catalog.subscription_transition (subscription_id, recorded_at);
