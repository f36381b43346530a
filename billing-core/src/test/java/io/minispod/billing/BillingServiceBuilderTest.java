package io.minispod.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

final class BillingServiceBuilderTest {

  @Test
  void build_withoutGateway_isRefused() {
    BillingServiceBuilder builder = BillingService.builder(new PGSimpleDataSource());

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no payment gateway set");
  }

  @Test
  void build_defaults_areDaysInUtcAndIsoScales() {
    BillingService billing =
        BillingService.builder(new PGSimpleDataSource())
            .paymentGateway(new MockPaymentGateway())
            .build();

    assertThat(billing.calculator().granularity()).isEqualTo(ProrationGranularity.DAY);
    assertThat(billing.calculator().zone()).isEqualTo(ZoneId.of("Z"));
    assertThat(billing.currencyScales()).isEqualTo(CurrencyScales.iso4217());
  }

  @Test
  void build_configured_usesZoneGranularityAndScales() {
    ZoneId jakarta = ZoneId.of("Asia/Jakarta");
    BillingService billing =
        BillingService.builder(new PGSimpleDataSource())
            .paymentGateway(new MockPaymentGateway())
            .zone(jakarta)
            .currencyScales(CurrencyScales.iso4217().withScale("KWD", 2))
            .currencyScale("IDR", 0)
            .clock(java.time.Clock.systemUTC())
            .build();

    assertThat(billing.calculator().zone()).isEqualTo(jakarta);
    assertThat(billing.currencyScales().scaleOf(Currency.getInstance("IDR"))).isZero();
    assertThat(billing.currencyScales().scaleOf(Currency.getInstance("KWD"))).isEqualTo(2);
    assertThat(
            billing
                .cycleStartingAt(Instant.parse("2026-04-09T20:00:00Z"), BillingInterval.MONTHLY)
                .period(0)
                .start())
        .isEqualTo(Instant.parse("2026-04-09T17:00:00Z"));
    assertThat(
            BillingService.builder(new PGSimpleDataSource())
                .paymentGateway(new MockPaymentGateway())
                .prorationGranularity(ProrationGranularity.SECOND)
                .build()
                .calculator()
                .granularity())
        .isEqualTo(ProrationGranularity.SECOND);
  }

  @Test
  void builder_nulls_areRefused() {
    BillingServiceBuilder builder = BillingService.builder(new PGSimpleDataSource());

    assertThatThrownBy(() -> BillingService.builder(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.paymentGateway(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.zone(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.settlementClaim(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.settlementWait(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.observer(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void settlementClaimAndWait_notPositive_areRefusedNamingTheSetting() {
    BillingServiceBuilder builder = BillingService.builder(new PGSimpleDataSource());

    assertThatThrownBy(() -> builder.settlementClaim(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("settlement claim must be positive, was PT0S");
    assertThatThrownBy(() -> builder.settlementWait(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("settlement wait must be positive, was PT-1S");
    assertThat(
            builder
                .settlementClaim(Duration.ofMinutes(10))
                .settlementWait(Duration.ofSeconds(30))
                .paymentGateway(new MockPaymentGateway())
                .build())
        .isNotNull();
  }
}
