package io.minispod.billing;

import io.minispod.FieldErrors;
import io.minispod.ValidationException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The periods something is billed for: monthly or yearly, from an anchor date, in a time zone.
 * Every period is a half-open {@link BillingPeriod} that begins at the start of a day in the zone
 * (midnight, or the first instant of the day where daylight saving skips midnight).
 *
 * <p>The anchor's day of month is kept: the n-th period starts n months (or years) after the
 * anchor, counted from the anchor each time, so a cycle anchored on January 31 runs Jan 31 → Feb 28
 * (29 in a leap year) → Mar 31 → Apr 30 → May 31, and a yearly cycle anchored on February 29 starts
 * on February 28 in other years and on the 29th again in leap years.
 *
 * <pre>{@code
 * BillingCycle cycle = BillingCycle.startingAt(subscribedAt, BillingInterval.MONTHLY, ZoneId.of("Asia/Jakarta"));
 * BillingPeriod current = cycle.periodContaining(clock.instant());
 * }</pre>
 *
 * @param interval monthly or yearly
 * @param anchor the local date the first period starts on, whose day of month every period keeps
 * @param zone the time zone whose days the periods begin and end with
 */
public record BillingCycle(BillingInterval interval, LocalDate anchor, ZoneId zone) {

  /**
   * Checks the fields.
   *
   * @throws ValidationException naming every missing field
   */
  public BillingCycle {
    FieldErrors errors = new FieldErrors();
    errors.require(interval != null, "interval", "must be MONTHLY or YEARLY");
    errors.require(anchor != null, "anchor", "must be given");
    errors.require(zone != null, "zone", "must be given");
    errors.throwIfAny();
  }

  /**
   * The cycle whose first period starts on the day (in the zone) of an instant, such as the moment
   * a subscription was taken out.
   *
   * @param start the instant the first period contains
   * @param interval monthly or yearly
   * @param zone the billing time zone
   * @return the cycle anchored on that day
   */
  public static BillingCycle startingAt(Instant start, BillingInterval interval, ZoneId zone) {
    FieldErrors errors = new FieldErrors();
    errors.require(start != null, "start", "must be given");
    errors.require(zone != null, "zone", "must be given");
    errors.throwIfAny();
    return new BillingCycle(interval, LocalDate.ofInstant(start, zone), zone);
  }

  /**
   * A period of the cycle by its number.
   *
   * @param index 0 for the first period, 1 for the second, …
   * @return the period
   * @throws ValidationException if the index is negative
   */
  public BillingPeriod period(long index) {
    if (index < 0) {
      throw ValidationException.of("index", "must not be negative, was " + index);
    }
    return new BillingPeriod(startOf(index), startOf(index + 1));
  }

  /**
   * The period an instant falls in.
   *
   * @param instant the instant, not before the cycle's first period
   * @return the period with {@code start <= instant < end}
   * @throws ValidationException if the instant is before the first period
   */
  public BillingPeriod periodContaining(Instant instant) {
    return period(indexOf(instant));
  }

  /**
   * The number of the period an instant falls in.
   *
   * @param instant the instant, not before the cycle's first period
   * @return 0 for the first period, 1 for the second, …
   * @throws ValidationException if the instant is before the first period
   */
  public long indexOf(Instant instant) {
    if (instant == null || instant.isBefore(startOf(0))) {
      throw ValidationException.of(
          "instant",
          "must not be before the cycle's first period " + startOf(0) + ", was " + instant);
    }
    // A first guess from whole months (years) between the dates, then corrected: a clamped day
    // (Feb 28 for an anchor on the 31st) can put the instant one period further than the guess.
    long index = Math.max(0, interval.between(anchor, LocalDate.ofInstant(instant, zone)));
    while (!startOf(index + 1).isAfter(instant)) {
      index++;
    }
    while (index > 0 && startOf(index).isAfter(instant)) {
      index--;
    }
    return index;
  }

  /**
   * The period after a period of this cycle.
   *
   * @param period a period of this cycle
   * @return the period that starts where it ends
   */
  public BillingPeriod following(BillingPeriod period) {
    return periodContaining(period.end());
  }

  private Instant startOf(long index) {
    return interval.addTo(anchor, index).atStartOfDay(zone).toInstant();
  }
}
