package io.minispod.billing;

import io.minispod.FieldErrors;
import java.time.Duration;
import java.time.Instant;

/**
 * A half-open interval of time {@code [start, end)} that something is billed for: a period of a
 * {@link BillingCycle}, or the rest of one from a plan change on. An instant equal to {@code end}
 * belongs to the next period.
 *
 * @param start the first instant of the period
 * @param end the first instant after it; equal to {@code start} only for an empty period (the rest
 *     of a period from its very end)
 */
public record BillingPeriod(Instant start, Instant end) {

  /**
   * Checks the bounds.
   *
   * @throws io.minispod.ValidationException if a bound is missing or the end is before the start
   */
  public BillingPeriod {
    FieldErrors errors = new FieldErrors();
    errors.require(start != null, "period.start", "must be given");
    errors.require(end != null, "period.end", "must be given");
    if (start != null && end != null) {
      errors.require(
          !end.isBefore(start),
          "period.end",
          "must not be before the start " + start + ", was " + end);
    }
    errors.throwIfAny();
  }

  /**
   * Whether an instant falls within the period.
   *
   * @param instant the instant
   * @return {@code true} if {@code start <= instant < end}
   */
  public boolean contains(Instant instant) {
    return !instant.isBefore(start) && instant.isBefore(end);
  }

  /**
   * Whether the period holds no time at all.
   *
   * @return {@code true} when start equals end
   */
  public boolean isEmpty() {
    return start.equals(end);
  }

  /**
   * How long the period lasts.
   *
   * @return the duration from start to end
   */
  public Duration length() {
    return Duration.between(start, end);
  }

  @Override
  public String toString() {
    return "[" + start + ", " + end + ")";
  }
}
