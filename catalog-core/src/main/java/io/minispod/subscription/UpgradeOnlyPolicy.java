package io.minispod.subscription;

import io.minispod.catalog.Plan;

/**
 * The default {@link UpgradePolicy}: a subscription may only move to an active plan of the same
 * service with a strictly higher tier.
 */
public final class UpgradeOnlyPolicy implements UpgradePolicy {

  /** Creates the policy. */
  public UpgradeOnlyPolicy() {}

  @Override
  public UpgradeDecision evaluate(Plan current, Plan target) {
    if (!current.serviceId().equals(target.serviceId())) {
      return UpgradeDecision.refuse(UpgradeDecision.DIFFERENT_SERVICE);
    }
    if (!target.active()) {
      return UpgradeDecision.refuse(UpgradeDecision.INACTIVE_PLAN);
    }
    if (target.tier() <= current.tier()) {
      return UpgradeDecision.refuse(UpgradeDecision.NOT_AN_UPGRADE);
    }
    return UpgradeDecision.allow();
  }
}
