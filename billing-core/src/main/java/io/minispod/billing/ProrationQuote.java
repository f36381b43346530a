package io.minispod.billing;

import io.minispod.FieldErrors;
import java.time.Instant;

/**
 * The price of an immediate plan change within a period, by the two-line method: a credit for the
 * unused part of what was paid, a charge for the rest of the period at the new price, and the
 * difference due now.
 *
 * @param credit what is given back for the unused part of the current plan, at least zero
 * @param charge what the rest of the period costs at the new price, at least zero
 * @param due {@code charge - credit}: what the payment gateway is asked for when positive; never
 *     sent to it when zero
 * @param effectiveFrom the instant the new price applies from: the start of the day of the change
 *     for day granularity, the change's whole second for second granularity
 * @param period the billing period the change falls in
 */
public record ProrationQuote(
    Money credit, Money charge, Money due, Instant effectiveFrom, BillingPeriod period) {

  /**
   * Checks that the figures agree.
   *
   * @throws io.minispod.ValidationException if a field is missing, the credit or charge negative,
   *     the due not {@code charge - credit}, or {@code effectiveFrom} outside the period
   * @throws CurrencyMismatchException if the amounts are in different currencies
   */
  public ProrationQuote {
    FieldErrors errors = new FieldErrors();
    errors.require(credit != null, "credit", "must be given");
    errors.require(charge != null, "charge", "must be given");
    errors.require(due != null, "due", "must be given");
    errors.require(effectiveFrom != null, "effectiveFrom", "must be given");
    errors.require(period != null, "period", "must be given");
    errors.throwIfAny();
    credit.requireSameCurrency("charge", charge);
    credit.requireSameCurrency("due", due);
    errors.require(!credit.isNegative(), "credit", "must not be negative, was " + credit);
    errors.require(!charge.isNegative(), "charge", "must not be negative, was " + charge);
    errors.require(
        due.equals(charge.minus(credit)),
        "due",
        "must be charge - credit = " + charge.minus(credit) + ", was " + due);
    errors.require(
        !effectiveFrom.isBefore(period.start()) && !effectiveFrom.isAfter(period.end()),
        "effectiveFrom",
        "must be within " + period + ", was " + effectiveFrom);
    errors.throwIfAny();
  }

  /**
   * The part of the period the new price applies to.
   *
   * @return {@code [effectiveFrom, period.end)}, empty when the change falls on the period's end
   */
  public BillingPeriod remainder() {
    return new BillingPeriod(effectiveFrom, period.end());
  }

  /**
   * Whether the payment gateway has anything to collect.
   *
   * @return {@code true} when the due is positive
   */
  public boolean requiresPayment() {
    return due.isPositive();
  }
}
