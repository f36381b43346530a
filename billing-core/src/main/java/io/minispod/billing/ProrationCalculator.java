package io.minispod.billing;

import io.minispod.FieldErrors;
import io.minispod.ValidationException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Prices an immediate plan change within a billing period, exactly, by the two-line method:
 *
 * <pre>
 * credit = round(paid      × remaining / covered)   capped at what of the payment was not refunded
 * charge = round(newPrice  × remaining / periodLength)
 * due    = charge − credit
 * </pre>
 *
 * where {@code remaining} is the time from the change to the end of the period, {@code
 * periodLength} the length of the whole period and {@code covered} the time the payment covers (the
 * whole period for a plan paid at its start; see {@link PaidCoverage}). Each line multiplies first
 * and divides once, in exact integer arithmetic, and rounds half up to a whole minor unit, which is
 * the currency's configured scale. Thus {@code 0 <= credit <= paid}, {@code 0 <= charge <=
 * newPrice} and {@code due = charge - credit}, always.
 *
 * <p>Time is counted in whole days of a time zone by default ({@link #byDay}): the day of the
 * change is billed at the new price, so an upgrade on the first day of a period credits and charges
 * the full period, and one at the very end of the period (the instant it ends) credits and charges
 * nothing. {@link #bySecond()} counts seconds instead.
 *
 * <p>Worked example: IDR 100,000 → 250,000 on April 10 of the period April 1 – May 1 (30 days, 21
 * remaining): credit 70,000, charge 175,000, due 105,000.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProrationCalculator {

  private final ProrationGranularity granularity;
  private final ZoneId zone;

  private ProrationCalculator(ProrationGranularity granularity, ZoneId zone) {
    this.granularity = granularity;
    this.zone = zone;
  }

  /**
   * A calculator that counts whole days of a time zone, the day of the change included.
   *
   * @param zone the billing time zone, the one the periods' days begin in
   * @return the calculator
   */
  public static ProrationCalculator byDay(ZoneId zone) {
    return new ProrationCalculator(ProrationGranularity.DAY, Objects.requireNonNull(zone, "zone"));
  }

  /**
   * A calculator that counts whole seconds, the second of the change included.
   *
   * @return the calculator
   */
  public static ProrationCalculator bySecond() {
    return new ProrationCalculator(ProrationGranularity.SECOND, ZoneOffset.UTC);
  }

  /**
   * The unit time is counted in.
   *
   * @return days or seconds
   */
  public ProrationGranularity granularity() {
    return granularity;
  }

  /**
   * The time zone whose days are counted.
   *
   * @return the zone ({@code UTC} for second granularity, where it plays no part)
   */
  public ZoneId zone() {
    return zone;
  }

  /**
   * Prices a change when the current plan was paid in full at the start of the period.
   *
   * @param paidForThisPeriod what was paid for the period, at least zero (zero for a free plan)
   * @param newPrice the new plan's price for a whole period of the same length, at least zero
   * @param period the billing period the change falls in
   * @param changeAt the instant of the change, from the period's start up to and including its end
   * @return the quote
   * @throws ValidationException if an amount is negative, a field missing or the change outside the
   *     period
   * @throws CurrencyMismatchException if the amounts are in different currencies
   */
  public ProrationQuote quote(
      Money paidForThisPeriod, Money newPrice, BillingPeriod period, Instant changeAt) {
    if (paidForThisPeriod == null || period == null) {
      FieldErrors errors = new FieldErrors();
      errors.require(paidForThisPeriod != null, "paid", "must be given");
      errors.require(period != null, "period", "must be given");
      errors.throwIfAny();
    }
    return quote(PaidCoverage.of(paidForThisPeriod, period.start()), newPrice, period, changeAt);
  }

  /**
   * Prices a change given what was actually paid for the current plan and from when.
   *
   * @param paid what was paid for the current plan, and the instant from which it covers the period
   * @param newPrice the new plan's price for a whole period of the same length, at least zero
   * @param period the billing period the change falls in
   * @param changeAt the instant of the change, from the start of what was paid up to and including
   *     the period's end
   * @return the quote
   * @throws ValidationException if an amount is negative, a field missing, the change outside the
   *     period or before what was paid, or (for day granularity) the period or the payment not
   *     aligned to the start of a day in the zone
   * @throws CurrencyMismatchException if the amounts are in different currencies
   */
  public ProrationQuote quote(
      PaidCoverage paid, Money newPrice, BillingPeriod period, Instant changeAt) {
    check(paid, newPrice, period, changeAt);
    long periodUnits;
    long coveredUnits;
    long remainingUnits;
    Instant effectiveFrom;
    if (granularity == ProrationGranularity.DAY) {
      LocalDate end = day(period.end());
      LocalDate changeDay = day(changeAt);
      periodUnits = ChronoUnit.DAYS.between(day(period.start()), end);
      coveredUnits = ChronoUnit.DAYS.between(day(paid.from()), end);
      remainingUnits = ChronoUnit.DAYS.between(changeDay, end);
      effectiveFrom =
          changeAt.equals(period.end()) ? period.end() : changeDay.atStartOfDay(zone).toInstant();
    } else {
      long end = period.end().getEpochSecond();
      periodUnits = end - period.start().getEpochSecond();
      coveredUnits = end - paid.from().getEpochSecond();
      remainingUnits = end - changeAt.getEpochSecond();
      Instant whole = changeAt.truncatedTo(ChronoUnit.SECONDS);
      effectiveFrom = whole.isBefore(period.start()) ? period.start() : whole;
    }
    Money credit =
        new Money(
                share(paid.amount().minorUnits(), remainingUnits, coveredUnits),
                newPrice.currency())
            .min(paid.unrefunded());
    Money charge =
        new Money(share(newPrice.minorUnits(), remainingUnits, periodUnits), newPrice.currency());
    return new ProrationQuote(credit, charge, charge.minus(credit), effectiveFrom, period);
  }

  /** {@code round(amount × part / whole)}, half up, exactly; nothing of an empty whole. */
  static long share(long amount, long part, long whole) {
    if (whole == 0) {
      return 0;
    }
    return BigDecimal.valueOf(amount)
        .multiply(BigDecimal.valueOf(part))
        .divide(BigDecimal.valueOf(whole), 0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  private void check(PaidCoverage paid, Money newPrice, BillingPeriod period, Instant changeAt) {
    FieldErrors errors = new FieldErrors();
    errors.require(paid != null, "paid", "must be given");
    errors.require(newPrice != null, "newPrice", "must be given");
    errors.require(period != null, "period", "must be given");
    errors.require(changeAt != null, "changeAt", "must be given");
    errors.throwIfAny();
    paid.amount().requireSameCurrency("newPrice", newPrice);
    errors.require(
        !newPrice.isNegative(),
        "newPrice",
        "must not be negative, was " + newPrice + " (minor units)");
    errors.require(
        !changeAt.isBefore(period.start()) && !changeAt.isAfter(period.end()),
        "changeAt",
        "must be within the period " + period + " (its end included), was " + changeAt);
    errors.require(
        !paid.from().isBefore(period.start()) && !paid.from().isAfter(period.end()),
        "paid.from",
        "must be within the period " + period + ", was " + paid.from());
    errors.require(
        !changeAt.isBefore(paid.from()),
        "changeAt",
        "must not be before the start of what was paid (" + paid.from() + "), was " + changeAt);
    if (granularity == ProrationGranularity.DAY) {
      errors.require(
          startsDay(period.start()) && startsDay(period.end()),
          "period",
          "must begin and end at the start of a day in "
              + zone
              + " for day-granular proration, was "
              + period);
      errors.require(
          startsDay(paid.from()),
          "paid.from",
          "must be the start of a day in "
              + zone
              + " for day-granular proration, was "
              + paid.from());
    }
    errors.throwIfAny();
  }

  private LocalDate day(Instant instant) {
    return LocalDate.ofInstant(instant, zone);
  }

  private boolean startsDay(Instant instant) {
    return day(instant).atStartOfDay(zone).toInstant().equals(instant);
  }

  @Override
  public String toString() {
    return "ProrationCalculator["
        + granularity
        + (granularity == ProrationGranularity.DAY ? " in " + zone : "")
        + "]";
  }
}
