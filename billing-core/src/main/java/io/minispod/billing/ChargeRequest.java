package io.minispod.billing;

import io.minispod.FieldErrors;

/**
 * A charge to make and record, such as the first period of a subscription.
 *
 * @param accountId whom to charge
 * @param reference what for, with the tags revenue is totalled by
 * @param amount how much, at least zero; a zero charge is recorded as paid without calling the
 *     gateway
 * @param period the period it pays for
 * @param idempotencyKey unique per intended charge, at most 190 characters; a retry with the same
 *     key returns the first result and charges nothing more
 * @param description what it is for, shown to the gateway, or {@code null}
 */
public record ChargeRequest(
    String accountId,
    BillingReference reference,
    Money amount,
    BillingPeriod period,
    String idempotencyKey,
    String description) {

  /**
   * Checks the request.
   *
   * @throws io.minispod.ValidationException naming every bad field
   */
  public ChargeRequest {
    FieldErrors errors = new FieldErrors();
    BillingKeys.check(errors, "accountId", accountId, BillingKeys.MAX_ID_LENGTH);
    errors.require(reference != null, "reference", "must be given");
    if (errors.require(amount != null, "amount", "must be given")) {
      errors.require(
          !amount.isNegative(), "amount", "must not be negative, was " + amount + " (minor units)");
    }
    errors.require(period != null, "period", "must be given");
    BillingKeys.check(
        errors, "idempotencyKey", idempotencyKey, BillingKeys.MAX_IDEMPOTENCY_KEY_LENGTH);
    BillingKeys.checkOptionalText(errors, "description", description, BillingKeys.MAX_TEXT_LENGTH);
    errors.throwIfAny();
  }
}
