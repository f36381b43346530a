package io.minispod.billing;

/** How a {@link PaymentGateway} answered a charge or a refund. */
public enum PaymentStatus {
  /** The money moved; the result carries the gateway's payment id. */
  APPROVED,
  /** The gateway refused (a declined card, insufficient funds); nothing moved. Final. */
  DECLINED,
  /**
   * The gateway failed (unavailable, timed out, misconfigured); nothing is owed. The same request
   * with the same idempotency key may be sent again.
   */
  ERROR
}
