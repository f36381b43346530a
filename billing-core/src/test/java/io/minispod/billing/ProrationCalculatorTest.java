package io.minispod.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ValidationException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

final class ProrationCalculatorTest {

  private static final ProrationCalculator BY_DAY = ProrationCalculator.byDay(ZoneOffset.UTC);

  @Test
  void quote_idr100kTo250kOnApril10_credits70kCharges175kDue105k() {
    ProrationQuote quote =
        BY_DAY.quote(
            idr(100_000), idr(250_000), period("2026-04-01", "2026-05-01"), at("2026-04-10T09:30"));

    assertThat(quote.credit()).isEqualTo(idr(70_000));
    assertThat(quote.charge()).isEqualTo(idr(175_000));
    assertThat(quote.due()).isEqualTo(idr(105_000));
    assertThat(quote.effectiveFrom()).isEqualTo(at("2026-04-10T00:00"));
    assertThat(quote.remainder()).isEqualTo(period("2026-04-10", "2026-05-01"));
    assertThat(quote.requiresPayment()).isTrue();
  }

  @Test
  void quote_usd999To2499OnMarch10_credits709Charges1773Due1064() {
    ProrationQuote quote =
        BY_DAY.quote(
            usd(999), usd(2_499), period("2026-03-01", "2026-04-01"), at("2026-03-10T12:00"));

    assertThat(quote.credit()).isEqualTo(usd(709));
    assertThat(quote.charge()).isEqualTo(usd(1_773));
    assertThat(quote.due()).isEqualTo(usd(1_064));
  }

  @Test
  void quote_leapYearFebruary_countsTwentyNineDays() {
    // Feb 20 – Mar 1 2028 is 10 of February's 29 days.
    ProrationQuote quote =
        BY_DAY.quote(
            usd(29_000), usd(58_000), period("2028-02-01", "2028-03-01"), at("2028-02-20T08:00"));

    assertThat(quote.credit()).isEqualTo(usd(10_000));
    assertThat(quote.charge()).isEqualTo(usd(20_000));
    assertThat(quote.due()).isEqualTo(usd(10_000));
  }

  @Test
  void quote_commonYearFebruary_countsTwentyEightDays() {
    ProrationQuote quote =
        BY_DAY.quote(
            usd(28_000), usd(56_000), period("2027-02-01", "2027-03-01"), at("2027-02-20T08:00"));

    assertThat(quote.credit()).isEqualTo(usd(9_000));
    assertThat(quote.charge()).isEqualTo(usd(18_000));
  }

  @Test
  void quote_thirtyDayMonth_countsThirtyDays() {
    ProrationQuote quote =
        BY_DAY.quote(
            usd(3_000), usd(6_000), period("2026-06-01", "2026-07-01"), at("2026-06-21T00:00"));

    assertThat(quote.credit()).isEqualTo(usd(1_000));
    assertThat(quote.charge()).isEqualTo(usd(2_000));
  }

  @Test
  void quote_thirtyOneDayMonth_countsThirtyOneDays() {
    ProrationQuote quote =
        BY_DAY.quote(
            usd(3_100), usd(6_200), period("2026-07-01", "2026-08-01"), at("2026-07-22T23:59"));

    assertThat(quote.credit()).isEqualTo(usd(1_000));
    assertThat(quote.charge()).isEqualTo(usd(2_000));
  }

  @Test
  void quote_sameDayAsPeriodStart_fullCreditFullCharge() {
    ProrationQuote quote =
        BY_DAY.quote(
            idr(100_000), idr(250_000), period("2026-04-01", "2026-05-01"), at("2026-04-01T18:45"));

    assertThat(quote.credit()).isEqualTo(idr(100_000));
    assertThat(quote.charge()).isEqualTo(idr(250_000));
    assertThat(quote.due()).isEqualTo(idr(150_000));
    assertThat(quote.effectiveFrom()).isEqualTo(at("2026-04-01T00:00"));
  }

  @Test
  void quote_oneDayLeft_billsTheLastDay() {
    ProrationQuote quote =
        BY_DAY.quote(
            idr(300_000), idr(600_000), period("2026-04-01", "2026-05-01"), at("2026-04-30T23:00"));

    assertThat(quote.credit()).isEqualTo(idr(10_000));
    assertThat(quote.charge()).isEqualTo(idr(20_000));
    assertThat(quote.due()).isEqualTo(idr(10_000));
  }

