package io.minispod.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ValidationException;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What happens when the process dies while the payment gateway is being called. */
final class BillingRecoveryIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T03:00:00Z");
  private final CrashingGateway gateway = new CrashingGateway();
  private BillingService billing;
  private BillingPeriod april;
  private String account;

  @BeforeEach
  void build() {
    billing = BillingService.builder(db.dataSource()).clock(clock).paymentGateway(gateway).build();
    april = billing.cycleStartingAt(clock.instant(), BillingInterval.MONTHLY).period(0);
    account = "user-" + UUID.randomUUID();
    // Lines other tests left pending are old by now: settle them so counts below are this test's.
    clock.advance(Duration.ofDays(1));
    billing.settlePending(Duration.ZERO);
  }

  @Test
  void charge_processDiesBeforeTheGatewayAnswers_settlePendingFinishesIt() {
    gateway.crashBeforeNext = true;

    assertThatThrownBy(() -> billing.charge(charge("c1", 999))).isInstanceOf(SimulatedCrash.class);
    BillingLine pending = billing.lineByIdempotencyKey(key("c1")).orElseThrow();
    assertThat(pending.status()).isEqualTo(LineStatus.PENDING);

    assertThat(billing.settlePending(Duration.ofMinutes(5))).isZero();
    clock.advance(Duration.ofMinutes(10));
    assertThat(billing.settlePending(Duration.ofMinutes(5))).isEqualTo(1);

    BillingLine settled = billing.line(pending.id());
    assertThat(settled.status()).isEqualTo(LineStatus.PAID);
    assertThat(settled.settledAt()).isEqualTo(clock.instant());
    assertThat(gateway.mock.charges()).hasSize(1);
    assertThat(billing.settlePending(Duration.ZERO)).isZero();
  }

  @Test
  void charge_processDiesAfterTheMoneyMoved_settlePendingRecordsThatSamePayment() {
    gateway.crashAfterNext = true;

    assertThatThrownBy(() -> billing.charge(charge("c1", 999))).isInstanceOf(SimulatedCrash.class);
    String moved = gateway.mock.charges().get(0).result().paymentId();
    clock.advance(Duration.ofMinutes(10));
    billing.settlePending(Duration.ofMinutes(5));

    BillingLine settled = billing.lineByIdempotencyKey(key("c1")).orElseThrow();
    assertThat(settled.status()).isEqualTo(LineStatus.PAID);
    assertThat(settled.paymentId()).isEqualTo(moved);
    assertThat(gateway.mock.charges())
        .extracting(MockPaymentGateway.Call::replayed)
        .containsExactly(false, true);
  }

  @Test
  void charge_retriedByTheCallerAfterACrash_settlesWithTheSameKey() {
    gateway.crashAfterNext = true;
    assertThatThrownBy(() -> billing.charge(charge("c1", 999))).isInstanceOf(SimulatedCrash.class);

    BillingLine retried = billing.charge(charge("c1", 999));

    assertThat(retried.status()).isEqualTo(LineStatus.PAID);
    assertThat(retried.paymentId()).isEqualTo(gateway.mock.charges().get(0).result().paymentId());
  }

  @Test
  void chargeUpgrade_whileAnotherAwaitsItsPayment_isAConflictUntilItIsSettled() {
    billing.charge(charge("subscribe", 1_000));
    clock.set(Instant.parse("2026-04-10T12:00:00Z"));
    gateway.crashBeforeNext = true;
    assertThatThrownBy(() -> billing.chargeUpgrade(upgrade("u1", 2_500)))
        .isInstanceOf(SimulatedCrash.class);

    BillingConflictException conflict =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> billing.chargeUpgrade(upgrade("u2", 4_000)), BillingConflictException.class);
    assertThat(conflict.details()).containsEntry("pendingIdempotencyKey", key("u1"));

    assertThat(billing.settlePending(Duration.ZERO)).isEqualTo(1);
    UpgradeCharge second = billing.chargeUpgrade(upgrade("u2", 4_000));

    // The second upgrade credits the first one's proration charge: 2,500 × 21/30, all unused.
    assertThat(billing.lineByIdempotencyKey(key("u1")).orElseThrow().amount())
        .isEqualTo(Money.of(1_750, "USD"));
    assertThat(second.quote().credit()).isEqualTo(Money.of(1_750, "USD"));
  }

  @Test
  void refund_processDies_reservesTheAmountUntilSettled() {
    BillingLine charge = billing.charge(charge("c1", 999));
    gateway.crashBeforeNext = true;
    assertThatThrownBy(() -> billing.refund(RefundRequest.full(charge.id(), key("r1"), null)))
        .isInstanceOf(SimulatedCrash.class);

    assertThatThrownBy(() -> billing.refund(RefundRequest.full(charge.id(), key("r2"), null)))
        .isInstanceOf(BillingConflictException.class);
    assertThat(billing.settlePending(Duration.ZERO)).isEqualTo(1);

    assertThat(billing.lineByIdempotencyKey(key("r1")).orElseThrow().status())
        .isEqualTo(LineStatus.REFUNDED);
    assertThat(gateway.mock.refunds()).hasSize(1);
  }

  @Test
  void settlePending_negativeAge_isRefused() {
    assertThatThrownBy(() -> billing.settlePending(Duration.ofSeconds(-1)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> billing.settlePending(null)).isInstanceOf(ValidationException.class);
  }

  private ChargeRequest charge(String key, long cents) {
    return new ChargeRequest(
        account,
        BillingReference.of("sub-" + account),
        Money.of(cents, "USD"),
        april,
        key(key),
        null);
  }

  private UpgradeRequest upgrade(String key, long cents) {
    BillingReference reference = BillingReference.of("sub-" + account, Map.of("plan", key));
    return new UpgradeRequest(
        account, reference, reference, april, Money.of(cents, "USD"), null, key(key), null);
  }

  private String key(String name) {
    return name + "-" + account;
  }

  /** Stands for the JVM dying: not an exception the service may catch. */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash() {
      super("simulated crash");
    }
  }

  /** A mock gateway whose next call can "kill the process" before or after the money moves. */
  static final class CrashingGateway implements PaymentGateway {
    final MockPaymentGateway mock = new MockPaymentGateway();
    volatile boolean crashBeforeNext;
    volatile boolean crashAfterNext;

    @Override
    public PaymentResult charge(PaymentCharge charge) {
      crashBefore();
      PaymentResult result = mock.charge(charge);
      crashAfter();
      return result;
    }

    @Override
    public PaymentResult refund(PaymentRefund refund) {
      crashBefore();
      PaymentResult result = mock.refund(refund);
      crashAfter();
      return result;
    }

    private void crashBefore() {
      if (crashBeforeNext) {
        crashBeforeNext = false;
        throw new SimulatedCrash();
      }
    }

    private void crashAfter() {
      if (crashAfterNext) {
        crashAfterNext = false;
        throw new SimulatedCrash();
      }
    }
  }
}
