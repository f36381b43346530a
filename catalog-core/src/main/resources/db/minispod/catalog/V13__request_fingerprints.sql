-- An idempotency key names one request: the SHA-256 of the request it was first used with is kept,
-- so that the same key with a different request is refused (409 CONFLICT) instead of answered with
-- the first request's result. Rows written before this column have none and are replayed as before.
ALTER TABLE minispod_catalog.subscription ADD COLUMN request_fingerprint varchar(64);
ALTER TABLE minispod_catalog.workflow ADD COLUMN request_fingerprint varchar(64);
