package io.minispod.billing;

/**
 * A recorded plan change: its quote and its two ledger lines, paid (or with nothing due).
 *
 * @param quote the figures
 * @param credit the {@link LineType#PRORATION_CREDIT} line, amount {@code -credit}
 * @param charge the {@link LineType#PRORATION_CHARGE} line, amount {@code charge}
 */
public record UpgradeCharge(ProrationQuote quote, BillingLine credit, BillingLine charge) {

  /**
   * The gateway's payment id for the due.
   *
   * @return the id, or {@code null} when nothing was due
   */
  public String paymentId() {
    return charge.paymentId();
  }
}
