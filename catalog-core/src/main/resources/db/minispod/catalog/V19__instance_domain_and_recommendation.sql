-- Issue 13: plan features that work, and instances that say more.
--
-- An instance's custom domain: a host name its owner chose, served besides its own on plans with
-- the customDomain feature. Set by an UPDATE_ENV workflow (an instance's configuration change),
-- which stores the new value here when it starts and keeps the one it replaces for its undo.
ALTER TABLE minispod_catalog.instance ADD COLUMN custom_domain varchar(253);

-- The host names instances hold: the current custom domain of each, and while a change is in
-- progress also the one it replaces (so that an undo can always put it back). One instance per
-- host name, whoever asks and however requests interleave; released when a change settles and when
-- the instance is cancelled.
CREATE TABLE minispod_catalog.instance_domain (
    domain      varchar(253) NOT NULL,
    instance_id uuid         NOT NULL,
    CONSTRAINT instance_domain_pk PRIMARY KEY (domain),
    CONSTRAINT instance_domain_instance_fk FOREIGN KEY (instance_id) REFERENCES minispod_catalog.instance (instance_id)
);

CREATE INDEX instance_domain_instance_idx ON minispod_catalog.instance_domain (instance_id);

-- The custom domain a configuration change set and the one it replaced (null for none); a change
-- of the environment alone has no row.
CREATE TABLE minispod_catalog.workflow_domain_change (
    workflow_id     uuid         NOT NULL,
    custom_domain   varchar(253),
    previous_domain varchar(253),
    CONSTRAINT workflow_domain_change_pk PRIMARY KEY (workflow_id),
    CONSTRAINT workflow_domain_change_workflow_fk FOREIGN KEY (workflow_id) REFERENCES minispod_catalog.workflow (workflow_id)
);

-- The health monitor's upgrade recommendation: for each resource, how many checks in a row found
-- its usage above the alert ratio of the plan's limit; with one at the threshold, the plan the
-- upgrade policy offers next and why. Reset when the plan changes.
ALTER TABLE minispod_catalog.instance ADD COLUMN cpu_high_streak integer NOT NULL DEFAULT 0;
ALTER TABLE minispod_catalog.instance ADD COLUMN memory_high_streak integer NOT NULL DEFAULT 0;
ALTER TABLE minispod_catalog.instance ADD COLUMN storage_high_streak integer NOT NULL DEFAULT 0;
ALTER TABLE minispod_catalog.instance ADD COLUMN recommended_plan_id uuid;
ALTER TABLE minispod_catalog.instance ADD COLUMN recommendation_reason varchar(300);

/* [jooq ignore start] */
-- Status transitions are now shown to their owners (GET /api/user/instances/{id}/history). Reasons
-- recorded before provisioner failures were categorised may hold what the platform said (account
-- names, API server addresses, registry answers): those of failures and failed health checks that
-- carry no failure reference are replaced by a neutral sentence. The logs of that time keep the
-- platform's words.
UPDATE minispod_catalog.instance_transition
   SET reason = 'provisioning failed'
 WHERE to_status = 'FAILED' AND reason NOT LIKE '%(reference %)%';
UPDATE minispod_catalog.instance_transition
   SET reason = 'failed its health checks'
 WHERE to_status = 'DEGRADED' AND reason NOT LIKE '%(reference %)%';
/* [jooq ignore stop] */

CREATE INDEX instance_transition_recorded_idx
    ON minispod_catalog.instance_transition (instance_id, recorded_at, transition_id);
