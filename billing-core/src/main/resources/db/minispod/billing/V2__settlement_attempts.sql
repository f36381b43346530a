-- billing-core: gateway calls leave no transaction open. A payment line is settled in three
-- steps: a short transaction claims the open line for one gateway attempt and commits; the gateway
-- is called with no transaction open; a second short transaction records the answer, only if the
-- claim is still the one taken. See DefaultBillingService and docs/billing.md.

-- The fencing token: the number of the latest gateway attempt claimed on the line (0 before the
-- first). Each claim increments it; an answer is recorded only under the number it was claimed
-- with, so the late answer of an attempt whose claim lapsed and was taken over records nothing.
ALTER TABLE minispod_billing.ledger_line ADD COLUMN attempt_no bigint DEFAULT 0 NOT NULL;

-- Until when (by the service clock) the latest attempt's claim keeps other callers away: they
-- wait for its answer until then, and take the line over after. Null when no attempt is in
-- progress (none yet, answered, or given up by its claimant).
ALTER TABLE minispod_billing.ledger_line ADD COLUMN attempt_expires_at timestamp with time zone;
