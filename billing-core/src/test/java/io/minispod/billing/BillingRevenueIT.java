package io.minispod.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ValidationException;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class BillingRevenueIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  /** April in Jakarta. */
  private static final Instant FROM = Instant.parse("2026-03-31T17:00:00Z");

  private static final Instant TO = Instant.parse("2026-04-30T17:00:00Z");

  private static BillingService billing;

  @BeforeAll
  static void recordAMonth() {
    MutableClock clock = MutableClock.at("2026-04-01T03:00:00Z");
    MockPaymentGateway gateway = new MockPaymentGateway();
    billing = JakartaBilling.service(db.dataSource(), clock, gateway);
    BillingPeriod april =
        billing.cycleStartingAt(clock.instant(), BillingInterval.MONTHLY).period(0);

    charge("alice", "n8n", "pro", Money.of(250_000, "IDR"), april);
    charge("bob", "n8n", "basic", Money.of(100_000, "IDR"), april);
    BillingLine carol = charge("carol", "ghost", "pro", Money.of(300_000, "IDR"), april);
    gateway.declineAccount("dave", "card declined");
    assertThatThrownBy(() -> charge("dave", "n8n", "pro", Money.of(250_000, "IDR"), april))
        .isInstanceOf(PaymentFailedException.class);
    charge("erin", "ghost", "basic", Money.of(999, "USD"), april);
    billing.charge(
        new ChargeRequest(
            "frank",
            BillingReference.of("sub-frank"),
            Money.of(5_000, "IDR"),
            april,
            "frank",
            null));

    clock.set(Instant.parse("2026-04-10T02:00:00Z"));
    billing.chargeUpgrade(
        new UpgradeRequest(
            "bob",
            reference("bob", "n8n", "basic"),
            reference("bob", "n8n", "pro"),
            april,
            Money.of(250_000, "IDR"),
            null,
            "upgrade-bob",
            null));
    billing.refund(new RefundRequest(carol.id(), Money.of(50_000, "IDR"), "refund-carol", null));

    // Settled at the first instant after the range: not counted.
    clock.set(TO);
    charge(
        "gina",
        "n8n",
        "pro",
        Money.of(250_000, "IDR"),
        billing.cycleStartingAt(TO, BillingInterval.MONTHLY).period(0));
    clock.advance(Duration.ofDays(1));
  }

  @Test
  void revenue_byServiceAndPlan_totalsEachCombinationAndCurrency() {
    List<RevenueTotal> totals = billing.revenue(List.of("service", "plan"), FROM, TO);

    assertThat(totals)
        .containsExactly(
            total(Map.of("service", "ghost", "plan", "basic"), "USD", 999, 0, 0, 1),
            total(Map.of("service", "ghost", "plan", "pro"), "IDR", 300_000, 0, 50_000, 2),
            total(Map.of("service", "n8n", "plan", "basic"), "IDR", 100_000, 70_000, 0, 2),
            total(Map.of("service", "n8n", "plan", "pro"), "IDR", 425_000, 0, 0, 2));
    assertThat(totals.get(2).net()).isEqualTo(Money.of(30_000, "IDR"));
  }

  @Test
  void revenue_byService_mergesThePlans() {
    List<RevenueTotal> totals = billing.revenue(List.of("service"), FROM, TO);

    assertThat(totals)
        .containsExactly(
            total(Map.of("service", "ghost"), "IDR", 300_000, 0, 50_000, 2),
            total(Map.of("service", "ghost"), "USD", 999, 0, 0, 1),
            total(Map.of("service", "n8n"), "IDR", 525_000, 70_000, 0, 4));
    assertThat(totals.get(2).net()).isEqualTo(Money.of(455_000, "IDR"));
  }

  @Test
  void revenue_withoutTags_totalsEachCurrencyIncludingUntaggedLines() {
    assertThat(billing.revenue(List.of(), FROM, TO))
        .containsExactly(
            total(Map.of(), "IDR", 830_000, 70_000, 50_000, 7),
            total(Map.of(), "USD", 999, 0, 0, 1));
  }

  @Test
  void revenue_rangeWithNothingSettled_isEmpty() {
    assertThat(billing.revenue(List.of("service"), FROM, FROM)).isEmpty();
    assertThat(billing.revenue(List.of("nonexistent"), FROM, TO)).isEmpty();
  }

  @Test
  void revenue_badArguments_areNamed() {
    assertThatThrownBy(() -> billing.revenue(List.of("plan", "plan"), TO, FROM))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e -> assertThat(((ValidationException) e).fieldErrors()).containsKeys("tagKeys", "to"));
    assertThatThrownBy(() -> billing.revenue(List.of("a", "b", "c", "d", "e", "f"), FROM, TO))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("at most 5 tags");
    assertThatThrownBy(() -> billing.revenue(Arrays.asList((String) null), FROM, TO))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> billing.revenue(null, null, null))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).fieldErrors())
                    .containsKeys("tagKeys", "from", "to"));
  }

  private static BillingLine charge(
      String account, String service, String plan, Money amount, BillingPeriod period) {
    return billing.charge(
        new ChargeRequest(
            account,
            reference(account, service, plan),
            amount,
            period,
            "subscribe-" + account,
            null));
  }

  private static BillingReference reference(String account, String service, String plan) {
    return BillingReference.of("sub-" + account, Map.of("service", service, "plan", plan));
  }

  private static RevenueTotal total(
      Map<String, String> tags,
      String currency,
      long charged,
      long credited,
      long refunded,
      long lines) {
    return new RevenueTotal(
        tags,
        Money.of(charged, currency),
        Money.of(credited, currency),
        Money.of(refunded, currency),
        lines);
  }
}
