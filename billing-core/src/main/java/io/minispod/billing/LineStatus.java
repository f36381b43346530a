package io.minispod.billing;

/**
 * Where a {@link BillingLine} stands. A line is written {@link #PENDING} before the payment gateway
 * is called and moves once to one of the other states; only {@link #FAILED} lines are tried again
 * (by a call with the same idempotency key).
 */
public enum LineStatus {
  /**
   * The payment gateway's answer is not recorded yet: a call is in progress, or the process died
   * during it ({@link BillingService#settlePending} finishes such lines once the dead call's claim
   * has lapsed).
   */
  PENDING,
  /** A charge or proration charge that was paid (or cost nothing). Counts as revenue. */
  PAID,
  /** A proration credit applied to a paid proration charge. Counts against revenue. */
  CREDITED,
  /** A refund the gateway made. Counts against revenue. */
  REFUNDED,
  /** The gateway refused. Nothing is owed; final. */
  DECLINED,
  /** The gateway failed. Nothing is owed; the same idempotency key may try again. */
  FAILED;

  /**
   * Whether the line counts in revenue and in what was paid.
   *
   * @return {@code true} for paid, credited and refunded lines
   */
  public boolean isSettled() {
    return this == PAID || this == CREDITED || this == REFUNDED;
  }
}
