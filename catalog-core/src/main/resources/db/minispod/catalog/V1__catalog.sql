-- catalog-core, part 1: categories, services with their app templates, plans, and the word
-- index that search reads. Flyway runs this with minispod_catalog as its schema; names are
-- qualified so jOOQ's code generator (which reads this file) places the tables in the same schema.
-- Capacity is not stored here: each plan's quota is the quota-core pool 'plan:<plan_id>'.
-- Rows are never deleted: services are archived and plans deactivated, so the subscriptions of
-- part 2 can always refer to them.


CREATE TABLE minispod_catalog.category (
    category_id   uuid                     NOT NULL,
    slug          varchar(63)              NOT NULL,
    name          varchar(100)             NOT NULL,
    description   varchar(2000)            NOT NULL,
    display_order integer                  NOT NULL,
    created_at    timestamp with time zone NOT NULL,
    updated_at    timestamp with time zone NOT NULL,
    CONSTRAINT category_pk PRIMARY KEY (category_id),
    CONSTRAINT category_slug_unique UNIQUE (slug)
);

CREATE TABLE minispod_catalog.service (
    service_id  uuid                     NOT NULL,
    slug        varchar(63)              NOT NULL,
    name        varchar(100)             NOT NULL,
    category_id uuid                     NOT NULL,
    description varchar(4000)            NOT NULL,
    status      varchar(16)              NOT NULL,
    -- The app template (image, port, environment, secrets, volume, probes, companions) as one
    -- document: it is always read and written whole, never queried by field.
    template    jsonb                    NOT NULL,
    created_at  timestamp with time zone NOT NULL,
    updated_at  timestamp with time zone NOT NULL,
    archived_at timestamp with time zone,
    CONSTRAINT service_pk PRIMARY KEY (service_id),
    CONSTRAINT service_slug_unique UNIQUE (slug),
    CONSTRAINT service_category_fk FOREIGN KEY (category_id) REFERENCES minispod_catalog.category (category_id),
    CONSTRAINT service_status_known CHECK (status IN ('ACTIVE', 'ARCHIVED')),
    CONSTRAINT service_archived_at_matches_status CHECK ((status = 'ARCHIVED') = (archived_at IS NOT NULL))
);

CREATE INDEX service_category_idx ON minispod_catalog.service (category_id);

CREATE TABLE minispod_catalog.service_tag (
    service_id uuid        NOT NULL,
    tag        varchar(32) NOT NULL,
    position   smallint    NOT NULL,
    CONSTRAINT service_tag_pk PRIMARY KEY (service_id, tag),
    CONSTRAINT service_tag_service_fk FOREIGN KEY (service_id) REFERENCES minispod_catalog.service (service_id)
);

CREATE INDEX service_tag_tag_idx ON minispod_catalog.service_tag (tag);

-- Every lower-cased word of a service's name (weight 0), tags (1) and description (2): search
-- matches query words as prefixes of these terms and ranks by the lightest weight matched.
CREATE TABLE minispod_catalog.service_search_term (
    service_id uuid         NOT NULL,
    term       varchar(100) NOT NULL,
    weight     smallint     NOT NULL,
    CONSTRAINT service_search_term_pk PRIMARY KEY (service_id, term),
    CONSTRAINT service_search_term_service_fk FOREIGN KEY (service_id) REFERENCES minispod_catalog.service (service_id),
    CONSTRAINT service_search_term_weight_known CHECK (weight BETWEEN 0 AND 2)
);

CREATE TABLE minispod_catalog.plan (
    plan_id        uuid                     NOT NULL,
    service_id     uuid                     NOT NULL,
    slug           varchar(63)              NOT NULL,
    name           varchar(100)             NOT NULL,
    tier           integer                  NOT NULL,
    price_amount   bigint                   NOT NULL,
    price_currency varchar(3)               NOT NULL,
    price_period   varchar(8)               NOT NULL,
    cpu_millicores integer                  NOT NULL,
    memory_mib     integer                  NOT NULL,
    storage_gib    integer                  NOT NULL,
    features       jsonb                    NOT NULL,
    active         boolean                  NOT NULL,
    created_at     timestamp with time zone NOT NULL,
    updated_at     timestamp with time zone NOT NULL,
    CONSTRAINT plan_pk PRIMARY KEY (plan_id),
    CONSTRAINT plan_service_fk FOREIGN KEY (service_id) REFERENCES minispod_catalog.service (service_id),
    CONSTRAINT plan_slug_unique UNIQUE (service_id, slug),
    CONSTRAINT plan_tier_unique UNIQUE (service_id, tier),
    CONSTRAINT plan_tier_positive CHECK (tier > 0),
    CONSTRAINT plan_price_not_negative CHECK (price_amount >= 0),
    CONSTRAINT plan_price_period_known CHECK (price_period IN ('MONTHLY', 'YEARLY')),
    CONSTRAINT plan_cpu_positive CHECK (cpu_millicores > 0),
    CONSTRAINT plan_memory_positive CHECK (memory_mib > 0),
    CONSTRAINT plan_storage_positive CHECK (storage_gib > 0)
);

/* [jooq ignore start] */

-- Slugs are DNS labels (RFC 1123): they end up in URLs and Kubernetes names.
ALTER TABLE minispod_catalog.category ADD CONSTRAINT category_slug_dns_safe
    CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$');
ALTER TABLE minispod_catalog.service ADD CONSTRAINT service_slug_dns_safe
    CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$');
ALTER TABLE minispod_catalog.plan ADD CONSTRAINT plan_slug_dns_safe
    CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$');
ALTER TABLE minispod_catalog.plan ADD CONSTRAINT plan_price_currency_iso
    CHECK (price_currency ~ '^[A-Z]{3}$');
ALTER TABLE minispod_catalog.service ADD CONSTRAINT service_template_is_object
    CHECK (jsonb_typeof(template) = 'object');
ALTER TABLE minispod_catalog.plan ADD CONSTRAINT plan_features_is_object
    CHECK (jsonb_typeof(features) = 'object');

-- Prefix search ("gho" finds "ghost") with LIKE 'gho%' whatever the database collation.
CREATE INDEX service_search_term_prefix_idx
    ON minispod_catalog.service_search_term (term varchar_pattern_ops);

-- Cross-node cache invalidation: every committed change to the catalog tables tells the
-- listeners of every node on channel minispod_catalog. NOTIFY is transactional, so the signal is
-- sent on commit and never for a rolled-back change; duplicates within a transaction collapse.
CREATE FUNCTION minispod_catalog.notify_catalog_changed() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('minispod_catalog', 'catalog');
    RETURN NULL;
END;
$$;

CREATE TRIGGER category_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON minispod_catalog.category
    FOR EACH STATEMENT EXECUTE FUNCTION minispod_catalog.notify_catalog_changed();
CREATE TRIGGER service_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON minispod_catalog.service
    FOR EACH STATEMENT EXECUTE FUNCTION minispod_catalog.notify_catalog_changed();
CREATE TRIGGER service_tag_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON minispod_catalog.service_tag
    FOR EACH STATEMENT EXECUTE FUNCTION minispod_catalog.notify_catalog_changed();
CREATE TRIGGER plan_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON minispod_catalog.plan
    FOR EACH STATEMENT EXECUTE FUNCTION minispod_catalog.notify_catalog_changed();

/* [jooq ignore stop] */
