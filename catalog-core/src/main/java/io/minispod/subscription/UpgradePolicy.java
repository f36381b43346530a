package io.minispod.subscription;

import io.minispod.catalog.Plan;

/**
 * Decides whether a subscription may move from its plan to another, and when. Hosts plug in their
 * own policy, say one allowing downgrades at the end of the term ({@link
 * UpgradeDecision#allowAtTermEnd()}); the default is {@link UpgradeOnlyPolicy}: upgrades now,
 * nothing else.
 */
@FunctionalInterface
public interface UpgradePolicy {

  /**
   * Judges a plan change.
   *
   * @param current the subscription's plan
   * @param target the plan asked for
   * @return allowed (now or at the end of the term), or refused with the reason that the caller
   *     sees as {@code INVALID_PLAN}
   */
  UpgradeDecision evaluate(Plan current, Plan target);
}
