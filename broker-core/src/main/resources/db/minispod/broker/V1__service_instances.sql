-- broker-core: the Open Service Broker API's service instances. The platform chooses an
-- instance's id; this table maps it to the subscription that provisioning it created, and
-- remembers what the platform asked for (the request fingerprint, for the spec's idempotency
-- rules) and the operation last started on it (for last_operation and concurrency errors).
-- Flyway runs this with minispod_broker as its schema; names are qualified so jOOQ's code
-- generator (which reads this file) places the table in the same schema.

CREATE TABLE minispod_broker.service_instance (
    instance_id         varchar(200)             NOT NULL,
    -- Raised when the platform provisions the id again after its earlier instance failed or was
    -- deprovisioned; part of the idempotency key of the subscribe, so each attempt is new.
    attempt             integer                  NOT NULL,
    -- The subscription's user, derived from the provision request (see docs/broker.md).
    owner_id            varchar(150)             NOT NULL,
    service_id          uuid                     NOT NULL,
    -- The plan the platform provisioned with (an update moves the subscription, not this).
    plan_id             uuid                     NOT NULL,
    request_fingerprint varchar(64)              NOT NULL,
    subscription_id     uuid,
    -- The operation last started on the instance, and the plan it asked for.
    operation_id        uuid,
    operation_plan_id   uuid,
    created_at          timestamp with time zone NOT NULL,
    updated_at          timestamp with time zone NOT NULL,
    CONSTRAINT service_instance_pk PRIMARY KEY (instance_id),
    CONSTRAINT service_instance_subscription_unique UNIQUE (subscription_id),
    CONSTRAINT service_instance_attempt_positive CHECK (attempt >= 1)
);
