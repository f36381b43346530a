-- The instance reconciler's claims: a node that compares an instance of the platform with the
-- database in a round first claims it here (by instance id, whether or not the database has a row
-- for it, so that orphans are claimed too), and no other node acts on it again until the claim is
-- half a round old. One node per instance per round, whatever the number of nodes.
CREATE TABLE minispod_catalog.instance_reconcile_claim (
    instance_id uuid                     NOT NULL,
    claimed_by  varchar(100)             NOT NULL,
    claimed_at  timestamp with time zone NOT NULL,
    CONSTRAINT instance_reconcile_claim_pk PRIMARY KEY (instance_id)
);
