package io.minispod.billing;

import static io.minispod.billing.internal.db.Tables.LEDGER_LINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.minispod.ErrorCode;
import io.minispod.billing.BillingRecoveryIT.SimulatedCrash;
import io.minispod.billing.internal.db.tables.records.LedgerLineRecord;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Settling with no transaction open during the gateway call: the claim, the wait of a twin, the
 * takeover of a lapsed claim and the fencing of a late answer. Real threads, the real database, a
 * gateway held on a latch, and a clock moved by hand.
 */
final class BillingSettlementIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static final Duration CLAIM = Duration.ofMinutes(30);

  private final MutableClock clock = MutableClock.at("2026-04-01T03:00:00Z");
  private final BlockingGateway gateway = new BlockingGateway();
  private final Observer observer = new Observer();
  private ExecutorService threads;
  private BillingPeriod april;
  private String account;

  @BeforeEach
  void start() {
    threads = Executors.newCachedThreadPool();
    april =
        BillingCycle.startingAt(clock.instant(), BillingInterval.MONTHLY, java.time.ZoneOffset.UTC)
            .period(0);
    account = "user-" + UUID.randomUUID();
  }

  @AfterEach
  void stop() throws InterruptedException {
    gateway.releaseAll();
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void charge_whileTheGatewayBlocks_holdsNoConnectionAndNoRowLock() throws Exception {
    // One connection in all: if the charging thread held it during the gateway call, nothing else
    // on this service could read.
    BillingService billing = builder(db.newDataSource(1)).build();
    Block block = gateway.blockNext(null);

    Future<BillingLine> charging = threads.submit(() -> billing.charge(charge("c1", 999)));
    block.awaitEntered();

    BillingLine pending =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> billing.lineByIdempotencyKey(key("c1")).orElseThrow());
    assertThat(pending.status()).isEqualTo(LineStatus.PENDING);
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          assertThat(billing.line(pending.id()).status()).isEqualTo(LineStatus.PENDING);
          assertThat(billing.referenceLines("sub-" + account)).hasSize(1);
          assertThat(billing.history(account, 1, 10).lines()).hasSize(1);
        });
    // Nobody holds the line's row lock (NOWAIT fails at once if anybody does), and no other session
    // of this database has a transaction open.
    db.dsl()
        .transaction(
            cfg -> {
              LedgerLineRecord locked =
                  cfg.dsl()
                      .selectFrom(LEDGER_LINE)
                      .where(LEDGER_LINE.LINE_ID.eq(pending.id()))
                      .forUpdate()
                      .noWait()
                      .fetchSingle();
              assertThat(locked.getAttemptNo()).isEqualTo(1L);
              assertThat(locked.getAttemptExpiresAt().toInstant())
                  .isEqualTo(clock.instant().plus(CLAIM));
              assertThat(otherOpenTransactions(cfg.dsl())).isZero();
            });
    assertThat(charging).isNotDone();

    block.release();

    BillingLine paid = charging.get(10, TimeUnit.SECONDS);
    assertThat(paid.status()).isEqualTo(LineStatus.PAID);
    assertThat(billing.line(pending.id()).status()).isEqualTo(LineStatus.PAID);
    assertThat(row(pending.id()).getAttemptExpiresAt()).isNull();
    assertThat(gateway.calls.get()).isEqualTo(1);
  }

  @Test
  void charge_claimantHangsPastItsClaim_theRetryTakesOverAndTheLateAnswerChangesNothing()
      throws Exception {
    BillingService billing = builder(db.dataSource()).build();
    Block block = gateway.blockNext(PaymentResult.declined("the late answer of a lapsed attempt"));
    Future<BillingLine> stale = threads.submit(() -> billing.charge(charge("c1", 999)));
    block.awaitEntered();
    UUID lineId = billing.lineByIdempotencyKey(key("c1")).orElseThrow().id();

    clock.advance(CLAIM.plusSeconds(1));
    Instant takenOverAt = clock.instant();
    BillingLine retried = billing.charge(charge("c1", 999));

    assertThat(retried.status()).isEqualTo(LineStatus.PAID);
    assertThat(retried.settledAt()).isEqualTo(takenOverAt);
    assertThat(row(lineId).getAttemptNo()).isEqualTo(2L);
    assertThat(observer.claimed).containsExactly(lineId + "#1", lineId + "#2");

    clock.advance(Duration.ofMinutes(1));
    block.release();

    // The stale claimant records nothing and answers its caller with what the takeover recorded.
    assertThat(stale.get(10, TimeUnit.SECONDS)).isEqualTo(retried);
    assertThat(billing.line(lineId)).isEqualTo(retried);
    assertThat(observer.fenced).containsExactly(lineId + "#1");
    assertThat(gateway.calls.get()).isEqualTo(2);
    assertThat(gateway.mock.charges()).singleElement();
  }

  @Test
  void settlePending_skipsALiveAttemptAndTakesOverOneWhoseClaimLapsed() throws Exception {
    BillingService billing = builder(db.dataSource()).build();
    Block block = gateway.blockNext(PaymentResult.error("the late answer of a lapsed attempt"));
    Future<BillingLine> stale = threads.submit(() -> billing.charge(charge("c1", 999)));
    block.awaitEntered();
    UUID lineId = billing.lineByIdempotencyKey(key("c1")).orElseThrow().id();

    clock.advance(Duration.ofMinutes(10));
    assertThat(billing.settlePending(Duration.ofMinutes(5))).isZero();
    assertThat(gateway.calls.get()).isEqualTo(1);

    clock.advance(CLAIM);
    assertThat(billing.settlePending(Duration.ofMinutes(5))).isEqualTo(1);
    BillingLine settled = billing.line(lineId);
    assertThat(settled.status()).isEqualTo(LineStatus.PAID);
    assertThat(row(lineId).getAttemptNo()).isEqualTo(2L);

    block.release();

    assertThat(stale.get(10, TimeUnit.SECONDS)).isEqualTo(settled);
    assertThat(billing.line(lineId)).isEqualTo(settled);
    assertThat(observer.fenced).containsExactly(lineId + "#1");
    assertThat(billing.settlePending(Duration.ZERO)).isZero();
  }

  @Test
  void chargeUpgrade_claimantHangsPastItsClaim_settlePendingRecordsChargeAndCreditTogether()
      throws Exception {
    BillingService billing = builder(db.dataSource()).build();
    billing.charge(charge("subscribe", 1_000));
    clock.set(Instant.parse("2026-04-10T12:00:00Z"));
    Block block = gateway.blockNext(PaymentResult.declined("the late answer of a lapsed attempt"));
    BillingReference reference = BillingReference.of("sub-" + account, Map.of("plan", "pro"));
    UpgradeRequest request =
        new UpgradeRequest(
            account, reference, reference, april, Money.of(2_500, "USD"), null, key("u1"), null);
    Future<UpgradeCharge> stale = threads.submit(() -> billing.chargeUpgrade(request));
    block.awaitEntered();

    clock.advance(CLAIM.plusSeconds(1));
    assertThat(billing.settlePending(Duration.ZERO)).isEqualTo(1);
    block.release();
    UpgradeCharge upgrade = stale.get(10, TimeUnit.SECONDS);

    assertThat(upgrade.charge().status()).isEqualTo(LineStatus.PAID);
    assertThat(upgrade.credit().status()).isEqualTo(LineStatus.CREDITED);
    assertThat(upgrade.credit().paymentId()).isEqualTo(upgrade.charge().paymentId()).isNotNull();
    assertThat(billing.line(upgrade.credit().id())).isEqualTo(upgrade.credit());
    assertThat(billing.line(upgrade.charge().id())).isEqualTo(upgrade.charge());
    assertThat(observer.fenced).containsExactly(upgrade.charge().id() + "#1");
  }

  @Test
  void charge_twinWaitsLongerThanTheSettlementWait_isInProgressAndLaterGetsTheAnswer()
      throws Exception {
    BillingService billing =
        builder(db.dataSource()).settlementWait(Duration.ofMillis(200)).build();
    Block block = gateway.blockNext(null);
    Future<BillingLine> first = threads.submit(() -> billing.charge(charge("c1", 999)));
    block.awaitEntered();
    UUID lineId = billing.lineByIdempotencyKey(key("c1")).orElseThrow().id();

    PaymentInProgressException busy =
        catchThrowableOfType(
            () -> billing.charge(charge("c1", 999)), PaymentInProgressException.class);

    assertThat(busy.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(busy.lineId()).isEqualTo(lineId);
    assertThat(busy.details())
        .containsEntry("attempt", 1L)
        .containsEntry("idempotencyKey", key("c1"))
        .containsEntry("claimedUntil", clock.instant().plus(CLAIM).toString());
    assertThat(observer.waited).containsExactly(lineId + "#1");
    assertThat(billing.line(lineId).status()).isEqualTo(LineStatus.PENDING);

    block.release();
    BillingLine paid = first.get(10, TimeUnit.SECONDS);

    assertThat(billing.charge(charge("c1", 999))).isEqualTo(paid);
    assertThat(gateway.calls.get()).isEqualTo(1);
  }

  @Test
  void charge_twinInterruptedWhileWaiting_stopsAndKeepsItsInterrupt() throws Exception {
    BillingService billing = builder(db.dataSource()).build();
    Block block = gateway.blockNext(null);
    Future<BillingLine> first = threads.submit(() -> billing.charge(charge("c1", 999)));
    block.awaitEntered();
    UUID lineId = billing.lineByIdempotencyKey(key("c1")).orElseThrow().id();
    AtomicReference<RuntimeException> thrown = new AtomicReference<>();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread twin =
        new Thread(
            () -> {
              try {
                billing.charge(charge("c1", 999));
              } catch (RuntimeException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              }
            });
    twin.start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> observer.waited.contains(lineId + "#1"));

    twin.interrupt();
    twin.join(10_000);

    assertThat(thrown.get())
        .isInstanceOf(PaymentInProgressException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(stillInterrupted).isTrue();
    block.release();
    assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(LineStatus.PAID);
  }

  @Test
  void charge_gatewayCallEndsInAnError_givesTheClaimUpSoARetryNeedNotWait() {
    BillingService billing = builder(db.dataSource()).build();
    gateway.crashNext.set(true);

    assertThatThrownBy(() -> billing.charge(charge("c1", 999))).isInstanceOf(SimulatedCrash.class);
    UUID lineId = billing.lineByIdempotencyKey(key("c1")).orElseThrow().id();
    assertThat(row(lineId).getAttemptNo()).isEqualTo(1L);
    assertThat(row(lineId).getAttemptExpiresAt()).isNull();

    BillingLine retried = billing.charge(charge("c1", 999));

    assertThat(retried.status()).isEqualTo(LineStatus.PAID);
    assertThat(row(lineId).getAttemptNo()).isEqualTo(2L);
    assertThat(observer.waited).isEmpty();
  }

  @Test
  void settlePending_lineRowLockedByAnotherTransaction_skipsIt() {
    BillingService billing = builder(db.dataSource()).build();
    gateway.crashNext.set(true);
    assertThatThrownBy(() -> billing.charge(charge("c1", 999))).isInstanceOf(SimulatedCrash.class);
    UUID lineId = billing.lineByIdempotencyKey(key("c1")).orElseThrow().id();
    clock.advance(Duration.ofMinutes(10));

    db.dsl()
        .transaction(
            cfg -> {
              cfg.dsl()
                  .selectFrom(LEDGER_LINE)
                  .where(LEDGER_LINE.LINE_ID.eq(lineId))
                  .forUpdate()
                  .fetchSingle();
              assertThat(billing.settlePending(Duration.ZERO)).isZero();
            });

    assertThat(billing.settlePending(Duration.ZERO)).isEqualTo(1);
    assertThat(billing.line(lineId).status()).isEqualTo(LineStatus.PAID);
  }

  private BillingServiceBuilder builder(DataSource dataSource) {
    return BillingService.builder(dataSource)
        .clock(clock)
        .paymentGateway(gateway)
        .settlementClaim(CLAIM)
        .observer(observer);
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

  private String key(String name) {
    return name + "-" + account;
  }

  private static LedgerLineRecord row(UUID lineId) {
    return db.dsl().selectFrom(LEDGER_LINE).where(LEDGER_LINE.LINE_ID.eq(lineId)).fetchSingle();
  }

  /** Sessions of this test's database, other than the asking one, inside a transaction. */
  private static int otherOpenTransactions(DSLContext dsl) {
    // pg_stat_activity is PostgreSQL's own view, outside the generated schema.
    return dsl.fetchOne(
            "select count(*) from pg_stat_activity where datname = current_database()"
                + " and pid <> pg_backend_pid() and xact_start is not null")
        .get(0, Integer.class);
  }

  /** Where settlements stood, as {@code lineId#attempt}. */
  private static final class Observer implements SettlementObserver {
    final List<String> claimed = new CopyOnWriteArrayList<>();
    final List<String> waited = new CopyOnWriteArrayList<>();
    final List<String> fenced = new CopyOnWriteArrayList<>();

    @Override
    public void claimed(UUID lineId, long attempt) {
      claimed.add(lineId + "#" + attempt);
    }

    @Override
    public void waiting(UUID lineId, long attempt) {
      waited.add(lineId + "#" + attempt);
    }

    @Override
    public void fenced(UUID lineId, long attempt) {
      fenced.add(lineId + "#" + attempt);
    }
  }

  /** A mock gateway whose next call can be held on a latch, or "kill the process". */
  private static final class BlockingGateway implements PaymentGateway {
    final MockPaymentGateway mock = new MockPaymentGateway();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicBoolean crashNext = new AtomicBoolean();
    private final AtomicReference<Block> next = new AtomicReference<>();
    private final List<Block> blocks = new CopyOnWriteArrayList<>();

    /** Holds the next call until released; it then answers {@code answer}, or the mock's. */
    Block blockNext(PaymentResult answer) {
      Block block = new Block(answer);
      blocks.add(block);
      next.set(block);
      return block;
    }

    void releaseAll() {
      blocks.forEach(Block::release);
    }

    @Override
    public PaymentResult charge(PaymentCharge charge) {
      return call(() -> mock.charge(charge));
    }

    @Override
    public PaymentResult refund(PaymentRefund refund) {
      return call(() -> mock.refund(refund));
    }

    private PaymentResult call(Supplier<PaymentResult> mockCall) {
      calls.incrementAndGet();
      if (crashNext.getAndSet(false)) {
        throw new SimulatedCrash();
      }
      Block block = next.getAndSet(null);
      return block == null ? mockCall.get() : block.hold(mockCall);
    }
  }

  /** One held gateway call. */
  private static final class Block {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final PaymentResult answer;

    Block(PaymentResult answer) {
      this.answer = answer;
    }

    PaymentResult hold(Supplier<PaymentResult> mockCall) {
      entered.countDown();
      try {
        if (!released.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never released the gateway call");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while held", e);
      }
      return answer != null ? answer : mockCall.get();
    }

    void awaitEntered() throws InterruptedException {
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    }

    void release() {
      released.countDown();
    }
  }
}
