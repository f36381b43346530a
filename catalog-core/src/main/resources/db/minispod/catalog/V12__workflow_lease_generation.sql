-- A fencing token per claim: every claim of a workflow increments it, and every change made while
-- running a step names the generation it holds. A stalled attempt of a step, even one of the node
-- that claimed it again, then changes nothing once the workflow was claimed anew.
ALTER TABLE minispod_catalog.workflow ADD COLUMN lease_generation bigint NOT NULL DEFAULT 0;
