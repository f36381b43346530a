-- Issue 13: the backups plan feature.
--
-- The backups an instance's provisioner keeps, as it listed them after the latest backup this
-- library took (before an upgrade's resize, or on the plan's schedule): what the instance shows
-- its owner, and what the schedule reads to know when the next backup is due, without asking the
-- platform. Replaced whole each time a backup is taken, so backups pruned on the platform (beyond
-- the number kept) leave here too. Rows go with their instance.
CREATE TABLE minispod_catalog.instance_backup (
    instance_id uuid                     NOT NULL,
    backup_id   varchar(63)              NOT NULL,
    taken_at    timestamp with time zone NOT NULL,
    reason      varchar(32)              NOT NULL,
    CONSTRAINT instance_backup_pk PRIMARY KEY (instance_id, backup_id),
    CONSTRAINT instance_backup_instance_fk FOREIGN KEY (instance_id)
        REFERENCES minispod_catalog.instance (instance_id) ON DELETE CASCADE
);

CREATE INDEX instance_backup_taken_idx ON minispod_catalog.instance_backup (instance_id, taken_at);
