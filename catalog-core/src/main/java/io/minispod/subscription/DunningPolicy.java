package io.minispod.subscription;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What happens after a renewal charge is declined: when the charge is tried again, and how long a
 * subscription stays {@link SubscriptionStatus#SUSPENDED suspended} (instance stopped, data and
 * quota kept) once every retry failed, before it is cancelled.
 *
 * <p>The default, {@link #standard()}, retries 1, 3 and 7 days after the first decline and keeps a
 * suspended subscription for 14 days, as Stripe's and Lago's default dunning schedules do.
 * Implementations must be thread-safe and answer from their arguments alone.
 */
public interface DunningPolicy {

  /**
   * When to try the charge again after {@code failures} declined attempts for one period.
   *
   * @param failures declined attempts so far, at least 1
   * @return the delay, counted from the first decline, after which the next attempt is due; empty
   *     when no retry is left and the subscription is to be suspended
   */
  Optional<Duration> retryAfter(int failures);

  /**
   * How long a suspended subscription keeps its data and quota before it is cancelled.
   *
   * @return the grace period, not negative
   */
  Duration gracePeriod();

  /**
   * Retries 1, 3 and 7 days after the first decline, then 14 days of suspension.
   *
   * @return the default policy
   */
  static DunningPolicy standard() {
    return schedule(
        List.of(Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(7)), Duration.ofDays(14));
  }

  /**
   * A fixed schedule.
   *
   * @param retries the delays of the retries, each counted from the first decline, increasing;
   *     empty for no retry (suspended at the first decline)
   * @param gracePeriod how long a suspended subscription is kept
   * @return the policy
   * @throws IllegalArgumentException if a delay is not positive, the delays do not increase, or the
   *     grace period is negative
   */
  static DunningPolicy schedule(List<Duration> retries, Duration gracePeriod) {
    List<Duration> delays = List.copyOf(retries);
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    Duration previous = Duration.ZERO;
    for (Duration delay : delays) {
      if (delay.compareTo(previous) <= 0) {
        throw new IllegalArgumentException(
            "retry delays must be positive and increasing, were " + delays);
      }
      previous = delay;
    }
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("gracePeriod must not be negative, was " + gracePeriod);
    }
    return new DunningPolicy() {
      @Override
      public Optional<Duration> retryAfter(int failures) {
        return failures >= 1 && failures <= delays.size()
            ? Optional.of(delays.get(failures - 1))
            : Optional.empty();
      }

      @Override
      public Duration gracePeriod() {
        return gracePeriod;
      }

      @Override
      public String toString() {
        return "DunningPolicy[retries=" + delays + ", gracePeriod=" + gracePeriod + "]";
      }
    };
  }
}
