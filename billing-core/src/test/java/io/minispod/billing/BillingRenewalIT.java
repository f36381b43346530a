package io.minispod.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Renewal lines: the charge of a period after the first, and how the rest of billing sees it. */
final class BillingRenewalIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T03:00:00Z");
  private final MockPaymentGateway gateway = new MockPaymentGateway();
  private BillingService billing;
  private BillingCycle cycle;
  private String account;
  private String subscription;

  @BeforeEach
  void build() {
    billing = JakartaBilling.service(db.dataSource(), clock, gateway);
    cycle = billing.cycleStartingAt(clock.instant(), BillingInterval.MONTHLY);
    account = "user-" + UUID.randomUUID();
    subscription = "sub-" + UUID.randomUUID();
  }

  @Test
  void chargeRenewal_recordsARenewalLineForItsPeriod_andARetryWithItsKeyChargesNothingMore() {
    billing.charge(charge(0, "subscribe", 100_000));
    clock.set(cycle.period(1).start());

    BillingLine renewal = billing.chargeRenewal(charge(1, "renew-1", 100_000));
    BillingLine again = billing.chargeRenewal(charge(1, "renew-1", 100_000));

    assertThat(renewal.type()).isEqualTo(LineType.RENEWAL);
    assertThat(renewal.status()).isEqualTo(LineStatus.PAID);
    assertThat(renewal.period()).isEqualTo(cycle.period(1));
    assertThat(again.id()).isEqualTo(renewal.id());
    assertThat(gateway.charges()).hasSize(2);
  }

  @Test
  void quoteUpgrade_inTheFifthPeriod_creditsThatPeriodsRenewal() {
    billing.charge(charge(0, "subscribe", 100_000));
    for (int period = 1; period <= 4; period++) {
      clock.set(cycle.period(period).start());
      billing.chargeRenewal(charge(period, "renew-" + period, 100_000));
    }
    BillingPeriod fifth = cycle.period(4);
    // Nine days of a 30-day period used: the worked figure of the first period, four periods on.
    Instant tenthDay = fifth.start().plus(java.time.Duration.ofDays(9));
    clock.set(tenthDay);

    ProrationQuote quote =
        billing.quoteUpgrade(account, subscription, fifth, Money.of(250_000, "IDR"), null);

    long days = java.time.Duration.between(fifth.start(), fifth.end()).toDays();
    assertThat(quote.credit())
        .isEqualTo(Money.of(Math.round(100_000.0 * (days - 9) / days), "IDR"));
    assertThat(quote.charge())
        .isEqualTo(Money.of(Math.round(250_000.0 * (days - 9) / days), "IDR"));
  }

  @Test
  void revenueAndRefunds_countARenewalAsAPayment() {
    billing.charge(charge(0, "subscribe", 100_000));
    clock.set(cycle.period(1).start());
    BillingLine renewal = billing.chargeRenewal(charge(1, "renew-1", 100_000));

    BillingLine refund =
        billing.refund(new RefundRequest(renewal.id(), null, "refund-" + subscription, "goodwill"));
    List<RevenueTotal> revenue =
        billing.revenue(List.of("plan"), cycle.period(0).start(), cycle.period(2).start());

    assertThat(billing.refundable(renewal.id())).isEqualTo(Money.of(0, "IDR"));
    assertThat(refund.amount()).isEqualTo(Money.of(-100_000, "IDR"));
    assertThat(revenue)
        .filteredOn(t -> t.tags().get("plan").equals(subscription))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.charged()).isEqualTo(Money.of(200_000, "IDR"));
              assertThat(t.refunded()).isEqualTo(Money.of(100_000, "IDR"));
            });
  }

  @Test
  void chargeRenewal_declined_leavesADeclinedRenewalLine_andAnotherAttemptCanPay() {
    billing.charge(charge(0, "subscribe", 100_000));
    clock.set(cycle.period(1).start());
    gateway.declineNext(1, "card expired");

    PaymentFailedException declined =
        catchThrowableOfType(
            () -> billing.chargeRenewal(charge(1, "renew-1-attempt-1", 100_000)),
            PaymentFailedException.class);
    BillingLine paid = billing.chargeRenewal(charge(1, "renew-1-attempt-2", 100_000));

    assertThat(declined).isNotNull();
    assertThat(billing.line(declined.lineId()).status()).isEqualTo(LineStatus.DECLINED);
    assertThat(billing.line(declined.lineId()).type()).isEqualTo(LineType.RENEWAL);
    assertThat(paid.status()).isEqualTo(LineStatus.PAID);
  }

  private ChargeRequest charge(int period, String key, long rupiah) {
    return new ChargeRequest(
        account,
        BillingReference.of(subscription, Map.of("service", "n8n", "plan", subscription)),
        Money.of(rupiah, "IDR"),
        cycle.period(period),
        key + "-" + subscription,
        "basic plan");
  }
}
