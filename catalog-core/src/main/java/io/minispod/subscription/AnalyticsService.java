package io.minispod.subscription;

import io.minispod.billing.RevenueTotal;
import java.time.Instant;
import java.util.List;

/** Figures for the catalog's administrators. */
public interface AnalyticsService {

  /**
   * Subscriptions by service, plan and status (all time), and new subscriptions and upgrades per
   * day (UTC) in a range.
   *
   * @param from the first instant counted, inclusive
   * @param to the end of the range, exclusive
   * @return the figures
   * @throws io.minispod.ValidationException if the range is missing or reversed
   */
  SubscriptionAnalytics subscriptions(Instant from, Instant to);

  /**
   * How full every plan is, read live from quota-core.
   *
   * @return one line per plan, by service and tier
   */
  List<PlanUtilisation> quotaUtilisation();

  /**
   * Revenue by service and plan over a range: what was charged, credited and refunded, per
   * currency.
   *
   * @param from the first instant counted, inclusive
   * @param to the end of the range, exclusive
   * @return one total per service, plan and currency; tags {@code service} and {@code plan}
   * @throws io.minispod.ValidationException if the range is missing or reversed
   */
  List<RevenueTotal> revenue(Instant from, Instant to);
}
