-- catalog-core, part 2: subscriptions, their instances, and the persisted workflows that carry a
-- subscription through payment and provisioning (and back, when a step fails).

CREATE TABLE minispod_catalog.subscription (
    subscription_id uuid                     NOT NULL,
    user_id         varchar(200)             NOT NULL,
    service_id      uuid                     NOT NULL,
    plan_id         uuid                     NOT NULL,
    status          varchar(16)              NOT NULL,
    failure_code    varchar(32),
    failure_reason  varchar(500),
    period_start    timestamp with time zone NOT NULL,
    period_end      timestamp with time zone NOT NULL,
    allocation_id   uuid,
    amount_paid     bigint                   NOT NULL,
    currency        varchar(3)               NOT NULL,
    idempotency_key varchar(200)             NOT NULL,
    version         integer                  NOT NULL,
    created_at      timestamp with time zone NOT NULL,
    updated_at      timestamp with time zone NOT NULL,
    CONSTRAINT subscription_pk PRIMARY KEY (subscription_id),
    CONSTRAINT subscription_service_fk FOREIGN KEY (service_id) REFERENCES minispod_catalog.service (service_id),
    CONSTRAINT subscription_plan_fk FOREIGN KEY (plan_id) REFERENCES minispod_catalog.plan (plan_id),
    CONSTRAINT subscription_idempotency_unique UNIQUE (user_id, idempotency_key),
    CONSTRAINT subscription_status_known CHECK (status IN ('PENDING', 'ACTIVE', 'FAILED', 'CANCELLED')),
    CONSTRAINT subscription_amount_paid_not_negative CHECK (amount_paid >= 0),
    CONSTRAINT subscription_period_ordered CHECK (period_end > period_start)
);

CREATE INDEX subscription_user_idx ON minispod_catalog.subscription (user_id);
CREATE INDEX subscription_plan_idx ON minispod_catalog.subscription (plan_id);

/* [jooq ignore start] */
-- At most one live subscription per user and service, enforced by the database so that
-- concurrent duplicates fail however they interleave.
CREATE UNIQUE INDEX subscription_one_live_per_service
    ON minispod_catalog.subscription (user_id, service_id)
    WHERE status IN ('PENDING', 'ACTIVE');
/* [jooq ignore stop] */

CREATE TABLE minispod_catalog.instance (
    instance_id        uuid                     NOT NULL,
    subscription_id    uuid                     NOT NULL,
    user_id            varchar(200)             NOT NULL,
    subdomain          varchar(63)              NOT NULL,
    namespace          varchar(63),
    status             varchar(16)              NOT NULL,
    url                varchar(300),
    cpu_millicores     integer                  NOT NULL,
    memory_mib         integer                  NOT NULL,
    storage_gib        integer                  NOT NULL,
    health_checked_at  timestamp with time zone,
    health_ok          boolean,
    health_detail      varchar(300),
    health_streak      integer                  NOT NULL,
    usage_cpu          bigint,
    usage_memory       bigint,
    usage_storage      double precision,
    usage_at           timestamp with time zone,
    created_at         timestamp with time zone NOT NULL,
    updated_at         timestamp with time zone NOT NULL,
    CONSTRAINT instance_pk PRIMARY KEY (instance_id),
    CONSTRAINT instance_subscription_unique UNIQUE (subscription_id),
    CONSTRAINT instance_subdomain_unique UNIQUE (subdomain),
    CONSTRAINT instance_subscription_fk FOREIGN KEY (subscription_id) REFERENCES minispod_catalog.subscription (subscription_id),
    CONSTRAINT instance_status_known CHECK (status IN ('PROVISIONING', 'RUNNING', 'DEGRADED', 'FAILED', 'DEPROVISIONING', 'DELETED'))
);

CREATE INDEX instance_user_idx ON minispod_catalog.instance (user_id);

-- Environment variables the user set on the instance, over the template's (never managed keys).
CREATE TABLE minispod_catalog.instance_env (
    instance_id uuid          NOT NULL,
    name        varchar(100)  NOT NULL,
    value       varchar(4000) NOT NULL,
    CONSTRAINT instance_env_pk PRIMARY KEY (instance_id, name),
    CONSTRAINT instance_env_instance_fk FOREIGN KEY (instance_id) REFERENCES minispod_catalog.instance (instance_id)
);

CREATE TABLE minispod_catalog.instance_transition (
    transition_id bigint GENERATED ALWAYS AS IDENTITY,
    instance_id   uuid                     NOT NULL,
    from_status   varchar(16),
    to_status     varchar(16)              NOT NULL,
    reason        varchar(300)             NOT NULL,
    recorded_at   timestamp with time zone NOT NULL,
    CONSTRAINT instance_transition_pk PRIMARY KEY (transition_id),
    CONSTRAINT instance_transition_instance_fk FOREIGN KEY (instance_id) REFERENCES minispod_catalog.instance (instance_id)
);

CREATE INDEX instance_transition_instance_idx ON minispod_catalog.instance_transition (instance_id);

-- A workflow is one subscribe, upgrade or cancel of one subscription: its next step, and a lease
-- that says which node runs it now. Any node claims due workflows with FOR UPDATE SKIP LOCKED.
CREATE TABLE minispod_catalog.workflow (
    workflow_id      uuid                     NOT NULL,
    kind             varchar(16)              NOT NULL,
    subscription_id  uuid                     NOT NULL,
    idempotency_key  varchar(200)             NOT NULL,
    step             varchar(32)              NOT NULL,
    status           varchar(16)              NOT NULL,
    from_plan_id     uuid,
    to_plan_id       uuid,
    charge_line_id   uuid,
    amount_due       bigint,
    attempts         integer                  NOT NULL,
    next_attempt_at  timestamp with time zone NOT NULL,
    lease_owner      varchar(100),
    lease_expires_at timestamp with time zone,
    error_code       varchar(32),
    error_message    varchar(500),
    created_at       timestamp with time zone NOT NULL,
    updated_at       timestamp with time zone NOT NULL,
    CONSTRAINT workflow_pk PRIMARY KEY (workflow_id),
    CONSTRAINT workflow_subscription_fk FOREIGN KEY (subscription_id) REFERENCES minispod_catalog.subscription (subscription_id),
    CONSTRAINT workflow_idempotency_unique UNIQUE (subscription_id, kind, idempotency_key),
    CONSTRAINT workflow_kind_known CHECK (kind IN ('SUBSCRIBE', 'UPGRADE', 'CANCEL')),
    CONSTRAINT workflow_status_known CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED'))
);

/* [jooq ignore start] */
-- One operation in flight per subscription: a concurrent upgrade or cancel fails here.
CREATE UNIQUE INDEX workflow_one_running_per_subscription
    ON minispod_catalog.workflow (subscription_id)
    WHERE status = 'RUNNING';
CREATE INDEX workflow_due_idx
    ON minispod_catalog.workflow (next_attempt_at)
    WHERE status = 'RUNNING';
/* [jooq ignore stop] */
