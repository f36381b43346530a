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
  REFUND
}