  @Test
  void quote_atTheInstantThePeriodEnds_nothingDue() {
    ProrationQuote quote =
        BY_DAY.quote(
            idr(100_000), idr(250_000), period("2026-04-01", "2026-05-01"), at("2026-05-01T00:00"));

    assertThat(quote.credit()).isEqualTo(idr(0));
    assertThat(quote.charge()).isEqualTo(idr(0));
    assertThat(quote.due()).isEqualTo(idr(0));
    assertThat(quote.requiresPayment()).isFalse();
    assertThat(quote.remainder().isEmpty()).isTrue();
  }

  @Test
  void quote_fromFreePlan_creditsNothing() {
    ProrationQuote quote =
        BY_DAY.quote(
            idr(0), idr(250_000), period("2026-04-01", "2026-05-01"), at("2026-04-10T00:00"));

    assertThat(quote.credit()).isEqualTo(idr(0));
    assertThat(quote.charge()).isEqualTo(idr(175_000));
    assertThat(quote.due()).isEqualTo(idr(175_000));
  }

  @Test
  void quote_yenWithoutDecimals_roundsToWholeYen() {
    // 1,000 × 21/30 = 700; 2,980 × 21/30 = 2,086.
    ProrationQuote quote =
        BY_DAY.quote(
            Money.of(1_000, "JPY"),
            Money.of(2_980, "JPY"),
            period("2026-04-01", "2026-05-01"),
            at("2026-04-10T00:00"));

    assertThat(quote.credit()).isEqualTo(Money.of(700, "JPY"));
    assertThat(quote.charge()).isEqualTo(Money.of(2_086, "JPY"));
    assertThat(quote.due()).isEqualTo(Money.of(1_386, "JPY"));
  }

  @Test
  void quote_kuwaitiDinarWithThreeDecimals_roundsToWholeFils() {
    // KWD 5.250 × 22/31 = 3.725806… → 3.726; KWD 12.750 × 22/31 = 9.048387… → 9.048.
    ProrationQuote quote =
        BY_DAY.quote(
            Money.of(5_250, "KWD"),
            Money.of(12_750, "KWD"),
            period("2026-03-01", "2026-04-01"),
            at("2026-03-10T00:00"));

    assertThat(quote.credit()).isEqualTo(Money.of(3_726, "KWD"));
    assertThat(quote.charge()).isEqualTo(Money.of(9_048, "KWD"));
    assertThat(quote.due()).isEqualTo(Money.of(5_322, "KWD"));
    assertThat(CurrencyScales.iso4217().format(quote.due())).isEqualTo("KWD 5.322");
  }

  @Test
  void quote_exactlyHalfAMinorUnit_roundsHalfUp() {
    // 15 of 30 days: 1 × 15/30 = 0.5 → 1; 3 × 15/30 = 1.5 → 2; 5 × 15/30 = 2.5 → 3.
    BillingPeriod april = period("2026-04-01", "2026-05-01");
    ProrationQuote quote = BY_DAY.quote(usd(1), usd(5), april, at("2026-04-16T00:00"));

    assertThat(quote.credit()).isEqualTo(usd(1));
    assertThat(quote.charge()).isEqualTo(usd(3));
    assertThat(BY_DAY.quote(usd(3), usd(3), april, at("2026-04-16T00:00")).charge())
        .isEqualTo(usd(2));
  }

  @Test
  void quote_justBelowHalf_roundsDown() {
    // 7 × 1/15 of… use 31 days: 15 × 1/31 = 0.48 → 0.
    ProrationQuote quote =
        BY_DAY.quote(usd(15), usd(15), period("2026-03-01", "2026-04-01"), at("2026-03-31T00:00"));

    assertThat(quote.credit()).isEqualTo(usd(0));
    assertThat(quote.charge()).isEqualTo(usd(0));
  }

