package io.minispod.billing;

import io.minispod.FieldErrors;
import java.util.UUID;

/**
 * A refund of a paid charge or proration charge, such as the compensation of a subscription whose
 * provisioning failed.
 *
 * @param lineId the {@link LineType#CHARGE} or {@link LineType#PRORATION_CHARGE} line to refund
 * @param amount how much, positive; {@code null} for everything of its payment not yet refunded
 *     (for a proration charge, the payment is the due: charge less credit)
 * @param idempotencyKey unique per intended refund, at most 190 characters
 * @param reason why, or {@code null}
 */
public record RefundRequest(UUID lineId, Money amount, String idempotencyKey, String reason) {

  /**
   * Checks the request.
   *
   * @throws io.minispod.ValidationException naming every bad field
   */
  public RefundRequest {
    FieldErrors errors = new FieldErrors();
    errors.require(lineId != null, "lineId", "must be given");
    if (amount != null) {
      errors.require(amount.isPositive(), "amount", "must be positive when given, was " + amount);
    }
    BillingKeys.check(
        errors, "idempotencyKey", idempotencyKey, BillingKeys.MAX_IDEMPOTENCY_KEY_LENGTH);
    BillingKeys.checkOptionalText(errors, "reason", reason, BillingKeys.MAX_TEXT_LENGTH);
    errors.throwIfAny();
  }

  /**
   * A refund of everything of a line's payment not yet refunded.
   *
   * @param lineId the line to refund
   * @param idempotencyKey unique per intended refund
   * @param reason why, or {@code null}
   * @return the request
   */
  public static RefundRequest full(UUID lineId, String idempotencyKey, String reason) {
    return new RefundRequest(lineId, null, idempotencyKey, reason);
  }
}
