package io.minispod.catalog.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The caches' ticker: the catalog's injected {@link Clock}, so that entries age as that clock moves
 * (a test moves a {@code MutableClock} instead of sleeping), but never backwards. A wall clock can
 * be set back (by NTP or by hand); read directly, that would date the entries written before the
 * step in the future and keep them for the length of the step on top of their expiry. This ticker
 * counts only the clock's forward movement between its readings: a step back leaves it where it
 * was, and it goes on from there as the clock goes on. (What the clock moved forward between the
 * step and the next reading is not counted; the caches read the ticker on every access.)
 *
 * <p>Two threads may read the clock in one order and record in the other; the later record then
 * looks like a step back of a few milliseconds, after which the next reading counts those
 * milliseconds again. The ticker runs a little fast then, and entries expire that much early, never
 * late.
 */
final class ClockTicker implements Ticker {

  /** The clock's last reading and the nanoseconds counted up to it. */
  private record Reading(long clockMillis, long elapsedNanos) {}

  private final Clock clock;
  private final AtomicReference<Reading> last;

  ClockTicker(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.last = new AtomicReference<>(new Reading(clock.millis(), 0));
  }

  @Override
  public long read() {
    long now = clock.millis();
    while (true) {
      Reading seen = last.get();
      if (now == seen.clockMillis()) {
        return seen.elapsedNanos();
      }
      long forward = Math.max(0, now - seen.clockMillis());
      Reading next = new Reading(now, seen.elapsedNanos() + TimeUnit.MILLISECONDS.toNanos(forward));
      if (last.compareAndSet(seen, next)) {
        return next.elapsedNanos();
      }
    }
  }
}