  @Test
  void quote_twoUpgradesInOnePeriod_creditsWhatWasActuallyPaid() {
    BillingPeriod april = period("2026-04-01", "2026-05-01");
    ProrationQuote first = BY_DAY.quote(idr(100_000), idr(250_000), april, at("2026-04-10T00:00"));
    // The Pro plan was paid by the first proration charge, covering April 10 to May 1 (21 days).
    ProrationQuote second =
        BY_DAY.quote(
            PaidCoverage.of(first.charge(), first.effectiveFrom()),
            idr(400_000),
            april,
            at("2026-04-20T00:00"));

    assertThat(second.credit()).isEqualTo(idr(91_667)); // 175,000 × 11/21
    assertThat(second.charge()).isEqualTo(idr(146_667)); // 400,000 × 11/30
    assertThat(second.due()).isEqualTo(idr(55_000));
    // 9 days at 100k, 10 at 250k and 11 at 400k, of 30: exactly what was paid in total.
    long paid = 100_000 + first.due().minorUnits() + second.due().minorUnits();
    assertThat(paid).isEqualTo((9 * 100_000L + 10 * 250_000L + 11 * 400_000L) / 30);
  }

  @Test
  void quote_secondUpgradeOnTheDayOfTheFirst_creditsTheWholeFirstProration() {
    BillingPeriod april = period("2026-04-01", "2026-05-01");
    ProrationQuote quote =
        BY_DAY.quote(
            PaidCoverage.of(idr(175_000), at("2026-04-10T00:00")),
            idr(400_000),
            april,
            at("2026-04-10T20:00"));

    assertThat(quote.credit()).isEqualTo(idr(175_000));
    assertThat(quote.charge()).isEqualTo(idr(280_000));
  }

  @Test
  void quote_partlyRefundedPayment_capsCreditAtWhatIsLeft() {
    PaidCoverage paid = new PaidCoverage(idr(100_000), at("2026-04-01T00:00"), idr(80_000));

    ProrationQuote quote =
        BY_DAY.quote(
            paid, idr(250_000), period("2026-04-01", "2026-05-01"), at("2026-04-10T00:00"));

    assertThat(quote.credit()).isEqualTo(idr(20_000));
    assertThat(quote.due()).isEqualTo(idr(155_000));
  }

  @Test
  void quote_billingZoneAhead_countsTheZonesDays() {
    ZoneId jakarta = ZoneId.of("Asia/Jakarta");
    BillingCycle cycle =
        BillingCycle.startingAt(at("2026-04-01T03:00"), BillingInterval.MONTHLY, jakarta);
    BillingPeriod april = cycle.period(0);
    // 01:00 on April 10 in Jakarta is still April 9 in UTC.
    ProrationQuote quote =
        ProrationCalculator.byDay(jakarta)
            .quote(idr(100_000), idr(250_000), april, at("2026-04-09T18:00"));

    assertThat(april.start()).isEqualTo(at("2026-03-31T17:00"));
    assertThat(quote.credit()).isEqualTo(idr(70_000));
    assertThat(quote.charge()).isEqualTo(idr(175_000));
    assertThat(quote.effectiveFrom()).isEqualTo(at("2026-04-09T17:00"));
  }

