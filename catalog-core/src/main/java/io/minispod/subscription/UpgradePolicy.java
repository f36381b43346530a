package io.minispod.subscription;

import io.minispod.catalog.Plan;

/**
 * Decides whether a subscription may move from its plan to another. Hosts plug in their own policy
 * (say, allowing downgrades at period end); the default is {@link UpgradeOnlyPolicy}.
 */
@FunctionalInterface
public interface UpgradePolicy {

  /**
   * Judges a plan change.
   *
   * @param current the subscription's plan
   * @param target the plan asked for
   * @return allowed, or refused with the reason that the caller sees as {@code INVALID_PLAN}
   */
  UpgradeDecision evaluate(Plan current, Plan target);
}
