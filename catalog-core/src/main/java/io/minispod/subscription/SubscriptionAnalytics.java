package io.minispod.subscription;

import java.time.LocalDate;
import java.util.List;

/**
 * Subscription figures.
 *
 * @param counts subscriptions by service, plan and status
 * @param newSubscriptions subscriptions requested per day in the range
 * @param upgrades upgrades completed per day in the range
 */
public record SubscriptionAnalytics(
    List<StatusCount> counts, List<DailyCount> newSubscriptions, List<DailyCount> upgrades) {

  /** Copies the lists. */
  public SubscriptionAnalytics {
    counts = List.copyOf(counts);
    newSubscriptions = List.copyOf(newSubscriptions);
    upgrades = List.copyOf(upgrades);
  }

  /**
   * How many subscriptions of a plan are in a status.
   *
   * @param serviceSlug the service
   * @param planSlug the plan
   * @param status the status
   * @param count how many
   */
  public record StatusCount(
      String serviceSlug, String planSlug, SubscriptionStatus status, long count) {}

  /**
   * How many things happened on a day.
   *
   * @param day the day, in UTC
   * @param count how many
   */
  public record DailyCount(LocalDate day, long count) {}
}
