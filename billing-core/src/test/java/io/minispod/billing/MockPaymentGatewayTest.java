package io.minispod.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.billing.MockPaymentGateway.Call;
import io.minispod.billing.MockPaymentGateway.Operation;
import org.junit.jupiter.api.Test;

final class MockPaymentGatewayTest {

  private final MockPaymentGateway gateway = new MockPaymentGateway();

  @Test
  void charge_byDefault_approvesWithAnIdDerivedFromTheKey() {
    PaymentResult first = gateway.charge(charge("alice", 999, "key-1"));
    PaymentResult other = new MockPaymentGateway().charge(charge("alice", 999, "key-1"));

    assertThat(first.isApproved()).isTrue();
    assertThat(first.paymentId()).startsWith("mock_ch_").hasSize(24).isEqualTo(other.paymentId());
    assertThat(gateway.charge(charge("alice", 999, "key-2")).paymentId())
        .isNotEqualTo(first.paymentId());
  }

  @Test
  void charge_sameKeyAgain_replaysTheFirstAnswerAndRecordsBothCalls() {
    PaymentResult first = gateway.charge(charge("alice", 999, "key-1"));
    PaymentResult again = gateway.charge(charge("alice", 999, "key-1"));

    assertThat(again).isEqualTo(first);
    assertThat(gateway.calls()).extracting(Call::replayed).containsExactly(false, true);
    assertThat(gateway.callCount()).isEqualTo(2);
  }

  @Test
  void charge_sameKeyDifferentRequest_isAnError() {
    gateway.charge(charge("alice", 999, "key-1"));

    PaymentResult reused = gateway.charge(charge("alice", 1_000, "key-1"));

    assertThat(reused.status()).isEqualTo(PaymentStatus.ERROR);
    assertThat(reused.reason()).contains("idempotency key reused");
  }

  @Test
  void declineAccount_declinesThatAccountOnly() {
    gateway.declineAccount("bob", "card declined");

    assertThat(gateway.charge(charge("bob", 100, "k1")))
        .isEqualTo(PaymentResult.declined("card declined"));
    assertThat(gateway.charge(charge("alice", 100, "k2")).isApproved()).isTrue();
    // A decline is remembered: the same key is declined again even after the rule goes.
    gateway.clearRules();
    assertThat(gateway.charge(charge("bob", 100, "k1")).status()).isEqualTo(PaymentStatus.DECLINED);
  }

  @Test
  void failAccount_failsAndForgets_soARetrySucceedsOnceTheRuleIsGone() {
    gateway.failAccount("bob", "gateway unavailable");

    assertThat(gateway.charge(charge("bob", 100, "k1")))
        .isEqualTo(PaymentResult.error("gateway unavailable"));
    gateway.clearRules();
    PaymentResult retry = gateway.charge(charge("bob", 100, "k1"));

    assertThat(retry.isApproved()).isTrue();
    assertThat(gateway.calls()).extracting(Call::replayed).containsExactly(false, false);
  }

  @Test
  void declineAmountAndFailAmount_matchExactAmounts() {
    gateway
        .declineAmount(Money.of(666, "USD"), "over the limit")
        .failAmount(Money.of(500, "USD"), "processor down");

    assertThat(gateway.charge(charge("alice", 666, "k1")).status())
        .isEqualTo(PaymentStatus.DECLINED);
    assertThat(gateway.charge(charge("alice", 500, "k2")).status()).isEqualTo(PaymentStatus.ERROR);
    assertThat(gateway.charge(charge("alice", 667, "k3")).isApproved()).isTrue();
    assertThat(
            gateway
                .charge(new PaymentCharge("alice", Money.of(666, "EUR"), 2, "k4", null))
                .isApproved())
        .isTrue();
  }

  @Test
  void nextCalls_failThenDecline_thenApprove() {
    gateway.failNext(1, "timeout").declineNext(2, "insufficient funds");

    assertThat(gateway.charge(charge("alice", 1, "k1")).status()).isEqualTo(PaymentStatus.ERROR);
    assertThat(gateway.charge(charge("alice", 1, "k2")).status()).isEqualTo(PaymentStatus.DECLINED);
    assertThat(gateway.charge(charge("alice", 1, "k3")).status()).isEqualTo(PaymentStatus.DECLINED);
    assertThat(gateway.charge(charge("alice", 1, "k4")).isApproved()).isTrue();
  }

