-- The seed's Ghost plans advertised a feature "staffUsers" (1, 5 and 25 staff accounts) that
-- nothing implements or enforces, so the seed no longer has it. CatalogSeed.apply never changes a
-- plan that exists, so this takes it out of databases seeded before: only from the plans the seed
-- created (service ghost; basic, pro and business) and only where the value is still the seed's, so
-- an admin's own use of the key is left alone. The catalog trigger tells every node to drop its
-- caches. Prices are not touched: what a minor unit is depends on the billing configuration, which
-- a migration cannot see (docs/catalog.md, "The seed catalog").
/* [jooq ignore start] */
UPDATE minispod_catalog.plan p
SET features = p.features - 'staffUsers',
    updated_at = now()
FROM minispod_catalog.service s
WHERE s.service_id = p.service_id
  AND s.slug = 'ghost'
  AND (p.slug, p.features -> 'staffUsers') IN (('basic', '1'::jsonb), ('pro', '5'::jsonb), ('business', '25'::jsonb));
/* [jooq ignore stop] */
