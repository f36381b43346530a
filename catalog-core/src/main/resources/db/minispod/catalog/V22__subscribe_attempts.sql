-- Issue 12: the business analytics.
--
-- Every subscribe request, one row per request (a user's idempotency key), whatever became of it:
-- a request refused before anything else was kept (a duplicate, a full plan, a cluster without the
-- resources, an inactive or unknown plan) has its row here and nowhere else. A request that started
-- its workflow is written in the transaction that starts it, with no outcome yet; the workflow's
-- last commit (its finish or its undo) records the outcome. A retry of the same key writes no second
-- row: the latest answer to the request is its outcome.
CREATE TABLE minispod_catalog.subscribe_attempt (
    user_id         varchar(200)             NOT NULL,
    idempotency_key varchar(200)             NOT NULL,
    service_id      uuid                     NOT NULL,
    -- The plan asked for, as asked (an unknown plan has no id).
    plan_slug       varchar(63)              NOT NULL,
    plan_id         uuid,
    subscription_id uuid,
    -- Null while the request's workflow runs; then true, or false with the failure's code.
    succeeded       boolean,
    failure_code    varchar(32),
    created_at      timestamp with time zone NOT NULL,
    decided_at      timestamp with time zone,
    CONSTRAINT subscribe_attempt_pk PRIMARY KEY (user_id, idempotency_key),
    CONSTRAINT subscribe_attempt_service_fk FOREIGN KEY (service_id) REFERENCES minispod_catalog.service (service_id)
);

CREATE INDEX subscribe_attempt_created_idx ON minispod_catalog.subscribe_attempt (created_at);

-- What the health monitor measured of each instance, one row per check that read its usage, as
-- shares of the limits the instance had then (1.0 is the whole limit), under the plan it was on.
-- Written in batches by the health rounds, and kept for a retention window only: each round
-- deletes the samples older than that.
CREATE TABLE minispod_catalog.usage_sample (
    sample_id     bigint GENERATED ALWAYS AS IDENTITY,
    instance_id   uuid                     NOT NULL,
    plan_id       uuid                     NOT NULL,
    sampled_at    timestamp with time zone NOT NULL,
    cpu_ratio     double precision         NOT NULL,
    memory_ratio  double precision         NOT NULL,
    storage_ratio double precision         NOT NULL,
    CONSTRAINT usage_sample_pk PRIMARY KEY (sample_id)
);

CREATE INDEX usage_sample_sampled_idx ON minispod_catalog.usage_sample (sampled_at);
CREATE INDEX usage_sample_plan_idx ON minispod_catalog.usage_sample (plan_id, sampled_at);

-- The analytics read workflows by kind and status over time (plan changes, cancels).
CREATE INDEX workflow_kind_updated_idx ON minispod_catalog.workflow (kind, status, updated_at);
