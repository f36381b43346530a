-- broker-core: the Open Service Broker API's service bindings. The platform chooses a binding's
-- id; the credential itself lives with the platform's BindingCredentials (on Kubernetes, a Secret
-- per binding), this table remembers which instance it binds and what the platform asked for.

CREATE TABLE minispod_broker.service_binding (
    binding_id          varchar(200)             NOT NULL,
    instance_id         varchar(200)             NOT NULL,
    request_fingerprint varchar(64)              NOT NULL,
    created_at          timestamp with time zone NOT NULL,
    CONSTRAINT service_binding_pk PRIMARY KEY (binding_id),
    CONSTRAINT service_binding_instance_fk FOREIGN KEY (instance_id)
        REFERENCES minispod_broker.service_instance (instance_id)
);

CREATE INDEX service_binding_instance_idx ON minispod_broker.service_binding (instance_id);
