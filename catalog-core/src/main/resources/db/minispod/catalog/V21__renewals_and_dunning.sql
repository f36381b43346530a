-- Subscriptions over time: a period rolls forward when it is renewed (charged again), a declined
-- renewal makes the subscription PAST_DUE and is retried on the dunning schedule, and after the
-- last retry the subscription is SUSPENDED (instance stopped, quota kept) until its grace period
-- ends. A subscription may also be cancelled at the end of its paid period.
ALTER TABLE minispod_catalog.subscription DROP CONSTRAINT subscription_status_known;
ALTER TABLE minispod_catalog.subscription ADD CONSTRAINT subscription_status_known
    CHECK (status IN ('PENDING', 'ACTIVE', 'PAST_DUE', 'SUSPENDED', 'FAILED', 'CANCELLED'));

-- Declined renewal charges of the current period so far (0 when nothing is owed), when the first
-- of them was declined, and when the next attempt is due.
ALTER TABLE minispod_catalog.subscription ADD COLUMN renewal_failures integer NOT NULL DEFAULT 0;
ALTER TABLE minispod_catalog.subscription ADD COLUMN past_due_since timestamp with time zone;
ALTER TABLE minispod_catalog.subscription ADD COLUMN next_renewal_attempt_at timestamp with time zone;
ALTER TABLE minispod_catalog.subscription ADD COLUMN suspended_at timestamp with time zone;
ALTER TABLE minispod_catalog.subscription ADD COLUMN cancel_at_period_end boolean NOT NULL DEFAULT false;

ALTER TABLE minispod_catalog.instance DROP CONSTRAINT instance_status_known;
ALTER TABLE minispod_catalog.instance ADD CONSTRAINT instance_status_known
    CHECK (status IN ('PROVISIONING', 'RUNNING', 'DEGRADED', 'STOPPED', 'FAILED', 'DEPROVISIONING', 'DELETED'));

/* [jooq ignore start] */
-- A past-due or suspended subscription is still the user's one live subscription to its service.
DROP INDEX minispod_catalog.subscription_one_live_per_service;
CREATE UNIQUE INDEX subscription_one_live_per_service
    ON minispod_catalog.subscription (user_id, service_id)
    WHERE status IN ('PENDING', 'ACTIVE', 'PAST_DUE', 'SUSPENDED');

-- What the renewal rounds look for: active periods that ended, and past-due retries that are due.
CREATE INDEX subscription_period_end_idx
    ON minispod_catalog.subscription (period_end)
    WHERE status = 'ACTIVE';
CREATE INDEX subscription_renewal_retry_idx
    ON minispod_catalog.subscription (next_renewal_attempt_at)
    WHERE status IN ('PAST_DUE', 'SUSPENDED');
/* [jooq ignore stop] */

-- A plan change scheduled for the end of the term (an UpgradePolicy may answer "at term end", the
-- Kill Bill END_OF_TERM rule): the renewal that starts the next period applies it.
ALTER TABLE minispod_catalog.subscription ADD COLUMN scheduled_plan_id uuid;
ALTER TABLE minispod_catalog.subscription ADD CONSTRAINT subscription_scheduled_plan_fk
    FOREIGN KEY (scheduled_plan_id) REFERENCES minispod_catalog.plan (plan_id);
