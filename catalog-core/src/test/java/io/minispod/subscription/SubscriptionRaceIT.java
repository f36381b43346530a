package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minispod.MinisPodException;
import io.minispod.billing.LineType;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Races with real threads on two nodes against the real database, outcomes counted. */
final class SubscriptionRaceIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");
  private Platform nodeA;
  private Platform nodeB;

  @BeforeEach
  void start() {
    nodeA = Platform.start(db.newDataSource(20), clock);
    nodeB = nodeA.anotherNode(db.newDataSource(20), b -> b);
  }

  @AfterEach
  void stop() {
    nodeA.close();
    nodeB.close();
  }

  private Platform node(int caller) {
    return caller % 2 == 0 ? nodeA : nodeB;
  }

  /** Runs the tasks at once on their own threads; each outcome is a value or the error thrown. */
  private static <T> List<Object> race(int callers, IntFunction<Callable<T>> task)
      throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        Callable<T> work = task.apply(i);
        futures.add(
            threads.submit(
                () -> {
                  go.await();
                  return work.call();
                }));
      }
      go.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<T> f : futures) {
        try {
          outcomes.add(f.get(2, TimeUnit.MINUTES));
        } catch (ExecutionException e) {
          outcomes.add(e.getCause());
        }
      }
      return outcomes;
    } finally {
      threads.shutdownNow();
    }
  }

  private static Map<String, Long> tally(List<Object> outcomes) {
    return outcomes.stream()
        .collect(
            Collectors.groupingBy(
                o ->
                    o instanceof MinisPodException e
                        ? e.code().name()
                        : o instanceof Throwable t ? t.toString() : "OK",
                Collectors.counting()));
  }

  @Test
  void subscribe_100UsersOnA7SlotPlan_exactly7Succeed() throws Exception {
    ServiceDefinition service = nodeA.service(7, 1, 1);

    List<Object> outcomes =
        race(
            100,
            i ->
                () ->
                    node(i).subscribe().subscribe("racer-" + i, service.slug(), "basic", "k-" + i));

    assertThat(tally(outcomes))
        .containsExactlyInAnyOrderEntriesOf(Map.of("OK", 7L, "QUOTA_EXCEEDED", 93L));
    assertThat(nodeA.gateway.charges()).hasSize(7);
    assertThat(nodeA.provisioner.size()).isEqualTo(7);
    assertThat(nodeA.quota.reconcile(false).isClean()).isTrue();
  }

  @Test
  void subscribe_oneUser20TimesAtOnce_oneSubscriptionAnd19Duplicates() throws Exception {
    ServiceDefinition service = nodeA.service(50, 1, 1);
    String user = "eager-" + UUID.randomUUID();

    List<Object> outcomes =
        race(
            20,
            i ->
                () -> node(i).subscribe().subscribe(user, service.slug(), "basic", "attempt-" + i));

    assertThat(tally(outcomes))
        .containsExactlyInAnyOrderEntriesOf(Map.of("OK", 1L, "DUPLICATE_SUBSCRIPTION", 19L));
    assertThat(nodeA.subscribe().subscriptions(user)).hasSize(1);
    assertThat(nodeA.gateway.charges()).hasSize(1);
    assertThat(nodeA.quota.availability(List.of(QuotaPools.userInstances(user))).get(0).used())
        .isEqualTo(1);
  }

  @Test
  void upgrade_10AtOnce_oneAppliedWithOneChargeAndNineConflicts() throws Exception {
    ServiceDefinition service = nodeA.service(5, 5, 5);
    String user = "upgrader-" + UUID.randomUUID();
    Subscription s = nodeA.subscribe().subscribe(user, service.slug(), "basic", "first");
    nodeA.provisioner.hang();

    java.util.concurrent.atomic.AtomicInteger finished =
        new java.util.concurrent.atomic.AtomicInteger();
    ExecutorService racers = Executors.newSingleThreadExecutor();
    Future<List<Object>> race =
        racers.submit(
            () ->
                race(
                    10,
                    i ->
                        () -> {
                          try {
                            return node(i)
                                .subscriptions
                                .upgrades()
                                .upgrade(user, s.id(), "pro", "upgrade-" + i);
                          } finally {
                            finished.incrementAndGet();
                          }
                        }));
    // The winner's resize hangs until the nine others have been answered; then it may finish.
    await().atMost(java.time.Duration.ofMinutes(1)).until(() -> finished.get() == 9);
    nodeA.provisioner.release();
    Map<String, Long> outcomes = tally(race.get(2, TimeUnit.MINUTES));
    racers.shutdown();

    assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("OK", 1L, "CONFLICT", 9L));
    assertThat(nodeA.billing.history(user, 1, 50).lines())
        .filteredOn(line -> line.type() == LineType.PRORATION_CHARGE)
        .hasSize(1);
    assertThat(nodeA.gateway.charges()).hasSize(2);
    assertThat(nodeB.subscribe().subscription(user, s.id()).plan().slug()).isEqualTo("pro");
    assertThat(nodeA.quota.reconcile(false).isClean()).isTrue();
  }
}
