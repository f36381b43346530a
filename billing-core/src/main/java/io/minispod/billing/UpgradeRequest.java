package io.minispod.billing;

import io.minispod.FieldErrors;
import java.time.Instant;

/**
 * An immediate plan change within a period, to price, charge and record.
 *
 * @param accountId whose reference changes plan
 * @param from the reference with its current tags (the proration credit is recorded with them)
 * @param to the same reference with its new tags (the proration charge is recorded with them); its
 *     id must be {@code from}'s
 * @param period the billing period the change falls in
 * @param newPrice the new plan's price for a whole period, at least zero
 * @param changeAt the instant of the change, or {@code null} for the service clock's now
 * @param idempotencyKey unique per intended upgrade, at most 190 characters
 * @param description what it is for, shown to the gateway, or {@code null}
 */
public record UpgradeRequest(
    String accountId,
    BillingReference from,
    BillingReference to,
    BillingPeriod period,
    Money newPrice,
    Instant changeAt,
    String idempotencyKey,
    String description) {

  /**
   * Checks the request.
   *
   * @throws io.minispod.ValidationException naming every bad field
   */
  public UpgradeRequest {
    FieldErrors errors = new FieldErrors();
    BillingKeys.check(errors, "accountId", accountId, BillingKeys.MAX_ID_LENGTH);
    errors.require(from != null, "from", "must be given");
    if (errors.require(to != null, "to", "must be given") && from != null) {
      errors.require(
          to.id().equals(from.id()),
          "to.id",
          "must be the id of the reference changing plan, " + from.id() + ", was " + to.id());
    }
    errors.require(period != null, "period", "must be given");
    if (errors.require(newPrice != null, "newPrice", "must be given")) {
      errors.require(
          !newPrice.isNegative(),
          "newPrice",
          "must not be negative, was " + newPrice + " (minor units)");
    }
    BillingKeys.check(
        errors, "idempotencyKey", idempotencyKey, BillingKeys.MAX_IDEMPOTENCY_KEY_LENGTH);
    BillingKeys.checkOptionalText(errors, "description", description, BillingKeys.MAX_TEXT_LENGTH);
    errors.throwIfAny();
  }
}
