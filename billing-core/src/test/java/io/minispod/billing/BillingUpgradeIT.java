package io.minispod.billing;

import static io.minispod.billing.internal.db.Tables.LEDGER_LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minispod.ValidationException;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class BillingUpgradeIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  /** 09:00 on April 10 in Jakarta. */
  private static final Instant APRIL_10 = Instant.parse("2026-04-10T02:00:00Z");

  /** 09:00 on April 20 in Jakarta. */
  private static final Instant APRIL_20 = Instant.parse("2026-04-20T02:00:00Z");

  private final MutableClock clock = MutableClock.at("2026-04-01T03:00:00Z");
  private final MockPaymentGateway gateway = new MockPaymentGateway();
  private BillingService billing;
  private BillingPeriod april;
  private String account;
  private String subscription;

  @BeforeEach
  void build() {
    billing = JakartaBilling.service(db.dataSource(), clock, gateway);
    april = billing.cycleStartingAt(clock.instant(), BillingInterval.MONTHLY).period(0);
    account = "user-" + UUID.randomUUID();
    subscription = "sub-" + UUID.randomUUID();
  }

  @Test
  void chargeUpgrade_idr100kTo250kOnApril10_recordsBothLinesAndCollectsTheDue() {
    subscribe("basic", 100_000);
    clock.set(APRIL_10);

    ProrationQuote quote = billing.quoteUpgrade(account, subscription, april, idr(250_000), null);
    UpgradeCharge upgrade = billing.chargeUpgrade(upgrade("u1", "basic", "pro", 250_000));

    assertThat(quote.credit()).isEqualTo(idr(70_000));
    assertThat(quote.charge()).isEqualTo(idr(175_000));
    assertThat(quote.due()).isEqualTo(idr(105_000));
    assertThat(upgrade.quote()).isEqualTo(quote);
    BillingPeriod remainder = new BillingPeriod(Instant.parse("2026-04-09T17:00:00Z"), april.end());
    assertThat(upgrade.credit().type()).isEqualTo(LineType.PRORATION_CREDIT);
    assertThat(upgrade.credit().amount()).isEqualTo(idr(-70_000));
    assertThat(upgrade.credit().status()).isEqualTo(LineStatus.CREDITED);
    assertThat(upgrade.credit().period()).isEqualTo(remainder);
    assertThat(upgrade.credit().reference().tags()).containsEntry("plan", "basic");
    assertThat(upgrade.credit().relatedLineId()).isEqualTo(upgrade.charge().id());
    assertThat(upgrade.credit().idempotencyKey()).isEqualTo(key("u1") + "/credit");
    assertThat(upgrade.charge().type()).isEqualTo(LineType.PRORATION_CHARGE);
    assertThat(upgrade.charge().amount()).isEqualTo(idr(175_000));
    assertThat(upgrade.charge().status()).isEqualTo(LineStatus.PAID);
    assertThat(upgrade.charge().period()).isEqualTo(remainder);
    assertThat(upgrade.charge().reference().tags()).containsEntry("plan", "pro");
    assertThat(upgrade.paymentId()).isNotNull().isEqualTo(upgrade.credit().paymentId());
    assertThat(gateway.charges())
        .last()
        .satisfies(call -> assertThat(call.amount()).isEqualTo(idr(105_000)));
  }

  @Test
  void chargeUpgrade_twiceInOnePeriod_creditsWhatWasActuallyPaid() {
    subscribe("basic", 100_000);
    clock.set(APRIL_10);
    billing.chargeUpgrade(upgrade("u1", "basic", "pro", 250_000));
    clock.set(APRIL_20);

    UpgradeCharge second = billing.chargeUpgrade(upgrade("u2", "pro", "business", 400_000));

    // The Pro plan was paid by the first proration charge: 175,000 for April 10 – May 1.
    assertThat(second.quote().credit()).isEqualTo(idr(91_667));
    assertThat(second.quote().charge()).isEqualTo(idr(146_667));
    assertThat(second.quote().due()).isEqualTo(idr(55_000));
    long net =
        billing.referenceLines(subscription).stream()
            .mapToLong(line -> line.amount().minorUnits())
            .sum();
    // 9 days of Basic, 10 of Pro and 11 of Business: 30,000 + 83,333⅓ + 146,666⅔.
    assertThat(net).isEqualTo(260_000);
  }

  @Test
  void chargeUpgrade_sameKeyAgain_returnsTheFirstResultAndCallsTheGatewayOnce() {
    subscribe("basic", 100_000);
    clock.set(APRIL_10);
    UpgradeCharge first = billing.chargeUpgrade(upgrade("u1", "basic", "pro", 250_000));
    clock.set(APRIL_20);

    UpgradeCharge again = billing.chargeUpgrade(upgrade("u1", "basic", "pro", 250_000));

    assertThat(again).isEqualTo(first);
    assertThat(gateway.charges()).hasSize(2);
    assertThat(billing.referenceLines(subscription)).hasSize(3);
  }

  @Test
  void chargeUpgrade_sameKeyForAnotherPrice_isAConflict() {
    subscribe("basic", 100_000);
    clock.set(APRIL_10);
    billing.chargeUpgrade(upgrade("u1", "basic", "pro", 250_000));

    assertThatThrownBy(() -> billing.chargeUpgrade(upgrade("u1", "basic", "pro", 260_000)))
        .isInstanceOf(BillingConflictException.class);
  }

  @Test
  void chargeUpgrade_declined_leavesBothLinesDeclinedAndTheNextUpgradeCreditsTheOriginalCharge() {
    subscribe("basic", 100_000);
    clock.set(APRIL_10);
    gateway.declineNext(1, "insufficient funds");

    PaymentFailedException declined =
        catchThrowableOfType(
            () -> billing.chargeUpgrade(upgrade("u1", "basic", "pro", 250_000)),
            PaymentFailedException.class);
    UpgradeCharge retried = billing.chargeUpgrade(upgrade("u2", "basic", "pro", 250_000));

    assertThat(declined.line().type()).isEqualTo(LineType.PRORATION_CHARGE);
    assertThat(billing.lineByIdempotencyKey(key("u1") + "/credit").orElseThrow().status())
        .isEqualTo(LineStatus.DECLINED);
    assertThat(billing.line(declined.lineId()).status()).isEqualTo(LineStatus.DECLINED);
    assertThat(retried.quote().credit()).isEqualTo(idr(70_000));
    assertThat(retried.quote().due()).isEqualTo(idr(105_000));
  }

  @Test
  void chargeUpgrade_gatewayError_isRetriedWithTheSameKey() {
    subscribe("basic", 100_000);
    clock.set(APRIL_10);
    gateway.failNext(1, "timeout");

    assertThatThrownBy(() -> billing.chargeUpgrade(upgrade("u1", "basic", "pro", 250_000)))
        .isInstanceOf(PaymentFailedException.class);
    UpgradeCharge retried = billing.chargeUpgrade(upgrade("u1", "basic", "pro", 250_000));

    assertThat(retried.charge().status()).isEqualTo(LineStatus.PAID);
    assertThat(retried.credit().status()).isEqualTo(LineStatus.CREDITED);
    assertThat(retried.quote().due()).isEqualTo(idr(105_000));
    assertThat(billing.referenceLines(subscription)).hasSize(3);
  }

  @Test
  void chargeUpgrade_nothingDue_recordsSettledLinesWithoutTheGateway() {
    subscribe("basic", 100_000);
    clock.set(APRIL_10);
    int calls = gateway.callCount();

    UpgradeCharge sideways = billing.chargeUpgrade(upgrade("u1", "basic", "basic-plus", 100_000));

    assertThat(sideways.quote().due()).isEqualTo(idr(0));
    assertThat(sideways.charge().status()).isEqualTo(LineStatus.PAID);
    assertThat(sideways.credit().status()).isEqualTo(LineStatus.CREDITED);
    assertThat(sideways.paymentId()).isNull();
    assertThat(gateway.callCount()).isEqualTo(calls);
  }

  @Test
  void chargeUpgrade_atTheInstantThePeriodEnds_chargesNothing() {
    subscribe("basic", 100_000);
    int calls = gateway.callCount();

    UpgradeCharge atEnd =
        billing.chargeUpgrade(
            new UpgradeRequest(
                account,
                ref("basic"),
                ref("pro"),
                april,
                idr(250_000),
                april.end(),
                key("u1"),
                null));

    assertThat(atEnd.quote().credit()).isEqualTo(idr(0));
    assertThat(atEnd.quote().charge()).isEqualTo(idr(0));
    assertThat(atEnd.charge().period().isEmpty()).isTrue();
    assertThat(gateway.callCount()).isEqualTo(calls);
  }

  @Test
  void chargeUpgrade_fromAFreePlan_chargesTheRestOfThePeriod() {
    subscribe("free", 0);
    clock.set(APRIL_10);

    UpgradeCharge upgrade = billing.chargeUpgrade(upgrade("u1", "free", "pro", 250_000));

    assertThat(upgrade.quote().credit()).isEqualTo(idr(0));
    assertThat(upgrade.quote().due()).isEqualTo(idr(175_000));
  }

  @Test
  void chargeUpgrade_withNothingPaidAtAll_creditsNothing() {
    clock.set(APRIL_10);

    assertThat(billing.quoteUpgrade(account, subscription, april, idr(250_000), APRIL_10).credit())
        .isEqualTo(idr(0));
  }

  @Test
  void chargeUpgrade_toACheaperRemainder_isRefusedAsADowngrade() {
    subscribe("pro", 250_000);
    clock.set(APRIL_10);

    assertThatThrownBy(() -> billing.chargeUpgrade(upgrade("u1", "pro", "basic", 100_000)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("which makes this a downgrade");
    assertThat(billing.referenceLines(subscription)).hasSize(1);
  }

  @Test
  void chargeUpgrade_outsideThePeriodOrInAnotherCurrency_isRefused() {
    subscribe("basic", 100_000);

    assertThatThrownBy(
            () ->
                billing.chargeUpgrade(
                    new UpgradeRequest(
                        account,
                        ref("basic"),
                        ref("pro"),
                        april,
                        idr(250_000),
                        april.end().plusSeconds(1),
                        key("u1"),
                        null)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("changeAt must be within the period");
    assertThatThrownBy(
            () ->
                billing.chargeUpgrade(
                    new UpgradeRequest(
                        account,
                        ref("basic"),
                        ref("pro"),
                        april,
                        Money.of(2_500, "USD"),
                        null,
                        key("u2"),
                        null)))
        .isInstanceOf(CurrencyMismatchException.class);
    assertThat(billing.referenceLines(subscription)).hasSize(1);
  }

  @Test
  void chargeUpgrade_creditKeyAlreadyTaken_isAConflictAndWritesNothing() {
    subscribe("basic", 100_000);
    billing.charge(
        new ChargeRequest(account, ref("other"), idr(1), april, key("u1") + "/credit", null));
    clock.set(APRIL_10);

    assertThatThrownBy(() -> billing.chargeUpgrade(upgrade("u1", "basic", "pro", 250_000)))
        .isInstanceOf(BillingConflictException.class)
        .hasMessageContaining(key("u1") + "/credit");
    assertThat(db.dsl().fetchCount(LEDGER_LINE, LEDGER_LINE.IDEMPOTENCY_KEY.eq(key("u1"))))
        .isZero();
  }

  @Test
  void refund_ofAProrationCharge_refundsTheDueAndCapsTheNextCredit() {
    subscribe("basic", 100_000);
    clock.set(APRIL_10);
    UpgradeCharge upgrade = billing.chargeUpgrade(upgrade("u1", "basic", "pro", 250_000));
    assertThat(billing.refundable(upgrade.charge().id()))
        .as("the due, not the gross charge")
        .isEqualTo(idr(105_000));

    BillingLine refund =
        billing.refund(RefundRequest.full(upgrade.charge().id(), key("r1"), "goodwill"));
    assertThat(billing.refundable(upgrade.charge().id())).isEqualTo(idr(0));
    clock.set(APRIL_20);
    ProrationQuote next = billing.quoteUpgrade(account, subscription, april, idr(400_000), null);

    assertThat(refund.amount()).isEqualTo(idr(-105_000));
    // 175,000 × 11/21 = 91,667, but only 175,000 − 105,000 refunded = 70,000 is left to credit.
    assertThat(next.credit()).isEqualTo(idr(70_000));
  }

  @Test
  void chargeUpgrade_bySecond_billsTheSecondOfTheChange() {
    BillingService bySecond =
        BillingService.builder(db.dataSource())
            .clock(clock)
            .paymentGateway(gateway)
            .prorationGranularity(ProrationGranularity.SECOND)
            .build();
    BillingPeriod hundredSeconds =
        new BillingPeriod(clock.instant(), clock.instant().plusSeconds(100));
    bySecond.charge(
        new ChargeRequest(
            account, ref("basic"), Money.of(1_000, "USD"), hundredSeconds, key("c"), null));
    clock.set(hundredSeconds.start().plusMillis(30_700));

    UpgradeCharge upgrade =
        bySecond.chargeUpgrade(
            new UpgradeRequest(
                account,
                ref("basic"),
                ref("pro"),
                hundredSeconds,
                Money.of(3_000, "USD"),
                null,
                key("u1"),
                null));

    assertThat(upgrade.quote().credit()).isEqualTo(Money.of(700, "USD"));
    assertThat(upgrade.quote().charge()).isEqualTo(Money.of(2_100, "USD"));
    assertThat(upgrade.charge().period().start()).isEqualTo(hundredSeconds.start().plusSeconds(30));
  }

  @Test
  void quoteUpgrade_badArguments_areNamed() {
    assertThatThrownBy(() -> billing.quoteUpgrade(" ", null, null, null, null))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).fieldErrors())
                    .containsKeys("accountId", "referenceId", "period", "newPrice"));
  }

  private void subscribe(String plan, long rupiah) {
    billing.charge(
        new ChargeRequest(account, ref(plan), idr(rupiah), april, key("subscribe"), null));
  }

  private UpgradeRequest upgrade(String key, String fromPlan, String toPlan, long newPrice) {
    return new UpgradeRequest(
        account, ref(fromPlan), ref(toPlan), april, idr(newPrice), null, key(key), "upgrade");
  }

  private BillingReference ref(String plan) {
    return BillingReference.of(subscription, Map.of("service", "n8n", "plan", plan));
  }

  private String key(String name) {
    return name + "-" + subscription;
  }

  private static Money idr(long rupiah) {
    return Money.of(rupiah, "IDR");
  }
}
