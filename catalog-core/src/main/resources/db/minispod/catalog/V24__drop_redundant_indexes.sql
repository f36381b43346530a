-- Two indexes that a wider one already serves, each written on every insert for nothing:
-- a subscription's rows by user are found through subscription_idempotency_unique
-- (user_id, idempotency_key), and an instance's transitions through
-- instance_transition_recorded_idx (instance_id, recorded_at, transition_id).
DROP INDEX minispod_catalog.subscription_user_idx;
DROP INDEX minispod_catalog.instance_transition_instance_idx;
