package io.minispod.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

final class BillingCycleTest {

  @Test
  void period_monthlyAnchoredOn31st_keepsTheAnchorDay() {
    BillingCycle cycle =
        new BillingCycle(BillingInterval.MONTHLY, LocalDate.of(2026, 1, 31), ZoneOffset.UTC);

    assertThat(cycle.period(0)).isEqualTo(period("2026-01-31", "2026-02-28"));
    assertThat(cycle.period(1)).isEqualTo(period("2026-02-28", "2026-03-31"));
    assertThat(cycle.period(2)).isEqualTo(period("2026-03-31", "2026-04-30"));
    assertThat(cycle.period(3)).isEqualTo(period("2026-04-30", "2026-05-31"));
  }

  @Test
  void period_monthlyAnchoredOn31stInALeapYear_runsToFebruary29() {
    BillingCycle cycle =
        new BillingCycle(BillingInterval.MONTHLY, LocalDate.of(2028, 1, 31), ZoneOffset.UTC);

    assertThat(cycle.period(0)).isEqualTo(period("2028-01-31", "2028-02-29"));
    assertThat(cycle.period(1)).isEqualTo(period("2028-02-29", "2028-03-31"));
  }

  @Test
  void period_yearlyAnchoredOnFebruary29_fallsBackToThe28thAndReturns() {
    BillingCycle cycle =
        new BillingCycle(BillingInterval.YEARLY, LocalDate.of(2028, 2, 29), ZoneOffset.UTC);

    assertThat(cycle.period(0)).isEqualTo(period("2028-02-29", "2029-02-28"));
    assertThat(cycle.period(3)).isEqualTo(period("2031-02-28", "2032-02-29"));
  }

  @Test
  void periodContaining_clampedMonthEnd_findsTheRightPeriod() {
    BillingCycle cycle =
        new BillingCycle(BillingInterval.MONTHLY, LocalDate.of(2026, 1, 31), ZoneOffset.UTC);

    assertThat(cycle.periodContaining(at("2026-01-31T00:00"))).isEqualTo(cycle.period(0));
    assertThat(cycle.periodContaining(at("2026-02-27T23:59"))).isEqualTo(cycle.period(0));
    assertThat(cycle.periodContaining(at("2026-02-28T00:00"))).isEqualTo(cycle.period(1));
    assertThat(cycle.periodContaining(at("2026-03-30T12:00"))).isEqualTo(cycle.period(1));
    assertThat(cycle.periodContaining(at("2026-03-31T00:00"))).isEqualTo(cycle.period(2));
    assertThat(cycle.indexOf(at("2027-01-31T00:00"))).isEqualTo(12);
  }

  @Test
  void periodContaining_everyDayOfTwoYears_isHalfOpenAndContiguous() {
    BillingCycle cycle =
        new BillingCycle(BillingInterval.MONTHLY, LocalDate.of(2027, 12, 30), ZoneOffset.UTC);
    Instant instant = at("2027-12-30T00:00");
    for (int day = 0; day < 730; day++, instant = instant.plus(Duration.ofHours(24))) {
      BillingPeriod period = cycle.periodContaining(instant.plusSeconds(3_600));
      assertThat(period.contains(instant.plusSeconds(3_600))).isTrue();
      assertThat(cycle.following(period).start()).isEqualTo(period.end());
    }
  }

  @Test
  void startingAt_inABillingZone_beginsAtTheZonesMidnight() {
    ZoneId jakarta = ZoneId.of("Asia/Jakarta");
    // 20:00 UTC on April 9 is 03:00 on April 10 in Jakarta.
    BillingCycle cycle =
        BillingCycle.startingAt(at("2026-04-09T20:00"), BillingInterval.MONTHLY, jakarta);

    assertThat(cycle.anchor()).isEqualTo(LocalDate.of(2026, 4, 10));
    assertThat(cycle.period(0))
        .isEqualTo(new BillingPeriod(at("2026-04-09T17:00"), at("2026-05-09T17:00")));
  }

  @Test
  void period_acrossDaylightSaving_beginsAtLocalMidnight() {
    ZoneId newYork = ZoneId.of("America/New_York");
    BillingCycle cycle =
        new BillingCycle(BillingInterval.MONTHLY, LocalDate.of(2026, 3, 1), newYork);

    assertThat(cycle.period(0).start()).isEqualTo(at("2026-03-01T05:00"));
    assertThat(cycle.period(0).end()).isEqualTo(at("2026-04-01T04:00"));
    assertThat(cycle.period(0).length()).isEqualTo(Duration.ofDays(31).minusHours(1));
  }

  @Test
  void indexOf_beforeTheFirstPeriod_isRefused() {
    BillingCycle cycle =
        new BillingCycle(BillingInterval.YEARLY, LocalDate.of(2026, 4, 1), ZoneOffset.UTC);

    assertThatThrownBy(() -> cycle.periodContaining(at("2026-03-31T23:59")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("must not be before the cycle's first period");
    assertThatThrownBy(() -> cycle.indexOf(null)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> cycle.period(-1))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("index must not be negative, was -1");
  }

  @Test
  void new_missingFields_areAllNamed() {
    assertThatThrownBy(() -> new BillingCycle(null, null, null))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).fieldErrors())
                    .containsKeys("interval", "anchor", "zone"));
    assertThatThrownBy(() -> BillingCycle.startingAt(null, BillingInterval.MONTHLY, null))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e -> assertThat(((ValidationException) e).fieldErrors()).containsKeys("start", "zone"));
  }

  @Test
  void billingPeriod_halfOpen_containsItsStartButNotItsEnd() {
    BillingPeriod april = period("2026-04-01", "2026-05-01");

    assertThat(april.contains(april.start())).isTrue();
    assertThat(april.contains(april.end().minusNanos(1))).isTrue();
    assertThat(april.contains(april.end())).isFalse();
    assertThat(april.contains(april.start().minusNanos(1))).isFalse();
    assertThat(april.isEmpty()).isFalse();
    assertThat(april.length()).isEqualTo(Duration.ofDays(30));
    assertThat(april).hasToString("[2026-04-01T00:00:00Z, 2026-05-01T00:00:00Z)");
    assertThat(new BillingPeriod(april.end(), april.end()).isEmpty()).isTrue();
  }

  @Test
  void billingPeriod_endBeforeStartOrMissing_isRefused() {
    assertThatThrownBy(() -> new BillingPeriod(at("2026-05-01T00:00"), at("2026-04-01T00:00")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("period.end must not be before the start");
    assertThatThrownBy(() -> new BillingPeriod(null, null))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).fieldErrors())
                    .containsKeys("period.start", "period.end"));
  }

  private static Instant at(String utc) {
    return Instant.parse(utc + ":00Z");
  }

  private static BillingPeriod period(String start, String end) {
    return new BillingPeriod(at(start + "T00:00"), at(end + "T00:00"));
  }
}
