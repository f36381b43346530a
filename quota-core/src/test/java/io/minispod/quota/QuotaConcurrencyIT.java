package io.minispod.quota;

import static io.minispod.quota.internal.db.Tables.ALLOCATION;
import static io.minispod.quota.internal.db.Tables.POOL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Concurrency claims, shown with real threads on two "nodes": two managers, each on its own
 * connection pool to the same database.
 */
final class QuotaConcurrencyIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-10T08:00:00Z");
  private QuotaManager nodeA;
  private QuotaManager nodeB;

  @BeforeEach
  void startNodes() {
    nodeA =
        QuotaManager.builder(db.newDataSource(8))
            .clock(clock)
            .reclaimInterval(Duration.ZERO)
            .build();
    nodeB =
        QuotaManager.builder(db.newDataSource(8))
            .clock(clock)
            .reclaimInterval(Duration.ZERO)
            .build();
  }

  @AfterEach
  void stopNodes() {
    nodeA.close();
    nodeB.close();
  }

  private QuotaManager node(int caller) {
    return caller % 2 == 0 ? nodeA : nodeB;
  }

  /** Runs {@code callers} tasks at once (released together) and returns their results in order. */
  private static <T> List<Outcome<T>> race(int callers, IntFunction<Callable<T>> task)
      throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        Callable<T> work = task.apply(i);
        futures.add(
            threads.submit(
                () -> {
                  start.await();
                  return work.call();
                }));
      }
      start.countDown();
      List<Outcome<T>> outcomes = new ArrayList<>();
      for (Future<T> future : futures) {
        try {
          outcomes.add(new Outcome<>(future.get(60, TimeUnit.SECONDS), null));
        } catch (java.util.concurrent.ExecutionException e) {
          outcomes.add(new Outcome<>(null, e.getCause()));
        }
      }
      return outcomes;
    } finally {
      threads.shutdownNow();
    }
  }

  private record Outcome<T>(T value, Throwable error) {}

  @Test
  void allocate_200CallersOnTwoNodes_grantExactlyCapacity() throws Exception {
    nodeA.definePool("plan:hot", 37);

    List<Outcome<Allocation>> outcomes =
        race(
            200,
            i ->
                () ->
                    node(i)
                        .allocate(
                            AllocationRequest.of(
                                "user-" + i, "hot-" + i, QuotaItem.of("plan:hot", 1))));

    long granted = outcomes.stream().filter(o -> o.value() != null).count();
    long refused =
        outcomes.stream().filter(o -> o.error() instanceof QuotaExceededException).count();
    assertThat(granted).isEqualTo(37);
    assertThat(refused).isEqualTo(163);
    assertThat(nodeB.availability(List.of("plan:hot")).get(0))
        .isEqualTo(new PoolAvailability("plan:hot", 37, 37));
    assertThat(nodeA.reconcile(false).isClean()).isTrue();
  }

  @Test
  void allocate_whileALoneRequestWaitsForItsPool_queuedRequestsShareOneTransaction()
      throws Exception {
    ObservedDataSource observed = new ObservedDataSource(db.newDataSource(8));
    try (QuotaManager node =
        QuotaManager.builder(observed.dataSource())
            .clock(clock)
            .reclaimInterval(Duration.ZERO)
            .build()) {
      node.definePool("plan:combine", 100);
      observed.forget();
      List<AllocationRequest> queued = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        queued.add(
            AllocationRequest.of("queued-" + i, "combine-" + i, QuotaItem.of("plan:combine", 1)));
      }

      Map<String, Object> outcomes =
          whileTheRowIsHeld(
              node,
              observed,
              "plan:combine",
              AllocationRequest.of("lone", "combine-lone", QuotaItem.of("plan:combine", 1)),
              queued);

      assertThat(outcomes.values()).hasSize(21).allMatch(Allocation.class::isInstance);
      assertThat(observed.commits()).as("the lone request, then one batch of 20").isEqualTo(2);
      assertThat(observed.borrowers().get(0)).isEqualTo("caller-lone");
      assertThat(observed.borrowers().get(1)).startsWith("minispod-quota-combiner-");
      assertThat(node.availability(List.of("plan:combine")).get(0).used()).isEqualTo(21);
      assertThat(node.reconcile(false).isClean()).isTrue();
    }
  }

  @Test
  void allocate_batchWithAFailingWrite_isSettledOneByOneAndTheFailureLeavesNoTrace()
      throws Exception {
    ObservedDataSource observed = new ObservedDataSource(db.newDataSource(8));
    try (QuotaManager node =
        QuotaManager.builder(observed.dataSource())
            .clock(clock)
            .reclaimInterval(Duration.ZERO)
            .build()) {
      node.definePool("plan:shared", 100);
      node.definePool("poisoned:pool", 100);
      observed.forget();
      db.dsl().execute(QuotaManagerIT.POISON_LEDGER);
      Map<String, Object> outcomes;
      try {
        outcomes =
            whileTheRowIsHeld(
                node,
                observed,
                "plan:shared",
                AllocationRequest.of("lone", "shared-lone", QuotaItem.of("plan:shared", 1)),
                List.of(
                    AllocationRequest.of("alice", "shared-alice", QuotaItem.of("plan:shared", 2)),
                    AllocationRequest.of(
                        "poison",
                        "shared-poison",
                        QuotaItem.of("plan:shared", 4),
                        QuotaItem.of("poisoned:pool", 1)),
                    AllocationRequest.of("bob", "shared-bob", QuotaItem.of("plan:shared", 8))));
      } finally {
        db.dsl().execute(QuotaManagerIT.CURE_LEDGER);
      }

      assertThat(observed.commits())
          .as("the lone request, then alice and bob each alone after the batch of three failed")
          .isEqualTo(3);
      assertThat(outcomes.get("alice")).isInstanceOf(Allocation.class);
      assertThat(outcomes.get("bob")).isInstanceOf(Allocation.class);
      assertThat(outcomes.get("poison"))
          .isInstanceOfSatisfying(
              MinisPodException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
      assertThat(db.dsl().fetchCount(ALLOCATION, ALLOCATION.IDEMPOTENCY_KEY.eq("shared-poison")))
          .isZero();
      assertThat(node.availability(List.of("plan:shared", "poisoned:pool")))
          .containsExactly(
              new PoolAvailability("plan:shared", 100, 11),
              new PoolAvailability("poisoned:pool", 100, 0));
      assertThat(node.reconcile(false).isClean()).isTrue();
    }
  }

  /**
   * Holds {@code pool}'s row in another transaction while {@code lone} is submitted (it settles on
   * its caller's thread, holding its lane, and waits for the row) and then {@code queued} (which
   * wait on the lane), then lets go. Returns each owner's allocation or exception.
   */
  private static Map<String, Object> whileTheRowIsHeld(
      QuotaManager node,
      ObservedDataSource observed,
      String pool,
      AllocationRequest lone,
      List<AllocationRequest> queued)
      throws Exception {
    Map<String, Object> outcomes = new ConcurrentHashMap<>();
    List<Thread> callers = new ArrayList<>();
    try (RowHolder holder = new RowHolder(pool)) {
      Thread first = caller(node, lone, outcomes);
      callers.add(first);
      // Once it has a connection it holds its lane, and it waits for the row.
      await().until(() -> observed.borrowers().contains(first.getName()));
      for (AllocationRequest request : queued) {
        callers.add(caller(node, request, outcomes));
      }
      await()
          .until(
              () ->
                  callers.subList(1, callers.size()).stream()
                      .allMatch(QuotaConcurrencyIT::waitsForItsBatch));
    } finally {
      for (Thread caller : callers) {
        caller.join(10_000);
      }
    }
    return outcomes;
  }

  /** Holds a pool's row in a transaction of its own until closed. */
  private static final class RowHolder implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread thread;

    RowHolder(String pool) throws InterruptedException {
      CountDownLatch locked = new CountDownLatch(1);
      thread =
          new Thread(
              () ->
                  db.dsl()
                      .transaction(
                          tx -> {
                            tx.dsl()
                                .selectFrom(POOL)
                                .where(POOL.POOL_KEY.eq(pool))
                                .forUpdate()
                                .fetch();
                            locked.countDown();
                            release.await(30, TimeUnit.SECONDS);
                          }));
      thread.setDaemon(true);
      thread.start();
      assertThat(locked.await(10, TimeUnit.SECONDS)).as("row of %s locked", pool).isTrue();
    }

    @Override
    public void close() throws InterruptedException {
      release.countDown();
      thread.join(10_000);
    }
  }

  private static Thread caller(
      QuotaManager node, AllocationRequest request, Map<String, Object> outcomes) {
    Thread thread =
        new Thread(
            () -> {
              try {
                outcomes.put(request.owner(), node.allocate(request));
              } catch (RuntimeException e) {
                outcomes.put(request.owner(), e);
              }
            },
            "caller-" + request.owner());
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Whether the thread is parked waiting for the outcome of its queued request. */
  private static boolean waitsForItsBatch(Thread thread) {
    return thread.getState() == Thread.State.TIMED_WAITING
        && Arrays.stream(thread.getStackTrace())
            .anyMatch(frame -> frame.getClassName().equals(CompletableFuture.class.getName()));
  }

  @Test
  void allocate_loneCallerBehindARowHeldElsewhere_givesUpAfterTheWaitLimit() throws Exception {
    try (QuotaManager node =
        QuotaManager.builder(db.newDataSource(4))
            .clock(clock)
            .reclaimInterval(Duration.ZERO)
            .allocationWaitLimit(Duration.ofMillis(1500))
            .build()) {
      node.definePool("plan:stuck", 5);
      AllocationRequest request =
          AllocationRequest.of("alice", "stuck", QuotaItem.of("plan:stuck", 1));

      long started = System.nanoTime();
      try (RowHolder holder = new RowHolder("plan:stuck")) {
        assertThatThrownBy(() -> node.allocate(request))
            .isInstanceOfSatisfying(
                MinisPodException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
            .hasMessageContaining("57014");
      }
      Duration waited = Duration.ofNanos(System.nanoTime() - started);

      assertThat(waited)
          .as("the limit, rounded up to whole seconds, not the 30 s the row was held for")
          .isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
      assertThat(db.dsl().fetchCount(ALLOCATION, ALLOCATION.IDEMPOTENCY_KEY.eq("stuck"))).isZero();
      assertThat(node.allocate(request).items()).containsExactly(QuotaItem.of("plan:stuck", 1));
      assertThat(node.availability(List.of("plan:stuck")).get(0).used()).isEqualTo(1);
    }
  }

  @Test
  void allocate_20CallsWithOneKey_createOneAllocation() throws Exception {
    nodeA.definePool("plan:idem", 100);
    String key = "subscribe-" + UUID.randomUUID();

    List<Outcome<Allocation>> outcomes =
        race(
            20,
            i ->
                () ->
                    node(i)
                        .allocate(
                            AllocationRequest.of("alice", key, QuotaItem.of("plan:idem", 3))));

    assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
    assertThat(outcomes.stream().map(o -> o.value().id()).distinct()).hasSize(1);
    assertThat(db.dsl().fetchCount(ALLOCATION, ALLOCATION.IDEMPOTENCY_KEY.eq(key))).isOne();
    assertThat(nodeA.availability(List.of("plan:idem")).get(0).used()).isEqualTo(3);
  }

  @Test
  void mixedStorm_endsWithCountersLiveAllocationsAndLedgerAgreeing() throws Exception {
    List<String> pools = List.of("storm:a", "storm:b", "storm:c", "storm:d");
    Map<String, Long> capacity =
        Map.of("storm:a", 20L, "storm:b", 35L, "storm:c", 50L, "storm:d", 8L);
    capacity.forEach(nodeA::definePool);
    List<UUID> live = Collections.synchronizedList(new ArrayList<>());
    Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    race(
        32,
        caller ->
            () -> {
              Random random = new Random(caller);
              QuotaManager node = node(caller);
              for (int step = 0; step < 40; step++) {
                int action = random.nextInt(10);
                String operation = action < 5 ? "allocate" : action < 8 ? "release" : "swap";
                try {
                  if (operation.equals("allocate") || live.isEmpty()) {
                    List<QuotaItem> items = randomItems(random, pools);
                    Allocation a =
                        node.allocate(
                            new AllocationRequest(
                                "user-" + caller, "storm-" + caller + "-" + step, items, null));
                    live.add(a.id());
                  } else if (operation.equals("release")) {
                    UUID id = live.remove(random.nextInt(live.size()));
                    node.release(id);
                  } else {
                    UUID id = live.get(random.nextInt(live.size()));
                    node.swap(id, randomItems(random, pools));
                  }
                  counts
                      .computeIfAbsent(operation + ":ok", k -> new AtomicInteger())
                      .incrementAndGet();
                } catch (QuotaExceededException
                    | QuotaConflictException
                    | IndexOutOfBoundsException e) {
                  // Refusals, swaps of an allocation another caller just released, and a list
                  // emptied by another caller between isEmpty and remove are expected outcomes.
                  counts
                      .computeIfAbsent(operation + ":refused", k -> new AtomicInteger())
                      .incrementAndGet();
                }
              }
              return null;
            });

    ReconciliationReport report = nodeB.reconcile(false);
    assertThat(report.poolsChecked()).isGreaterThanOrEqualTo(4);
    assertThat(report.isClean()).as("drifts %s after %s", report.drifts(), counts).isTrue();
    for (PoolAvailability pool : nodeA.availability(pools)) {
      assertThat(pool.used()).isBetween(0L, capacity.get(pool.poolKey()));
    }
    assertThat(counts.get("allocate:ok").get()).isPositive();
    assertThat(counts.get("release:ok").get()).isPositive();
    assertThat(counts.get("swap:ok").get()).isPositive();
  }

  private static List<QuotaItem> randomItems(Random random, List<String> pools) {
    List<String> shuffled = new ArrayList<>(pools);
    Collections.shuffle(shuffled, random);
    int howMany = 1 + random.nextInt(3);
    List<QuotaItem> items = new ArrayList<>();
    for (int i = 0; i < howMany; i++) {
      items.add(QuotaItem.of(shuffled.get(i), 1 + random.nextInt(4)));
    }
    return items;
  }

  @Test
  void expiredHolds_comeBackWithoutAnyCallersHelp() {
    nodeA.definePool("plan:holds", 5);
    for (int i = 0; i < 5; i++) {
      nodeA.allocate(
          AllocationRequest.hold(
              "user-" + i, "hold-" + i, Duration.ofMinutes(10), QuotaItem.of("plan:holds", 1)));
    }
    assertThat(nodeA.availability(List.of("plan:holds")).get(0).available()).isZero();

    try (QuotaManager withReclaimer =
        QuotaManager.builder(db.dataSource())
            .clock(clock)
            .reclaimInterval(Duration.ofMillis(50))
            .build()) {
      clock.advance(Duration.ofMinutes(11));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> nodeB.availability(List.of("plan:holds")).get(0).available() == 5);
    }
    assertThat(
            db.dsl()
                .fetchCount(
                    ALLOCATION,
                    ALLOCATION
                        .STATUS
                        .eq(AllocationStatus.EXPIRED)
                        .and(ALLOCATION.IDEMPOTENCY_KEY.like("hold-%"))))
        .isEqualTo(5);
    assertThat(nodeA.reconcile(false).isClean()).isTrue();
  }

  @Test
  void reclaimExpired_onTwoNodesAtOnce_reclaimsEachHoldOnce() throws Exception {
    nodeA.definePool("plan:reclaim", 1000);
    for (int i = 0; i < 300; i++) {
      nodeA.allocate(
          AllocationRequest.hold(
              "user-" + i, "r-" + i, Duration.ofMinutes(1), QuotaItem.of("plan:reclaim", 2)));
    }
    clock.advance(Duration.ofMinutes(2));

    List<Outcome<Integer>> reclaimed = race(4, i -> () -> node(i).reclaimExpired());

    assertThat(reclaimed.stream().mapToInt(Outcome::value).sum()).isEqualTo(300);
    assertThat(nodeA.availability(List.of("plan:reclaim")).get(0).used()).isZero();
    assertThat(nodeA.reconcile(false).isClean()).isTrue();
  }

  @Test
  void databaseFailure_isReportedWithoutSql() throws Exception {
    HikariDataSource closed = (HikariDataSource) db.newDataSource(1);
    closed.close();
    try (QuotaManager broken =
        QuotaManager.builder(closed).reclaimInterval(Duration.ZERO).build()) {
      assertThatThrownBy(() -> broken.definePool("x", 1))
          .isInstanceOfSatisfying(
              MinisPodException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
          .hasMessageStartingWith("The quota store failed");
    }
  }
}
