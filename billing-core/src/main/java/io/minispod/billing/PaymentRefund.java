package io.minispod.billing;

import io.minispod.FieldErrors;
import java.math.BigDecimal;

/**
 * A refund a {@link PaymentGateway} is asked to make, of (part of) an approved payment.
 *
 * @param accountId whom to refund
 * @param paymentId the gateway's id of the payment being refunded
 * @param amount how much, positive and at most what of the payment is not yet refunded
 * @param currencyScale the decimals the amount's minor units carry, as configured
 * @param idempotencyKey the same for every attempt at the same refund
 * @param reason why, or {@code null}
 */
public record PaymentRefund(
    String accountId,
    String paymentId,
    Money amount,
    int currencyScale,
    String idempotencyKey,
    String reason) {

  /**
   * Checks the refund.
   *
   * @throws io.minispod.ValidationException naming every bad field
   */
  public PaymentRefund {
    FieldErrors errors = new FieldErrors();
    BillingKeys.check(errors, "accountId", accountId, BillingKeys.MAX_ID_LENGTH);
    BillingKeys.check(errors, "paymentId", paymentId, BillingKeys.MAX_ID_LENGTH);
    if (errors.require(amount != null, "amount", "must be given")) {
      errors.require(amount.isPositive(), "amount", "must be positive, was " + amount);
    }
    errors.require(
        currencyScale >= 0 && currencyScale <= CurrencyScales.MAX_SCALE,
        "currencyScale",
        "must be from 0 to " + CurrencyScales.MAX_SCALE + ", was " + currencyScale);
    BillingKeys.check(errors, "idempotencyKey", idempotencyKey, BillingKeys.MAX_ID_LENGTH);
    errors.throwIfAny();
  }

  /**
   * The amount in major units, such as {@code 9.99}.
   *
   * @return the amount with the currency's configured scale
   */
  public BigDecimal majorAmount() {
    return BigDecimal.valueOf(amount.minorUnits(), currencyScale);
  }
}
