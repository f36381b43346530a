package io.minispod.billing;

/** What a {@link BillingLine} records. Amounts are signed: charges positive, the rest negative. */
public enum LineType {
  /** A charge for a period, such as a new subscription's first month. Amount {@code >= 0}. */
  CHARGE,
  /** The unused part of the current plan, given back by an upgrade. Amount {@code <= 0}. */
  PRORATION_CREDIT,
  /** The rest of the period at the new plan's price. Amount {@code >= 0}. */
  PRORATION_CHARGE,
  /** Money given back on an approved payment. Amount {@code <= 0}. */
  REFUND,
  /**
   * The charge of a period after the first, made when a subscription renews. Amount {@code >= 0}.
   */
  RENEWAL;

  /**
   * Whether a line of this type takes money for a period: a {@link #CHARGE}, a {@link #RENEWAL} or
   * a {@link #PRORATION_CHARGE}. Such a line is what a refund or a proration credit refers to.
   *
   * @return true for the three charging types
   */
  public boolean charges() {
    return this == CHARGE || this == RENEWAL || this == PRORATION_CHARGE;
  }
}
