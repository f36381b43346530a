package io.minispod.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

final class MutableClockTest {

  @Test
  void advance_movesEveryViewOfTheClock() {
    MutableClock clock = MutableClock.at("2026-04-10T08:00:00Z");
    var jakarta = clock.withZone(ZoneId.of("Asia/Jakarta"));

    clock.advance(Duration.ofDays(1));

    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-04-11T08:00:00Z"));
    assertThat(jakarta.instant()).isEqualTo(clock.instant());
    assertThat(jakarta.getZone()).isEqualTo(ZoneId.of("Asia/Jakarta"));
    assertThat(clock.getZone()).isEqualTo(java.time.ZoneOffset.UTC);
  }

  @Test
  void set_jumpsToTheInstant() {
    MutableClock clock = MutableClock.at(Instant.EPOCH);
    clock.set(Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(clock.millis()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
  }
}
