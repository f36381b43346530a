-- An upgrade holds what the new plan needs beyond the old one (its plan slot, the extra cluster
-- resources) in an allocation of its own while the subscription's allocation keeps the old plan's;
-- the two are swapped only when the upgrade commits, so undoing it releases the hold and never needs
-- capacity. Upgrades started before this column have none: they swapped at their start and undo as
-- they did then.
ALTER TABLE minispod_catalog.workflow ADD COLUMN hold_allocation_id uuid;
