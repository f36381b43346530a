package io.minispod.billing;

/** The unit a {@link ProrationCalculator} counts the remaining time of a period in. */
public enum ProrationGranularity {
  /**
   * Whole days of the billing time zone. The day of a change counts as remaining: it is billed at
   * the new price. Periods must begin and end at the start of a day in that zone, as those of a
   * {@link BillingCycle} do.
   */
  DAY,
  /** Whole seconds. The second of a change (any fraction of it) is billed at the new price. */
  SECOND
}
