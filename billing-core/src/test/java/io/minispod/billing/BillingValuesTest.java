package io.minispod.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.ValidationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class BillingValuesTest {

  private static final BillingPeriod APRIL =
      new BillingPeriod(
          Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-05-01T00:00:00Z"));

  @Test
  void price_negativeAmount_isRefused() {
    assertThatThrownBy(() -> Price.monthly(-1, "IDR"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("amount must not be negative, was -1 IDR");
    assertThatThrownBy(() -> new Price(null, null))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(fields(e)).containsKeys("amount", "interval"));
  }

  @Test
  void price_zeroOrPositive_isAccepted() {
    assertThat(Price.monthly(0, "IDR").isFree()).isTrue();
    Price yearly = Price.yearly(2_500_000, "IDR");
    assertThat(yearly.isFree()).isFalse();
    assertThat(yearly.interval()).isEqualTo(BillingInterval.YEARLY);
    assertThat(yearly.amount()).isEqualTo(Money.of(2_500_000, "IDR"));
  }

  @Test
  void paidCoverage_invalidFigures_areRefused() {
    Instant from = APRIL.start();
    assertThatThrownBy(() -> new PaidCoverage(usd(100), from, usd(101)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("paid.refunded must be from 0 to the amount paid");
    assertThatThrownBy(() -> new PaidCoverage(usd(100), from, usd(-1)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> new PaidCoverage(usd(100), from, Money.of(1, "EUR")))
        .isInstanceOf(CurrencyMismatchException.class);
    assertThatThrownBy(() -> PaidCoverage.of(null, null))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(fields(e)).containsKeys("paid.amount", "paid.from"));
    assertThat(new PaidCoverage(usd(100), from, usd(30)).unrefunded()).isEqualTo(usd(70));
  }

  @Test
  void prorationQuote_inconsistentFigures_areRefused() {
    Instant at = APRIL.start();
    assertThatThrownBy(() -> new ProrationQuote(usd(1), usd(5), usd(3), at, APRIL))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("due must be charge - credit = 4 USD, was 3 USD");
    assertThatThrownBy(() -> new ProrationQuote(usd(-1), usd(5), usd(6), at, APRIL))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(
            () -> new ProrationQuote(usd(1), usd(5), usd(4), APRIL.end().plusSeconds(1), APRIL))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("effectiveFrom must be within");
    assertThatThrownBy(() -> new ProrationQuote(usd(1), Money.of(5, "EUR"), usd(4), at, APRIL))
        .isInstanceOf(CurrencyMismatchException.class);
    assertThatThrownBy(() -> new ProrationQuote(null, null, null, null, null))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(fields(e))
                    .containsKeys("credit", "charge", "due", "effectiveFrom", "period"));
  }

  @Test
  void billingReference_tags_areCheckedCopiedAndSorted() {
    Map<String, String> tags = new HashMap<>(Map.of("service", "n8n", "plan", "pro"));
    BillingReference reference = BillingReference.of("sub-1", tags);
    tags.put("extra", "x");

    assertThat(reference.tags())
        .containsExactly(Map.entry("plan", "pro"), Map.entry("service", "n8n"));
    assertThat(BillingReference.of("sub-2").tags()).isEmpty();
    assertThat(new BillingReference("sub-3", null).tags()).isEmpty();
    assertThatThrownBy(() -> BillingReference.of(" ", Map.of("", "x", "plan", "")))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(fields(e))
                    .containsKeys("reference.id", "reference.tags", "reference.tags.plan"));
    assertThatThrownBy(() -> BillingReference.of("a".repeat(201)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("must be at most 200 characters, was 201");
    assertThatThrownBy(() -> BillingReference.of("bad\nid"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("must not contain control characters");
  }

  @Test
  void chargeRequest_badFields_areAllNamed() {
    assertThatThrownBy(
            () -> new ChargeRequest("", null, usd(-1), null, "k".repeat(191), "d".repeat(501)))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(fields(e))
                    .containsKeys(
                        "accountId",
                        "reference",
                        "amount",
                        "period",
                        "idempotencyKey",
                        "description"));
    assertThatThrownBy(() -> new ChargeRequest("alice", ref("s"), null, APRIL, "k", null))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("amount must be given");
  }

  @Test
  void upgradeRequest_badFields_areAllNamed() {
    assertThatThrownBy(
            () -> new UpgradeRequest(null, ref("a"), ref("b"), null, usd(-5), null, null, null))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(fields(e))
                    .containsKeys("accountId", "to.id", "period", "newPrice", "idempotencyKey"));
    assertThatThrownBy(() -> new UpgradeRequest("alice", null, null, APRIL, null, null, "k", null))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(fields(e)).containsKeys("from", "to", "newPrice"));
  }

  @Test
  void refundRequest_badFields_areAllNamed() {
    assertThatThrownBy(() -> new RefundRequest(null, usd(0), " ", "r".repeat(501)))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(fields(e)).containsKeys("lineId", "amount", "idempotencyKey", "reason"));
    RefundRequest full = RefundRequest.full(UUID.randomUUID(), "refund-1", null);
    assertThat(full.amount()).isNull();
  }

  @Test
  void paymentCharge_checksAndConverts() {
    PaymentCharge charge = new PaymentCharge("alice", usd(999), 2, "key-1", null);
    assertThat(charge.majorAmount()).isEqualByComparingTo(new BigDecimal("9.99"));
    assertThatThrownBy(() -> new PaymentCharge("", usd(0), 19, "", null))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(fields(e))
                    .containsKeys("accountId", "amount", "currencyScale", "idempotencyKey"));
    assertThatThrownBy(() -> new PaymentCharge("a", null, -1, "k", null))
        .isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(fields(e)).containsKeys("amount", "currencyScale"));
  }

  @Test
  void paymentRefund_checksAndConverts() {
    PaymentRefund refund =
        new PaymentRefund("alice", "pay-1", Money.of(250_000, "IDR"), 0, "key-1", "sorry");
    assertThat(refund.majorAmount()).isEqualByComparingTo(new BigDecimal("250000"));
    assertThatThrownBy(() -> new PaymentRefund("", "", usd(-1), -1, "", null))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(fields(e))
                    .containsKeys(
                        "accountId", "paymentId", "amount", "currencyScale", "idempotencyKey"));
    assertThatThrownBy(() -> new PaymentRefund("a", "p", null, 2, "k", null))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("amount must be given");
  }

  @Test
  void paymentResult_shapes_areChecked() {
    assertThat(PaymentResult.approved("pay-1").isApproved()).isTrue();
    assertThat(PaymentResult.declined("card declined").status()).isEqualTo(PaymentStatus.DECLINED);
    assertThat(PaymentResult.error("timeout").isApproved()).isFalse();
    assertThatThrownBy(() -> PaymentResult.approved(null))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("paymentId must not be blank");
    assertThatThrownBy(() -> PaymentResult.declined(" "))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("reason must say why for DECLINED");
    assertThatThrownBy(() -> new PaymentResult(null, null, null))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void billingPage_totalPages_roundsUp() {
    assertThat(new BillingPage(List.of(), 1, 20, 0).totalPages()).isZero();
    assertThat(new BillingPage(List.of(), 1, 20, 57).totalPages()).isEqualTo(3);
    assertThat(new BillingPage(List.of(), 2, 20, 40).totalPages()).isEqualTo(2);
  }

  @Test
  void revenueTotal_net_subtractsCreditsAndRefunds() {
    RevenueTotal total =
        new RevenueTotal(
            Map.of("service", "n8n", "plan", "pro"),
            Money.of(275_000, "IDR"),
            Money.of(70_000, "IDR"),
            Money.of(5_000, "IDR"),
            3);

    assertThat(total.net()).isEqualTo(Money.of(200_000, "IDR"));
    assertThat(total.tags().keySet()).containsExactly("plan", "service");
  }

  @Test
  void lineStatus_settled_isPaidCreditedOrRefunded() {
    assertThat(List.of(LineStatus.values()).stream().filter(LineStatus::isSettled))
        .containsExactly(LineStatus.PAID, LineStatus.CREDITED, LineStatus.REFUNDED);
  }

  @Test
  void exceptions_carryStableCodesAndDetails() {
    BillingLine declined = line(LineType.CHARGE, usd(999), LineStatus.DECLINED, "card declined");
    PaymentFailedException failed = new PaymentFailedException(declined);
    assertThat(failed.code()).isEqualTo(ErrorCode.PAYMENT_FAILED);
    assertThat(failed.declined()).isTrue();
    assertThat(failed.reason()).isEqualTo("card declined");
    assertThat(failed.lineId()).isEqualTo(declined.id());
    assertThat(failed.line()).isEqualTo(declined);
    assertThat(failed)
        .hasMessage(
            "Payment of 999 USD for line "
                + declined.id()
                + " of account alice was declined: card declined");
    assertThat(failed.details())
        .containsEntry("status", "DECLINED")
        .containsEntry("amount", 999L)
        .containsEntry("currency", "USD")
        .containsEntry("reason", "card declined");

    PaymentFailedException refundFailed =
        new PaymentFailedException(line(LineType.REFUND, usd(-500), LineStatus.FAILED, "down"));
    assertThat(refundFailed.declined()).isFalse();
    assertThat(refundFailed)
        .hasMessageStartingWith("Payment of 500 USD")
        .hasMessageContaining("was not made: down");

    UUID id = UUID.randomUUID();
    assertThat(new UnknownBillingLineException(id).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(new UnknownBillingLineException(id).lineId()).isEqualTo(id);
    assertThat(BillingConflictException.idempotencyKeyReused("k").code())
        .isEqualTo(ErrorCode.CONFLICT);
    assertThat(BillingConflictException.upgradeInProgress("sub-1", "k").details())
        .containsEntry("referenceId", "sub-1")
        .containsEntry("pendingIdempotencyKey", "k");
  }

  @Test
  void upgradeCharge_paymentId_isTheChargeLines() {
    BillingLine charge = line(LineType.PRORATION_CHARGE, usd(10), LineStatus.PAID, null);
    BillingLine credit = line(LineType.PRORATION_CREDIT, usd(-5), LineStatus.CREDITED, null);
    UpgradeCharge upgrade =
        new UpgradeCharge(
            new ProrationQuote(usd(5), usd(10), usd(5), APRIL.start(), APRIL), credit, charge);

    assertThat(upgrade.paymentId()).isEqualTo("pay-1");
  }

  private static BillingLine line(LineType type, Money amount, LineStatus status, String reason) {
    return new BillingLine(
        UUID.randomUUID(),
        "alice",
        type,
        amount,
        ref("sub-1"),
        APRIL,
        status,
        status.isSettled() ? "pay-1" : null,
        reason,
        "key-" + type,
        null,
        null,
        APRIL.start(),
        status.isSettled() ? APRIL.start() : null);
  }

  private static BillingReference ref(String id) {
    return BillingReference.of(id);
  }

  private static Money usd(long cents) {
    return Money.of(cents, "USD");
  }

  private static Map<String, String> fields(Throwable e) {
    return ((ValidationException) e).fieldErrors();
  }

  @Test
  void price_yearly_isComparedByItsMonthlyEquivalent() {
    assertThat(Price.yearly(120_000, "IDR").monthlyEquivalent()).isEqualTo(Money.of(10_000, "IDR"));
    assertThat(Price.yearly(120_001, "IDR").monthlyEquivalent()).isEqualTo(Money.of(10_001, "IDR"));
    assertThat(Price.monthly(9_900_000, "IDR").monthlyEquivalent())
        .isEqualTo(Money.of(9_900_000, "IDR"));
  }
}
