package io.minispod.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.testkit.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class ClockTickerTest {

  private final MutableClock clock = MutableClock.at("2026-01-15T10:30:00Z");
  private final ClockTicker ticker = new ClockTicker(clock);

  @Test
  void read_clockStill_standsStill() {
    assertThat(ticker.read()).isZero();
    assertThat(ticker.read()).isZero();
  }

  @Test
  void read_clockMovesForward_followsItInNanoseconds() {
    clock.advance(Duration.ofMillis(1500));
    assertThat(ticker.read()).isEqualTo(Duration.ofMillis(1500).toNanos());
    clock.advance(Duration.ofMinutes(10));
    assertThat(ticker.read()).isEqualTo(Duration.ofMillis(1500).plusMinutes(10).toNanos());
  }

  @Test
  void read_clockSetBack_neverRunsBackwardsAndGoesOnFromThere() {
    clock.advance(Duration.ofSeconds(5));
    long before = ticker.read();
    clock.set(clock.instant().minus(Duration.ofHours(2)));
    assertThat(ticker.read()).as("a step back is not counted").isEqualTo(before);
    clock.advance(Duration.ofSeconds(3));
    assertThat(ticker.read())
        .as("forward movement after the step counts at once")
        .isEqualTo(before + Duration.ofSeconds(3).toNanos());
  }
}
