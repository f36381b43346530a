package io.minispod.billing;

import static io.minispod.billing.internal.db.Tables.LEDGER_LINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real threads against the real database; the outcomes are counted, not assumed. */
final class BillingConcurrencyIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T03:00:00Z");
  private ExecutorService threads;
  private BillingPeriod april;

  @BeforeEach
  void start() {
    threads = Executors.newFixedThreadPool(8);
    april =
        BillingCycle.startingAt(clock.instant(), BillingInterval.MONTHLY, java.time.ZoneOffset.UTC)
            .period(0);
  }

  @AfterEach
  void stop() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void charge_sameKeyFromTwoThreadsWhileTheGatewayIsBusy_recordsOneLineAndCallsTheGatewayOnce()
      throws Exception {
    // The gateway answers only once the other thread has found the attempt in progress and is
    // waiting for its answer, so the two calls certainly overlap.
    TwinWaitingGateway gateway = new TwinWaitingGateway();
    BillingService billing = service(gateway, gateway.twins);
    for (int round = 0; round < 5; round++) {
      String key = "twin-" + round;
      ChargeRequest request = charge("alice", key);

      List<Outcome> outcomes = race(2, () -> billing.charge(request));

      assertThat(outcomes).extracting(Outcome::error).containsOnlyNulls();
      assertThat(outcomes).extracting(o -> o.line().id()).containsOnly(outcomes.get(0).line().id());
      assertThat(outcomes).extracting(o -> o.line().status()).containsOnly(LineStatus.PAID);
      assertThat(linesWithKey(key)).isEqualTo(1);
      assertThat(gateway.mock.charges().stream().filter(c -> c.idempotencyKey().equals(key)))
          .hasSize(1);
    }
    assertThat(gateway.overlaps.get()).isEqualTo(5);
  }

  @Test
  void charge_sameKeyFromEightThreads_recordsOneLineAndCallsTheGatewayOnce() throws Exception {
    MockPaymentGateway gateway = new MockPaymentGateway();
    BillingService billing = service(gateway);
    for (int round = 0; round < 10; round++) {
      String key = "eight-" + round;
      ChargeRequest request = charge("bob", key);

      List<Outcome> outcomes = race(8, () -> billing.charge(request));

      assertThat(outcomes).extracting(Outcome::error).containsOnlyNulls();
      assertThat(outcomes).extracting(o -> o.line().id()).containsOnly(outcomes.get(0).line().id());
      assertThat(linesWithKey(key)).isEqualTo(1);
    }
    assertThat(gateway.callCount()).isEqualTo(10);
  }

  @Test
  void chargeUpgrade_sameKeyFromTwoThreads_recordsOnePairAndCallsTheGatewayOnce() throws Exception {
    TwinWaitingGateway gateway = new TwinWaitingGateway();
    BillingService billing = service(gateway, gateway.twins);
    billing.charge(
        new ChargeRequest(
            "carol",
            reference("carol", "basic"),
            Money.of(100_000, "IDR"),
            april,
            "sub-carol",
            null));
    gateway.expectOverlap = true;
    clock.set(Instant.parse("2026-04-10T00:00:00Z"));
    UpgradeRequest request =
        new UpgradeRequest(
            "carol",
            reference("carol", "basic"),
            reference("carol", "pro"),
            april,
            Money.of(250_000, "IDR"),
            null,
            "upgrade-carol",
            null);

    List<Outcome> outcomes = race(2, () -> billing.chargeUpgrade(request).charge());

    assertThat(outcomes).extracting(Outcome::error).containsOnlyNulls();
    assertThat(outcomes).extracting(o -> o.line().id()).containsOnly(outcomes.get(0).line().id());
    assertThat(linesWithKey("upgrade-carol")).isEqualTo(1);
    assertThat(linesWithKey("upgrade-carol/credit")).isEqualTo(1);
    assertThat(
            gateway.mock.charges().stream().filter(c -> c.idempotencyKey().equals("upgrade-carol")))
        .singleElement()
        .satisfies(call -> assertThat(call.amount()).isEqualTo(Money.of(105_000, "IDR")));
    assertThat(gateway.overlaps.get()).isEqualTo(1);
  }

  @Test
  void chargeUpgrade_twoDifferentUpgradesAtOnce_neverCreditTheSamePaymentTwice() throws Exception {
    MockPaymentGateway gateway = new MockPaymentGateway();
    BillingService billing = service(gateway);
    clock.set(Instant.parse("2026-04-01T03:00:00Z"));
    for (int round = 0; round < 8; round++) {
      String account = "dave-" + round;
      BillingReference basic = reference(account, "basic");
      billing.charge(
          new ChargeRequest(
              account, basic, Money.of(100_000, "IDR"), april, "sub-" + account, null));
      clock.set(Instant.parse("2026-04-10T00:00:00Z"));
      List<Callable<BillingLine>> upgrades = new ArrayList<>();
      for (long price : new long[] {250_000, 400_000}) {
        upgrades.add(
            () ->
                billing
                    .chargeUpgrade(
                        new UpgradeRequest(
                            account,
                            basic,
                            reference(account, "p" + price),
                            april,
                            Money.of(price, "IDR"),
                            null,
                            "upgrade-" + account + "-" + price,
                            null))
                    .charge());
      }

      List<Outcome> outcomes = race(upgrades);

      // Each upgrade either went through, saw the other awaiting its payment (CONFLICT), or saw
      // the other's higher price already paid (a downgrade, refused): never both on one payment.
      assertThat(outcomes.stream().filter(o -> o.error() == null)).isNotEmpty();
      List<BillingLine> lines = billing.referenceLines("sub-" + account);
      BillingLine lastPaid =
          lines.stream()
              .filter(l -> l.type() == LineType.PRORATION_CHARGE && l.status() == LineStatus.PAID)
              .reduce((first, second) -> second)
              .orElseThrow();
      long net =
          lines.stream()
              .filter(l -> l.status().isSettled())
              .mapToLong(l -> l.amount().minorUnits())
              .sum();
      // 9 days of Basic at 100,000 a month, then 21 of the plan paid last.
      assertThat(net).isEqualTo(30_000 + lastPaid.amount().minorUnits());
      clock.set(Instant.parse("2026-04-01T03:00:00Z"));
    }
  }

  @Test
  void charge_sameKeyFromEightThreadsOnTwoNodesAndTheirSweeps_callsTheGatewayOnce()
      throws Exception {
    // Two "nodes": services over pools of their own, sharing nothing but the database. Each round
    // six threads charge with the same key while two sweep pending lines.
    MockPaymentGateway gateway = new MockPaymentGateway();
    BillingService first = service(gateway, db.newDataSource(4));
    BillingService second = service(gateway, db.newDataSource(4));
    for (int round = 0; round < 10; round++) {
      String key = "nodes-" + round;
      ChargeRequest request = charge("erin", key);
      List<Callable<BillingLine>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        BillingService node = i % 2 == 0 ? first : second;
        calls.add(() -> node.charge(request));
      }
      for (BillingService node : List.of(first, second)) {
        calls.add(
            () -> {
              node.settlePending(Duration.ZERO);
              return node.lineByIdempotencyKey(key).orElse(null);
            });
      }

      List<Outcome> outcomes = race(calls);

      assertThat(outcomes).extracting(Outcome::error).containsOnlyNulls();
      assertThat(outcomes.subList(0, 6))
          .extracting(o -> o.line().status())
          .containsOnly(LineStatus.PAID);
      assertThat(linesWithKey(key)).isEqualTo(1);
      assertThat(gateway.charges().stream().filter(c -> c.idempotencyKey().equals(key))).hasSize(1);
    }
    assertThat(gateway.callCount()).isEqualTo(10);
  }

  private BillingService service(PaymentGateway gateway) {
    return service(gateway, db.dataSource());
  }

  private BillingService service(PaymentGateway gateway, SettlementObserver observer) {
    return builder(gateway, db.dataSource()).observer(observer).build();
  }

  private BillingService service(PaymentGateway gateway, javax.sql.DataSource dataSource) {
    return builder(gateway, dataSource).build();
  }

  private BillingServiceBuilder builder(PaymentGateway gateway, javax.sql.DataSource dataSource) {
    return BillingService.builder(dataSource)
        .clock(clock)
        .paymentGateway(gateway)
        .currencyScale("IDR", 0);
  }

  private ChargeRequest charge(String account, String key) {
    return new ChargeRequest(
        account, reference(account, "pro"), Money.of(250_000, "IDR"), april, key, null);
  }

  private static BillingReference reference(String account, String plan) {
    return BillingReference.of("sub-" + account, Map.of("plan", plan));
  }

  private List<Outcome> race(int count, Callable<BillingLine> call) throws Exception {
    List<Callable<BillingLine>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(call);
    }
    return race(calls);
  }

  /** Starts every call at once on its own thread and collects what each returned or threw. */
  private List<Outcome> race(List<Callable<BillingLine>> calls) throws Exception {
    CountDownLatch ready = new CountDownLatch(calls.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Outcome>> futures = new ArrayList<>();
    for (Callable<BillingLine> call : calls) {
      futures.add(
          threads.submit(
              () -> {
                ready.countDown();
                go.await();
                try {
                  return new Outcome(call.call(), null);
                } catch (RuntimeException e) {
                  return new Outcome(null, e);
                }
              }));
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    List<Outcome> outcomes = new ArrayList<>();
    for (Future<Outcome> future : futures) {
      outcomes.add(future.get(30, TimeUnit.SECONDS));
    }
    return outcomes;
  }

  private static int linesWithKey(String key) {
    return db.dsl().fetchCount(LEDGER_LINE, LEDGER_LINE.IDEMPOTENCY_KEY.eq(key));
  }

  private record Outcome(BillingLine line, RuntimeException error) {}

  /** The lines on which a caller found another caller's attempt in progress and waited. */
  private static final class Twins implements SettlementObserver {
    final Set<UUID> awaited = ConcurrentHashMap.newKeySet();

    @Override
    public void waiting(UUID lineId, long attempt) {
      awaited.add(lineId);
    }
  }

  /**
   * Approves through a mock, but first waits until another caller waits for this very call's
   * answer, which proves the concurrent twin reached the database while this call held the line's
   * claim (and that it waits rather than calling the gateway too).
   */
  private static final class TwinWaitingGateway implements PaymentGateway {
    final MockPaymentGateway mock = new MockPaymentGateway();
    final Twins twins = new Twins();
    volatile boolean expectOverlap = true;
    final AtomicInteger overlaps = new AtomicInteger();

    @Override
    public PaymentResult charge(PaymentCharge charge) {
      if (expectOverlap && !charge.idempotencyKey().startsWith("sub-")) {
        UUID lineId =
            db.dsl()
                .select(LEDGER_LINE.LINE_ID)
                .from(LEDGER_LINE)
                .where(LEDGER_LINE.IDEMPOTENCY_KEY.eq(charge.idempotencyKey()))
                .fetchSingle(LEDGER_LINE.LINE_ID);
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(5))
            .until(() -> twins.awaited.contains(lineId));
        overlaps.incrementAndGet();
      }
      return mock.charge(charge);
    }

    @Override
    public PaymentResult refund(PaymentRefund refund) {
      return mock.refund(refund);
    }
  }
}
