package io.minispod.subscription.internal.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(30), 4);
  private final Instant now = Instant.parse("2026-04-01T00:00:00Z");

  @Test
  void next_growsExponentiallyWithJitterUpToTheCap() {
    for (int attempt = 1; attempt <= 8; attempt++) {
      long expected = Math.min(2_000L << (attempt - 1), 30_000L);
      Duration pause = Duration.between(now, backoff.next(now, attempt));
      assertThat(pause.toMillis()).isBetween(expected - expected / 8, expected + expected / 8);
    }
  }

  @Test
  void mayRetry_stopsAtTheLastAttempt() {
    assertThat(backoff.mayRetry(3)).isTrue();
    assertThat(backoff.mayRetry(4)).isFalse();
  }
}
