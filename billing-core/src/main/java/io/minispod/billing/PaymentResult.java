package io.minispod.billing;

import io.minispod.FieldErrors;

/**
 * A {@link PaymentGateway}'s answer.
 *
 * @param status approved, declined or error
 * @param paymentId the gateway's id of the payment (or refund); required when approved, otherwise
 *     optional
 * @param reason why it was declined or failed, safe to show (no card numbers, no secrets); {@code
 *     null} when approved
 */
public record PaymentResult(PaymentStatus status, String paymentId, String reason) {

  /**
   * Checks the result.
   *
   * @throws io.minispod.ValidationException if the status is missing, an approval has no payment
   *     id, or a decline or error has no reason
   */
  public PaymentResult {
    FieldErrors errors = new FieldErrors();
    if (errors.require(status != null, "status", "must be APPROVED, DECLINED or ERROR")) {
      if (status == PaymentStatus.APPROVED) {
        BillingKeys.check(errors, "paymentId", paymentId, BillingKeys.MAX_ID_LENGTH);
      } else {
        errors.require(reason != null && !reason.isBlank(), "reason", "must say why for " + status);
      }
    }
    errors.throwIfAny();
  }

  /**
   * The money moved.
   *
   * @param paymentId the gateway's id of the payment
   * @return the result
   */
  public static PaymentResult approved(String paymentId) {
    return new PaymentResult(PaymentStatus.APPROVED, paymentId, null);
  }

  /**
   * The gateway refused.
   *
   * @param reason why, safe to show
   * @return the result
   */
  public static PaymentResult declined(String reason) {
    return new PaymentResult(PaymentStatus.DECLINED, null, reason);
  }

  /**
   * The gateway failed and nothing moved.
   *
   * @param reason what failed, safe to show
   * @return the result
   */
  public static PaymentResult error(String reason) {
    return new PaymentResult(PaymentStatus.ERROR, null, reason);
  }

  /**
   * Whether the money moved.
   *
   * @return {@code true} when approved
   */
  public boolean isApproved() {
    return status == PaymentStatus.APPROVED;
  }
}
