package io.minispod.billing;

import io.minispod.FieldErrors;

/**
 * What a plan costs per period: a non-negative amount (zero for a free plan) and the period it pays
 * for.
 *
 * @param amount the amount per period, at least zero
 * @param interval the period it pays for
 */
public record Price(Money amount, BillingInterval interval) {

  /**
   * Checks the price.
   *
   * @throws io.minispod.ValidationException if the amount is missing or negative, or the interval
   *     missing
   */
  public Price {
    FieldErrors errors = new FieldErrors();
    if (errors.require(amount != null, "amount", "must be given")) {
      errors.require(
          !amount.isNegative(), "amount", "must not be negative, was " + amount + " (minor units)");
    }
    errors.require(interval != null, "interval", "must be MONTHLY or YEARLY");
    errors.throwIfAny();
  }

  /**
   * A price per month.
   *
   * @param minorUnits the amount in minor units, at least zero
   * @param currencyCode an ISO 4217 code
   * @return the price
   * @throws io.minispod.ValidationException if the amount is negative or the currency unknown
   */
  public static Price monthly(long minorUnits, String currencyCode) {
    return new Price(Money.of(minorUnits, currencyCode), BillingInterval.MONTHLY);
  }

  /**
   * A price per year.
   *
   * @param minorUnits the amount in minor units, at least zero
   * @param currencyCode an ISO 4217 code
   * @return the price
   * @throws io.minispod.ValidationException if the amount is negative or the currency unknown
   */
  public static Price yearly(long minorUnits, String currencyCode) {
    return new Price(Money.of(minorUnits, currencyCode), BillingInterval.YEARLY);
  }

  /**
   * Whether the plan costs nothing.
   *
   * @return {@code true} for a zero amount
   */
  public boolean isFree() {
    return amount.isZero();
  }

  /**
   * The amount spread over one month, rounded up, so that monthly and yearly prices of one currency
   * can be compared (the catalog's price filter and sort use it).
   *
   * @return the amount per month
   */
  public Money monthlyEquivalent() {
    return interval == BillingInterval.YEARLY
        ? Money.of(Math.floorDiv(amount.minorUnits() + 11, 12), amount.currency())
        : amount;
  }
}
