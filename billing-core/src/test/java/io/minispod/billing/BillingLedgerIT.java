package io.minispod.billing;

import static io.minispod.billing.internal.db.Tables.LEDGER_LINE;
import static io.minispod.billing.internal.db.Tables.LINE_TAG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
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
import org.postgresql.ds.PGSimpleDataSource;

final class BillingLedgerIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T03:00:00Z");
  private final MockPaymentGateway gateway = new MockPaymentGateway();
  private BillingService billing;
  private BillingPeriod april;
  private String account;

  @BeforeEach
  void build() {
    billing = service(gateway);
    april = billing.cycleStartingAt(clock.instant(), BillingInterval.MONTHLY).period(0);
    account = "user-" + UUID.randomUUID();
  }

  @Test
  void charge_approved_recordsOnePaidLineWithItsPayment() {
    BillingLine line = billing.charge(subscribe("sub-1", 250_000, "subscribe-" + account));

    assertThat(line.status()).isEqualTo(LineStatus.PAID);
    assertThat(line.type()).isEqualTo(LineType.CHARGE);
    assertThat(line.amount()).isEqualTo(idr(250_000));
    assertThat(line.period()).isEqualTo(april);
    assertThat(line.paymentId()).startsWith("mock_ch_");
    assertThat(line.settledAt()).isEqualTo(clock.instant());
    assertThat(line.reference().tags())
        .containsEntry("plan", "pro")
        .containsEntry("service", "n8n");
    assertThat(billing.line(line.id())).isEqualTo(line);
    assertThat(gateway.charges())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.amount()).isEqualTo(idr(250_000));
              assertThat(call.accountId()).isEqualTo(account);
              assertThat(call.idempotencyKey()).isEqualTo("subscribe-" + account);
            });
    assertThat(db.dsl().fetchCount(LINE_TAG, LINE_TAG.LINE_ID.eq(line.id()))).isEqualTo(2);
  }

  @Test
  void charge_onAClockFinerThanTheColumn_returnsTheLinesExactlyAsStored() {
    // A charge's answer is built without reading its line back: it must still be what is stored.
    clock.set(Instant.parse("2026-04-01T03:00:00.123456789Z"));
    BillingLine paid = billing.charge(subscribe("sub-1", 250_000, "paid-" + account));
    gateway.declineAccount(account, "card declined");
    PaymentFailedException declined =
        catchThrowableOfType(
            () -> billing.charge(subscribe("sub-2", 250_000, "declined-" + account)),
            PaymentFailedException.class);

    assertThat(paid.createdAt()).isEqualTo(Instant.parse("2026-04-01T03:00:00.123456Z"));
    assertThat(paid.settledAt()).isEqualTo(paid.createdAt());
    assertThat(billing.line(paid.id())).isEqualTo(paid);
    BillingLine stored = billing.line(declined.lineId());
    assertThat(stored.status()).isEqualTo(LineStatus.DECLINED);
    assertThat(stored.failureReason()).isEqualTo(declined.reason()).isEqualTo("card declined");
  }

  @Test
  void charge_sameKeyAgain_returnsTheFirstLineWithoutCallingTheGateway() {
    BillingLine first = billing.charge(subscribe("sub-1", 250_000, "k-" + account));
    clock.advance(Duration.ofMinutes(5));

    BillingLine again = billing.charge(subscribe("sub-1", 250_000, "k-" + account));

    assertThat(again).isEqualTo(first);
    assertThat(gateway.callCount()).isEqualTo(1);
    assertThat(linesWithKey("k-" + account)).isEqualTo(1);
  }

  @Test
  void charge_sameKeyForADifferentRequest_isAConflict() {
    billing.charge(subscribe("sub-1", 250_000, "k-" + account));

    BillingConflictException error =
        catchThrowableOfType(
            () -> billing.charge(subscribe("sub-1", 300_000, "k-" + account)),
            BillingConflictException.class);

    assertThat(error.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(error.details()).containsEntry("idempotencyKey", "k-" + account);
    assertThat(gateway.callCount()).isEqualTo(1);
  }

  @Test
  void charge_declined_leavesADeclinedLineAndNothingOwed() {
    gateway.declineAccount(account, "card declined");

    PaymentFailedException error =
        catchThrowableOfType(
            () -> billing.charge(subscribe("sub-1", 250_000, "k-" + account)),
            PaymentFailedException.class);

    assertThat(error.code()).isEqualTo(ErrorCode.PAYMENT_FAILED);
    assertThat(error.declined()).isTrue();
    assertThat(error.reason()).isEqualTo("card declined");
    BillingLine line = billing.line(error.lineId());
    assertThat(line.status()).isEqualTo(LineStatus.DECLINED);
    assertThat(line.paymentId()).isNull();
    assertThat(line.settledAt()).isNull();
    assertThat(line.failureReason()).isEqualTo("card declined");
    // Rebuilt later from the line alone, the error is the one the charge threw.
    PaymentFailedException rebuilt = PaymentFailedException.of(line);
    assertThat(rebuilt).hasMessage(error.getMessage());
    assertThat(rebuilt.details()).isEqualTo(error.details());
    assertThat(rebuilt.declined()).isTrue();
    // A retry with the key answers the same decline, without asking the gateway again.
    gateway.clearRules();
    assertThatThrownBy(() -> billing.charge(subscribe("sub-1", 250_000, "k-" + account)))
        .isInstanceOf(PaymentFailedException.class);
    assertThat(gateway.callCount()).isEqualTo(1);
  }

  @Test
  void charge_gatewayError_leavesAFailedLineThatTheSameKeyTriesAgain() {
    gateway.failNext(1, "gateway unavailable");

    PaymentFailedException error =
        catchThrowableOfType(
            () -> billing.charge(subscribe("sub-1", 250_000, "k-" + account)),
            PaymentFailedException.class);
    assertThat(error.declined()).isFalse();
    assertThat(billing.line(error.lineId()).status()).isEqualTo(LineStatus.FAILED);

    BillingLine retried = billing.charge(subscribe("sub-1", 250_000, "k-" + account));

    assertThat(retried.id()).isEqualTo(error.lineId());
    assertThat(retried.status()).isEqualTo(LineStatus.PAID);
    assertThat(retried.failureReason()).isNull();
    assertThatThrownBy(() -> PaymentFailedException.of(retried))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a failed payment");
    assertThat(gateway.callCount()).isEqualTo(2);
    assertThat(linesWithKey("k-" + account)).isEqualTo(1);
  }

  @Test
  void charge_gatewayThrows_isRecordedAsFailedWithoutItsMessage() {
    BillingService throwing =
        service(
            new PaymentGateway() {
              @Override
              public PaymentResult charge(PaymentCharge charge) {
                throw new IllegalStateException("api key sk_live_secret rejected");
              }

              @Override
              public PaymentResult refund(PaymentRefund refund) {
                return null;
              }
            });

    PaymentFailedException error =
        catchThrowableOfType(
            () -> throwing.charge(subscribe("sub-1", 1_000, "k-" + account)),
            PaymentFailedException.class);

    assertThat(error.reason()).isEqualTo("the payment gateway failed");
    assertThat(error.getMessage()).doesNotContain("sk_live");
    assertThat(billing.line(error.lineId()).status()).isEqualTo(LineStatus.FAILED);
  }

  @Test
  void charge_gatewayAnswersNothing_isRecordedAsFailed() {
    BillingService silent =
        service(
            new PaymentGateway() {
              @Override
              public PaymentResult charge(PaymentCharge charge) {
                return null;
              }

              @Override
              public PaymentResult refund(PaymentRefund refund) {
                return null;
              }
            });

    assertThatThrownBy(() -> silent.charge(subscribe("sub-1", 1_000, "k-" + account)))
        .isInstanceOf(PaymentFailedException.class)
        .hasMessageContaining("the payment gateway gave no answer");
  }

  @Test
  void charge_zeroAmount_isPaidWithoutTheGateway() {
    BillingLine free = billing.charge(subscribe("sub-free", 0, "k-" + account));

    assertThat(free.status()).isEqualTo(LineStatus.PAID);
    assertThat(free.paymentId()).isNull();
    assertThat(free.settledAt()).isEqualTo(clock.instant());
    assertThat(gateway.callCount()).isZero();
    assertThat(billing.charge(subscribe("sub-free", 0, "k-" + account))).isEqualTo(free);
  }

  @Test
  void charge_currencyWithoutAScale_isRefusedBeforeAnythingIsWritten() {
    ChargeRequest gold =
        new ChargeRequest(
            account, BillingReference.of("sub-1"), Money.of(5, "XAU"), april, "k-" + account, null);

    assertThatThrownBy(() -> billing.charge(gold)).isInstanceOf(ValidationException.class);
    assertThat(linesWithKey("k-" + account)).isZero();
  }

  @Test
  void refund_everything_recordsARefundLineAgainstThePayment() {
    BillingLine charge = billing.charge(subscribe("sub-1", 250_000, "c-" + account));
    clock.advance(Duration.ofHours(1));

    BillingLine refund =
        billing.refund(RefundRequest.full(charge.id(), "r-" + account, "provisioning failed"));

    assertThat(refund.type()).isEqualTo(LineType.REFUND);
    assertThat(refund.status()).isEqualTo(LineStatus.REFUNDED);
    assertThat(refund.amount()).isEqualTo(idr(-250_000));
    assertThat(refund.relatedLineId()).isEqualTo(charge.id());
    assertThat(refund.reference()).isEqualTo(charge.reference());
    assertThat(refund.period()).isEqualTo(charge.period());
    assertThat(refund.description()).isEqualTo("provisioning failed");
    assertThat(refund.paymentId()).startsWith("mock_rf_");
    assertThat(gateway.refunds())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.refundedPaymentId()).isEqualTo(charge.paymentId());
              assertThat(call.amount()).isEqualTo(idr(250_000));
            });
    assertThat(
            billing.refund(RefundRequest.full(charge.id(), "r-" + account, "provisioning failed")))
        .isEqualTo(refund);
    assertThat(gateway.refunds()).hasSize(1);
  }

  @Test
  void refund_inParts_stopsAtWhatWasPaid() {
    BillingLine charge = billing.charge(subscribe("sub-1", 250_000, "c-" + account));

    billing.refund(new RefundRequest(charge.id(), idr(100_000), "r1-" + account, null));
    BillingConflictException tooMuch =
        catchThrowableOfType(
            () ->
                billing.refund(new RefundRequest(charge.id(), idr(150_001), "r2-" + account, null)),
            BillingConflictException.class);
    billing.refund(new RefundRequest(charge.id(), idr(150_000), "r3-" + account, null));

    assertThat(tooMuch.details())
        .containsEntry("refundable", 150_000L)
        .containsEntry("requested", 150_001L);
    assertThatThrownBy(() -> billing.refund(RefundRequest.full(charge.id(), "r4-" + account, null)))
        .isInstanceOf(BillingConflictException.class)
        .hasMessageContaining("exceeds the 0 IDR left to refund");
    assertThat(linesWithKey("r2-" + account)).isZero();
  }

  @Test
  void refundable_isWhatIsLeftOfAPayment_andZeroWithoutOne() {
    BillingLine charge = billing.charge(subscribe("sub-1", 250_000, "c-" + account));
    BillingLine free = billing.charge(subscribe("sub-free", 0, "free-" + account));

    assertThat(billing.refundable(charge.id())).isEqualTo(idr(250_000));
    billing.refund(new RefundRequest(charge.id(), idr(100_000), "r1-" + account, null));
    assertThat(billing.refundable(charge.id())).isEqualTo(idr(150_000));
    BillingLine refund = billing.refund(RefundRequest.full(charge.id(), "r2-" + account, null));
    assertThat(billing.refundable(charge.id())).isEqualTo(idr(0));
    assertThat(billing.refundable(free.id())).isEqualTo(idr(0));
    assertThat(billing.refundable(refund.id())).isEqualTo(idr(0));
    assertThatThrownBy(() -> billing.refundable(UUID.randomUUID()))
        .isInstanceOf(UnknownBillingLineException.class);
  }

  @Test
  void refund_sameKeyForADifferentRequest_isAConflict() {
    BillingLine charge = billing.charge(subscribe("sub-1", 250_000, "c-" + account));
    billing.refund(new RefundRequest(charge.id(), idr(1_000), "r-" + account, null));

    assertThatThrownBy(
            () -> billing.refund(new RefundRequest(charge.id(), idr(2_000), "r-" + account, null)))
        .isInstanceOf(BillingConflictException.class);
    assertThatThrownBy(() -> billing.charge(subscribe("sub-1", 1_000, "r-" + account)))
        .isInstanceOf(BillingConflictException.class);
  }

  @Test
  void refund_ofALineWithoutAPayment_isNotRefundable() {
    BillingLine free = billing.charge(subscribe("sub-free", 0, "free-" + account));
    gateway.declineNext(1, "card declined");
    UUID declined =
        catchThrowableOfType(
                () -> billing.charge(subscribe("sub-2", 5_000, "d-" + account)),
                PaymentFailedException.class)
            .lineId();

    assertThatThrownBy(() -> billing.refund(RefundRequest.full(free.id(), "r1-" + account, null)))
        .isInstanceOf(BillingConflictException.class)
        .hasMessageContaining("only paid charges with a payment can be refunded");
    assertThatThrownBy(() -> billing.refund(RefundRequest.full(declined, "r2-" + account, null)))
        .isInstanceOf(BillingConflictException.class)
        .hasMessageContaining("DECLINED CHARGE");
    UUID unknown = UUID.randomUUID();
    UnknownBillingLineException missing =
        catchThrowableOfType(
            () -> billing.refund(RefundRequest.full(unknown, "r3-" + account, null)),
            UnknownBillingLineException.class);
    assertThat(missing.code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void refund_ofARefund_isNotRefundable() {
    BillingLine charge = billing.charge(subscribe("sub-1", 250_000, "c-" + account));
    BillingLine refund = billing.refund(RefundRequest.full(charge.id(), "r1-" + account, null));

    assertThatThrownBy(() -> billing.refund(RefundRequest.full(refund.id(), "r2-" + account, null)))
        .isInstanceOf(BillingConflictException.class);
  }

  @Test
  void refund_inAnotherCurrency_isRefused() {
    BillingLine charge = billing.charge(subscribe("sub-1", 250_000, "c-" + account));

    assertThatThrownBy(
            () ->
                billing.refund(
                    new RefundRequest(charge.id(), Money.of(1, "USD"), "r-" + account, null)))
        .isInstanceOf(CurrencyMismatchException.class);
  }

  @Test
  void refund_declinedByTheGateway_leavesTheAmountRefundable() {
    BillingLine charge = billing.charge(subscribe("sub-1", 250_000, "c-" + account));
    gateway.declineNext(1, "refund window closed");

    PaymentFailedException error =
        catchThrowableOfType(
            () -> billing.refund(RefundRequest.full(charge.id(), "r1-" + account, null)),
            PaymentFailedException.class);
    BillingLine second = billing.refund(RefundRequest.full(charge.id(), "r2-" + account, null));

    assertThat(error.line().status()).isEqualTo(LineStatus.DECLINED);
    assertThat(error.getMessage()).contains("Payment of 250000 IDR");
    assertThat(second.amount()).isEqualTo(idr(-250_000));
  }

  @Test
  void history_pagesNewestFirstWithEveryStatus() {
    for (int i = 1; i <= 5; i++) {
      if (i == 3) {
        gateway.declineNext(1, "card declined");
      }
      try {
        billing.charge(subscribe("sub-" + i, 1_000L * i, "h" + i + "-" + account));
      } catch (PaymentFailedException expected) {
        // the declined line is history too
      }
      clock.advance(Duration.ofMinutes(1));
    }

    BillingPage first = billing.history(account, 1, 2);
    BillingPage last = billing.history(account, 3, 2);

    assertThat(first.total()).isEqualTo(5);
    assertThat(first.totalPages()).isEqualTo(3);
    assertThat(first.lines()).extracting(l -> l.reference().id()).containsExactly("sub-5", "sub-4");
    assertThat(billing.history(account, 2, 2).lines())
        .extracting(BillingLine::status)
        .containsExactly(LineStatus.DECLINED, LineStatus.PAID);
    assertThat(last.lines()).extracting(l -> l.reference().id()).containsExactly("sub-1");
    assertThat(billing.history(account, 4, 2).lines()).isEmpty();
    assertThat(billing.history("nobody-" + account, 1, 20).total()).isZero();
  }

  @Test
  void history_badPaging_namesTheFields() {
    assertThatThrownBy(() -> billing.history(" ", 0, 101))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).fieldErrors())
                    .containsKeys("accountId", "page", "size"));
  }

  @Test
  void reads_byKeyAndByReference_findTheLines() {
    BillingLine first = billing.charge(subscribe("sub-r-" + account, 1_000, "a-" + account));
    clock.advance(Duration.ofDays(30));
    BillingLine second = billing.charge(subscribe("sub-r-" + account, 1_000, "b-" + account));

    assertThat(billing.lineByIdempotencyKey("a-" + account)).contains(first);
    assertThat(billing.lineByIdempotencyKey("none-" + account)).isEmpty();
    assertThat(billing.referenceLines("sub-r-" + account)).containsExactly(first, second);
    assertThatThrownBy(() -> billing.line(UUID.randomUUID()))
        .isInstanceOf(UnknownBillingLineException.class);
    assertThatThrownBy(() -> billing.lineByIdempotencyKey(""))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> billing.referenceLines(null)).isInstanceOf(ValidationException.class);
  }

  @Test
  void anyCall_storeUnavailable_isAnInternalErrorNamingTheSqlStateOnly() {
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
    BillingService broken =
        BillingService.builder(nowhere).paymentGateway(gateway).clock(clock).build();

    MinisPodException error =
        catchThrowableOfType(() -> broken.history(account, 1, 20), MinisPodException.class);

    assertThat(error.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(error.getMessage()).startsWith("The billing store failed (SQL state");
    assertThat(error.details()).containsKey("sqlState");
  }

  private BillingService service(PaymentGateway paymentGateway) {
    return JakartaBilling.service(db.dataSource(), clock, paymentGateway);
  }

  private ChargeRequest subscribe(String referenceId, long rupiah, String key) {
    return new ChargeRequest(
        account,
        BillingReference.of(referenceId, Map.of("service", "n8n", "plan", "pro")),
        idr(rupiah),
        april,
        key,
        "n8n Pro");
  }

  private static int linesWithKey(String key) {
    return db.dsl().fetchCount(LEDGER_LINE, LEDGER_LINE.IDEMPOTENCY_KEY.eq(key));
  }

  private static Money idr(long rupiah) {
    return Money.of(rupiah, "IDR");
  }
}
