-- An instance's environment changes as a workflow (UPDATE_ENV), serialised with the subscription's
-- other workflows: the changes are stored as the desired state when it starts, with the values they
-- replace, so that its step makes the platform match and its undo can put them back.
CREATE TABLE minispod_catalog.workflow_env_change (
    workflow_id    uuid          NOT NULL,
    name           varchar(100)  NOT NULL,
    value          varchar(4000),
    previous_value varchar(4000),
    CONSTRAINT workflow_env_change_pk PRIMARY KEY (workflow_id, name),
    CONSTRAINT workflow_env_change_workflow_fk FOREIGN KEY (workflow_id) REFERENCES minispod_catalog.workflow (workflow_id)
);