  @Test
  void quote_bySecond_countsSecondsAndBillsTheSecondOfTheChange() {
    ProrationCalculator bySecond = ProrationCalculator.bySecond();
    BillingPeriod hundredSeconds =
        new BillingPeriod(
            Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-04-01T00:01:40Z"));

    ProrationQuote quote =
        bySecond.quote(
            usd(1_000), usd(3_000), hundredSeconds, Instant.parse("2026-04-01T00:00:30.700Z"));

    assertThat(quote.credit()).isEqualTo(usd(700));
    assertThat(quote.charge()).isEqualTo(usd(2_100));
    assertThat(quote.effectiveFrom()).isEqualTo(Instant.parse("2026-04-01T00:00:30Z"));
    assertThat(bySecond.granularity()).isEqualTo(ProrationGranularity.SECOND);
    assertThat(bySecond.zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(bySecond).hasToString("ProrationCalculator[SECOND]");
  }

  @Test
  void quote_bySecondWithMisalignedPeriod_acceptsAnyInstants() {
    BillingPeriod odd =
        new BillingPeriod(
            Instant.parse("2026-04-01T10:37:12.500Z"), Instant.parse("2026-04-01T10:38:52.500Z"));

    ProrationQuote quote =
        ProrationCalculator.bySecond().quote(usd(100), usd(100), odd, odd.start());

    assertThat(quote.effectiveFrom()).isEqualTo(odd.start());
    assertThat(quote.credit()).isEqualTo(usd(100));
  }

  @Test
  void quote_negativeNewPrice_isRefused() {
    assertThatThrownBy(
            () ->
                BY_DAY.quote(
                    usd(100), usd(-1), period("2026-04-01", "2026-05-01"), at("2026-04-10T00:00")))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e -> assertThat(((ValidationException) e).fieldErrors()).containsKey("newPrice"));
  }

  @Test
  void quote_negativePaid_isRefused() {
    assertThatThrownBy(
            () ->
                BY_DAY.quote(
                    usd(-5), usd(100), period("2026-04-01", "2026-05-01"), at("2026-04-10T00:00")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("paid.amount");
  }

  @Test
  void quote_mismatchedCurrencies_isRefused() {
    assertThatThrownBy(
            () ->
                BY_DAY.quote(
                    usd(100), idr(100), period("2026-04-01", "2026-05-01"), at("2026-04-10T00:00")))
        .isInstanceOf(CurrencyMismatchException.class)
        .hasMessageContaining("newPrice must be in USD, was in IDR");
  }

  @Test
  void quote_changeBeforeThePeriod_isRefused() {
    assertThatThrownBy(
            () ->
                BY_DAY.quote(
                    usd(100), usd(200), period("2026-04-01", "2026-05-01"), at("2026-03-31T23:59")))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e -> assertThat(((ValidationException) e).fieldErrors()).containsKey("changeAt"));
  }

  @Test
  void quote_changeAfterThePeriod_isRefused() {
    assertThatThrownBy(
            () ->
                BY_DAY.quote(
                    usd(100), usd(200), period("2026-04-01", "2026-05-01"), at("2026-05-01T00:01")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("changeAt must be within the period");
  }

  @Test
  void quote_changeBeforeWhatWasPaid_isRefused() {
    PaidCoverage paid = PaidCoverage.of(usd(100), at("2026-04-10T00:00"));

    assertThatThrownBy(
            () ->
                BY_DAY.quote(
                    paid, usd(200), period("2026-04-01", "2026-05-01"), at("2026-04-05T00:00")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("must not be before the start of what was paid");
  }

  @Test
  void quote_paymentFromOutsideThePeriod_isRefused() {
    PaidCoverage paid = PaidCoverage.of(usd(100), at("2026-03-10T00:00"));

    assertThatThrownBy(
            () ->
                BY_DAY.quote(
                    paid, usd(200), period("2026-04-01", "2026-05-01"), at("2026-04-05T00:00")))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e -> assertThat(((ValidationException) e).fieldErrors()).containsKey("paid.from"));
  }

  @Test
  void quote_byDayWithPeriodNotOnDayBoundaries_isRefused() {
    BillingPeriod odd = new BillingPeriod(at("2026-04-01T10:00"), at("2026-05-01T10:00"));

    assertThatThrownBy(() -> BY_DAY.quote(usd(100), usd(200), odd, at("2026-04-10T00:00")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("must begin and end at the start of a day in Z");
  }

  @Test
  void quote_missingArguments_areNamed() {
    BillingPeriod april = period("2026-04-01", "2026-05-01");
    assertThatThrownBy(() -> BY_DAY.quote((Money) null, usd(1), april, at("2026-04-10T00:00")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("paid must be given");
    assertThatThrownBy(() -> BY_DAY.quote(usd(1), usd(1), null, at("2026-04-10T00:00")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("period must be given");
    assertThatThrownBy(() -> BY_DAY.quote(usd(1), null, april, null))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).fieldErrors())
                    .containsKeys("newPrice", "changeAt"));
  }

  @Test
  void byDay_describesItself() {
    assertThat(BY_DAY.granularity()).isEqualTo(ProrationGranularity.DAY);
    assertThat(BY_DAY.zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(BY_DAY).hasToString("ProrationCalculator[DAY in Z]");
  }

  @Test
  void share_emptyWhole_isZero() {
    assertThat(ProrationCalculator.share(1_000, 0, 0)).isZero();
    assertThat(ProrationCalculator.share(Long.MAX_VALUE, 3, 4))
        .isEqualTo(6_917_529_027_641_081_855L);
  }

  static Money usd(long cents) {
    return Money.of(cents, "USD");
  }

  static Money idr(long rupiah) {
    return Money.of(rupiah, "IDR");
  }

  static Instant at(String localUtc) {
    return Instant.parse(localUtc + ":00Z");
  }

  static BillingPeriod period(String startDate, String endDate) {
    return new BillingPeriod(at(startDate + "T00:00"), at(endDate + "T00:00"));
  }
}
