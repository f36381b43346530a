package io.minispod.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

final class ProrationPropertiesTest {

  private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
  private static final LocalDate ANCHOR = LocalDate.of(2026, 1, 31);

  @Property(tries = 300)
  void quoteByDay_anyFullPayment_keepsTheInvariants(
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long paid,
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long newPrice,
      @ForAll @IntRange(min = 0, max = 40) int periodIndex,
      @ForAll @IntRange(min = 0, max = 400) int changeDays,
      @ForAll @IntRange(min = 0, max = 86_399) int changeSecondOfDay) {
    BillingPeriod period =
        new BillingCycle(BillingInterval.MONTHLY, ANCHOR, JAKARTA).period(periodIndex);
    Instant changeAt =
        clamp(period.start().plusSeconds(changeDays * 86_400L + changeSecondOfDay), period);

    ProrationQuote quote =
        ProrationCalculator.byDay(JAKARTA)
            .quote(Money.of(paid, "IDR"), Money.of(newPrice, "IDR"), period, changeAt);

    assertInvariants(quote, paid, newPrice);
  }

  @Property(tries = 300)
  void quoteByDay_anyEarlierProration_keepsTheInvariants(
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long paid,
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long newPrice,
      @ForAll @IntRange(min = 0, max = 4) int periodIndex,
      @ForAll @IntRange(min = 0, max = 366) int fromDays,
      @ForAll @IntRange(min = 0, max = 366) int moreDays) {
    BillingPeriod period =
        new BillingCycle(BillingInterval.YEARLY, LocalDate.of(2028, 2, 29), ZoneOffset.UTC)
            .period(periodIndex);
    Instant from = clamp(period.start().plusSeconds(fromDays * 86_400L), period);
    Instant changeAt = clamp(from.plusSeconds(moreDays * 86_400L + 3_600), period);

    ProrationQuote quote =
        ProrationCalculator.byDay(ZoneOffset.UTC)
            .quote(
                PaidCoverage.of(Money.of(paid, "USD"), from),
                Money.of(newPrice, "USD"),
                period,
                changeAt);

    assertInvariants(quote, paid, newPrice);
  }

  @Property(tries = 300)
  void quoteBySecond_anyInstant_keepsTheInvariants(
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long paid,
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long newPrice,
      @ForAll @LongRange(min = 1, max = 40_000_000L) long periodSeconds,
      @ForAll @LongRange(min = 0, max = 40_000_000_000L) long changeMillis) {
    Instant start = Instant.parse("2026-03-01T00:00:00Z");
    BillingPeriod period = new BillingPeriod(start, start.plusSeconds(periodSeconds));
    Instant changeAt = clamp(start.plusMillis(changeMillis), period);

    ProrationQuote quote =
        ProrationCalculator.bySecond()
            .quote(Money.of(paid, "KWD"), Money.of(newPrice, "KWD"), period, changeAt);

    assertInvariants(quote, paid, newPrice);
  }

  private static void assertInvariants(ProrationQuote quote, long paid, long newPrice) {
    assertThat(quote.credit().minorUnits()).isBetween(0L, paid);
    assertThat(quote.charge().minorUnits()).isBetween(0L, newPrice);
    assertThat(quote.due()).isEqualTo(quote.charge().minus(quote.credit()));
    assertThat(quote.effectiveFrom()).isBetween(quote.period().start(), quote.period().end());
  }

  private static Instant clamp(Instant instant, BillingPeriod period) {
    return instant.isAfter(period.end()) ? period.end() : instant;
  }
}
