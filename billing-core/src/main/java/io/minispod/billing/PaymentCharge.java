package io.minispod.billing;

import io.minispod.FieldErrors;
import java.math.BigDecimal;

/**
 * A charge a {@link PaymentGateway} is asked to make.
 *
 * @param accountId whom to charge
 * @param amount how much, positive (a zero amount never reaches a gateway)
 * @param currencyScale the decimals the amount's minor units carry, as configured ({@link
 *     CurrencyScales}), so that a gateway can convert to its own representation
 * @param idempotencyKey the same for every attempt at the same charge: a gateway must charge at
 *     most once per key and answer a repeated key with the first answer
 * @param description what the charge is for, or {@code null}
 */
public record PaymentCharge(
    String accountId, Money amount, int currencyScale, String idempotencyKey, String description) {

  /**
   * Checks the charge.
   *
   * @throws io.minispod.ValidationException naming every bad field
   */
  public PaymentCharge {
    FieldErrors errors = new FieldErrors();
    BillingKeys.check(errors, "accountId", accountId, BillingKeys.MAX_ID_LENGTH);
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
