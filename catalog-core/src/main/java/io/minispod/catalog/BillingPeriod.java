package io.minispod.catalog;

/** How often a plan's price is charged. */
public enum BillingPeriod {
  /** Every calendar month. */
  MONTHLY,
  /** Every year. */
  YEARLY;

  /**
   * The amount spread over one month, rounded up, so that monthly and yearly prices can be compared
   * (search by maximum price and sort by price use it).
   *
   * @param amount an amount charged once per this period, in minor units
   * @return the amount per month, in minor units
   */
  public long monthlyEquivalent(long amount) {
    return this == YEARLY ? Math.floorDiv(amount + 11, 12) : amount;
  }
}
