-- The details of the error that ended a workflow (the billing line that was declined, the instance
-- the platform could not start and its reason, ...), kept beside its code and message so that a
-- replayed failure, and an operation read later, has the original error's type and details.
CREATE TABLE minispod_catalog.workflow_error_detail (
    workflow_id uuid          NOT NULL,
    name        varchar(100)  NOT NULL,
    value       varchar(1000) NOT NULL,
    CONSTRAINT workflow_error_detail_pk PRIMARY KEY (workflow_id, name),
    CONSTRAINT workflow_error_detail_workflow_fk FOREIGN KEY (workflow_id) REFERENCES minispod_catalog.workflow (workflow_id)
);
