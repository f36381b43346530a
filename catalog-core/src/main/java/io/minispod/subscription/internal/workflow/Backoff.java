package io.minispod.subscription.internal.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter for workflow retries, as instants to try again at (the workflow
 * table's {@code next_attempt_at}), never as a sleep.
 *
 * @param first the pause after the first failure
 * @param max the longest pause
 * @param maxAttempts how many attempts a step gets before it is compensated
 */
public record Backoff(Duration first, Duration max, int maxAttempts) {

  /** 2 seconds, then doubling up to 5 minutes; 6 attempts. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5), 6);

  /** When to try again after {@code attempts} failed attempts, from {@code now}. */
  public Instant next(Instant now, int attempts) {
    long base = first.toMillis() << Math.min(attempts - 1, 20);
    long capped = Math.min(base, max.toMillis());
    long jitter = ThreadLocalRandom.current().nextLong(capped / 4 + 1);
    return now.plusMillis(capped - capped / 8 + jitter);
  }

  /** Whether a step that failed {@code attempts} times may be tried again. */
  public boolean mayRetry(int attempts) {
    return attempts < maxAttempts;
  }
}
