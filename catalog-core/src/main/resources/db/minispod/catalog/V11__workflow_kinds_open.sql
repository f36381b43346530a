-- Workflow kinds are registered with the workflow runner in Java (a new kind is a new class there,
-- and the runner refuses a kind it does not know), so the table no longer lists them.
/* [jooq ignore start] */
ALTER TABLE minispod_catalog.workflow DROP CONSTRAINT workflow_kind_known;
/* [jooq ignore stop] */