  @Test
  void nextCalls_replaysDoNotCount() {
    gateway.charge(charge("alice", 1, "k1"));
    gateway.declineNext(1, "no");

    assertThat(gateway.charge(charge("alice", 1, "k1")).isApproved()).isTrue();
    assertThat(gateway.charge(charge("alice", 1, "k2")).status()).isEqualTo(PaymentStatus.DECLINED);
  }

  @Test
  void refund_ofAnApprovedCharge_isApprovedUpToWhatRemains() {
    String paymentId = gateway.charge(charge("alice", 1_000, "c1")).paymentId();

    PaymentResult part = gateway.refund(refund("alice", paymentId, 600, "r1"));
    PaymentResult tooMuch = gateway.refund(refund("alice", paymentId, 401, "r2"));
    PaymentResult rest = gateway.refund(refund("alice", paymentId, 400, "r3"));

    assertThat(part.isApproved()).isTrue();
    assertThat(part.paymentId()).startsWith("mock_rf_");
    assertThat(tooMuch.status()).isEqualTo(PaymentStatus.DECLINED);
    assertThat(tooMuch.reason()).contains("exceeds the 400 USD left");
    assertThat(rest.isApproved()).isTrue();
    assertThat(gateway.refund(refund("alice", paymentId, 600, "r1"))).isEqualTo(part);
    assertThat(gateway.refunds()).hasSize(4);
    assertThat(gateway.refunds().get(0).refundedPaymentId()).isEqualTo(paymentId);
    assertThat(gateway.refunds().get(0).operation()).isEqualTo(Operation.REFUND);
    assertThat(gateway.charges()).hasSize(1);
  }

  @Test
  void refund_ofAnUnknownOrForeignPayment_isDeclined() {
    String paymentId = gateway.charge(charge("alice", 1_000, "c1")).paymentId();

    assertThat(gateway.refund(refund("alice", "nope", 1, "r1")).reason())
        .isEqualTo("no payment nope of account alice");
    assertThat(gateway.refund(refund("mallory", paymentId, 1, "r2")).status())
        .isEqualTo(PaymentStatus.DECLINED);
    assertThat(
            gateway
                .refund(new PaymentRefund("alice", paymentId, Money.of(1, "EUR"), 2, "r3", null))
                .reason())
        .contains("was made in USD");
    assertThat(gateway.refund(refund("alice", paymentId, 1, "r1")).reason())
        .contains("idempotency key reused");
  }

  @Test
  void refund_rulesApplyToo() {
    String paymentId = gateway.charge(charge("alice", 1_000, "c1")).paymentId();
    gateway.failNext(1, "refunds are down");

    assertThat(gateway.refund(refund("alice", paymentId, 10, "r1")).status())
        .isEqualTo(PaymentStatus.ERROR);
    assertThat(gateway.refund(refund("alice", paymentId, 10, "r1")).isApproved()).isTrue();
  }

  @Test
  void reset_forgetsCallsPaymentsAndRules() {
    String paymentId = gateway.charge(charge("alice", 1_000, "c1")).paymentId();
    gateway.declineAccount("alice", "no");

    gateway.reset();

    assertThat(gateway.calls()).isEmpty();
    assertThat(gateway.refund(refund("alice", paymentId, 1, "r1")).status())
        .isEqualTo(PaymentStatus.DECLINED);
    assertThat(gateway.charge(charge("alice", 1_000, "c1")).isApproved()).isTrue();
  }

  @Test
  void configuration_badArguments_areRefused() {
    assertThatThrownBy(() -> gateway.declineNext(-1, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must not be negative, was -1");
    assertThatThrownBy(() -> gateway.failNext(1, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a decline or failure needs a reason");
    assertThatThrownBy(() -> gateway.failAccount(null, "x"))
        .isInstanceOf(NullPointerException.class);
  }

  private static PaymentCharge charge(String account, long cents, String key) {
    return new PaymentCharge(account, Money.of(cents, "USD"), 2, key, "test");
  }

  private static PaymentRefund refund(String account, String paymentId, long cents, String key) {
    return new PaymentRefund(account, paymentId, Money.of(cents, "USD"), 2, key, "test");
  }
}
