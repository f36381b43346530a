package io.minispod.subscription;

import java.util.List;

/**
 * How subscriptions take up upgrades.
 *
 * @param subscriptions subscriptions started in the range (their subscribe succeeded)
 * @param upgraded those of them upgraded (moved to a plan of a higher tier) at least once, by now
 * @param medianDaysToFirstUpgrade the median time from start to first upgrade of those, in days, or
 *     {@code null} when none was upgraded
 * @param changes plan changes completed in the range (upgrades, and downgrades where the upgrade
 *     policy allows them), by plan before and after
 */
public record UpgradeAdoption(
    long subscriptions, long upgraded, Double medianDaysToFirstUpgrade, List<PlanChange> changes) {

  /** Copies the changes. */
  public UpgradeAdoption {
    changes = List.copyOf(changes);
  }

  /**
   * The share of subscriptions upgraded at least once.
   *
   * @return {@code upgraded / subscriptions}, 0 without subscriptions
   */
  public double share() {
    return subscriptions == 0 ? 0 : (double) upgraded / subscriptions;
  }

  /**
   * How many plan changes went from one plan to another.
   *
   * @param serviceSlug the service
   * @param fromPlanSlug the plan before
   * @param toPlanSlug the plan after
   * @param count how many
   */
  public record PlanChange(
      String serviceSlug, String fromPlanSlug, String toPlanSlug, long count) {}
}
