package io.minispod.billing;

import io.minispod.FieldErrors;
import java.time.Instant;

/**
 * What was actually paid for the current plan in the current period, and from when: the credit of a
 * proration is the unused part of this payment.
 *
 * <p>For a plan paid at the start of its period, {@code amount} is that charge and {@code from} the
 * period's start. After an upgrade within the period, the current plan was paid by the upgrade's
 * proration charge, which covers the period from the (start of the day of the) change on: {@code
 * amount} is that proration charge and {@code from} its start. That is how two upgrades in one
 * period credit what was actually paid, the first proration included. {@link
 * BillingService#quoteUpgrade} reads it from the ledger.
 *
 * @param amount what was paid, at least zero
 * @param from the instant from which the payment covers the period, up to the period's end
 * @param refunded how much of it has since been refunded, from zero up to {@code amount}; the
 *     credit is capped at {@code amount - refunded}
 */
public record PaidCoverage(Money amount, Instant from, Money refunded) {

  /**
   * Checks the coverage.
   *
   * @throws io.minispod.ValidationException if a field is missing, an amount negative or the refund
   *     larger than the payment
   * @throws CurrencyMismatchException if the refund is in another currency than the payment
   */
  public PaidCoverage {
    FieldErrors errors = new FieldErrors();
    errors.require(amount != null, "paid.amount", "must be given");
    errors.require(from != null, "paid.from", "must be given");
    errors.require(refunded != null, "paid.refunded", "must be given");
    errors.throwIfAny();
    amount.requireSameCurrency("paid.refunded", refunded);
    errors.require(
        !amount.isNegative(),
        "paid.amount",
        "must not be negative, was " + amount + " (minor units)");
    errors.require(
        !refunded.isNegative() && refunded.compareTo(amount) <= 0,
        "paid.refunded",
        "must be from 0 to the amount paid (" + amount + "), was " + refunded);
    errors.throwIfAny();
  }

  /**
   * A payment that covers the period from {@code from} on, with nothing refunded.
   *
   * @param amount what was paid
   * @param from the instant from which it covers the period
   * @return the coverage
   */
  public static PaidCoverage of(Money amount, Instant from) {
    return new PaidCoverage(amount, from, amount == null ? null : Money.zero(amount.currency()));
  }

  /**
   * What of the payment the account still has: the most a credit can give back.
   *
   * @return the amount less what was refunded
   */
  public Money unrefunded() {
    return amount.minus(refunded);
  }
}
