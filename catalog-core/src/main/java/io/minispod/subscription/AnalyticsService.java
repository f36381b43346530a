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

  /**
   * Monthly recurring revenue per month (UTC) and currency, with its movements: new, expansion,
   * contraction and churned MRR (see {@link RecurringRevenue} for each figure's definition).
   *
   * @param from an instant in the first month reported, inclusive
   * @param to the end of the range, exclusive: the last month reported is the one before it
   * @param serviceSlug a service to report on alone, or {@code null} for all
   * @return one line per month and currency, by month then currency; a month with no subscription
   *     started by its end has no line
   * @throws io.minispod.ValidationException if the range is missing, reversed or longer than ten
   *     years
   */
  List<RecurringRevenue> recurringRevenue(Instant from, Instant to, String serviceSlug);

  /**
   * Churn per month (UTC): subscriptions live at its start, cancelled in it (voluntarily or after a
   * suspension) and the churn rate.
   *
   * @param from an instant in the first month reported, inclusive
   * @param to the end of the range, exclusive: the last month reported is the one before it
   * @param serviceSlug a service to report on alone, or {@code null} for all
   * @return one line per month, every month of the range, in order
   * @throws io.minispod.ValidationException if the range is missing, reversed or longer than ten
   *     years
   */
  List<MonthlyChurn> churn(Instant from, Instant to, String serviceSlug);

  /**
   * Subscribe requests made in a range and how they ended, per service and plan.
   *
   * @param from the first instant counted, inclusive
   * @param to the end of the range, exclusive
   * @param serviceSlug a service to report on alone, or {@code null} for all
   * @return one line per service and plan asked for, by service then tier
   * @throws io.minispod.ValidationException if the range is missing or reversed
   */
  List<SubscribeConversion> conversion(Instant from, Instant to, String serviceSlug);

  /**
   * Upgrade adoption: of the subscriptions started in a range, the share upgraded at least once and
   * the median days to their first upgrade; and the upgrades of the range by plan before and after.
   *
   * @param from the first instant counted, inclusive
   * @param to the end of the range, exclusive
   * @param serviceSlug a service to report on alone, or {@code null} for all
   * @return the figures
   * @throws io.minispod.ValidationException if the range is missing or reversed
   */
  UpgradeAdoption upgradeAdoption(Instant from, Instant to, String serviceSlug);

  /**
   * Resource utilisation per plan: the mean and 95th percentile of CPU, memory and storage used
   * over the plan's limits, from the health monitor's samples taken in a range (samples are kept
   * for 90 days).
   *
   * @param from the first instant counted, inclusive
   * @param to the end of the range, exclusive
   * @param serviceSlug a service to report on alone, or {@code null} for all
   * @return one line per plan with samples, by service then tier
   * @throws io.minispod.ValidationException if the range is missing or reversed
   */
  List<PlanUsage> resourceUtilisation(Instant from, Instant to, String serviceSlug);
}
