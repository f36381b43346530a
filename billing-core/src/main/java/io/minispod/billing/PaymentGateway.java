package io.minispod.billing;

/**
 * The payment provider, as {@link BillingService} sees it: hosts plug in their real gateway
 * (Stripe, Midtrans, Xendit, …) by implementing these two methods; {@link MockPaymentGateway} is
 * the deterministic stand-in for demos and tests.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li><b>Idempotent by key.</b> A gateway charges (refunds) at most once per idempotency key and
 *       answers a repeated key with the first answer. {@link BillingService} sends the same key for
 *       every attempt at the same ledger line, which is what makes retries and crash recovery safe.
 *   <li><b>Definite answers.</b> {@link PaymentStatus#APPROVED} means the money moved, {@link
 *       PaymentStatus#DECLINED} that the gateway refused for good, {@link PaymentStatus#ERROR} that
 *       nothing moved but the request may be sent again. A gateway whose call timed out should find
 *       out (by retrying with the same key, or by looking the key up) before answering ERROR.
 *   <li><b>No exceptions for outcomes.</b> An exception thrown by a gateway is treated as {@link
 *       PaymentStatus#ERROR}; its class is logged, its message only at DEBUG, and neither is shown
 *       to callers.
 *   <li>Thread-safe: calls for different keys may arrive concurrently.
 * </ul>
 */
public interface PaymentGateway {

  /**
   * Charges an account.
   *
   * @param charge who, how much, and the idempotency key
   * @return approved with the payment id, declined or error with a reason
   */
  PaymentResult charge(PaymentCharge charge);

  /**
   * Refunds (part of) an approved payment.
   *
   * @param refund which payment, how much, and the idempotency key
   * @return approved with the refund's id, declined or error with a reason
   */
  PaymentResult refund(PaymentRefund refund);
}
