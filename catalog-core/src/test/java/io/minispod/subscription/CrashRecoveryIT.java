package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.ProvisionerCall.Operation;
import io.minispod.subscription.internal.SubscriptionEngine;
import io.minispod.subscription.internal.workflow.StepObserver;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A node dies between (or inside) any two steps of a workflow; a fresh node on the same database
 * recovers it. Afterwards every subscription is either active, allocated, charged and provisioned,
 * or failed with no quota, no net charge and no instance.
 */
final class CrashRecoveryIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  /** What a node does when it "dies": the error unwinds the caller's thread mid-workflow. */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash(String where) {
      super("simulated crash " + where);
    }
  }

  // The workflow kinds and steps as the workflow table names them.
  private static final String SUBSCRIBE = "SUBSCRIBE";
  private static final String UPGRADE = "UPGRADE";
  private static final String CANCEL = "CANCEL";
  private static final String CHARGE = "CHARGE";
  private static final String PROVISION = "PROVISION";
  private static final String RESIZE = "RESIZE";
  private static final String DEPROVISION = "DEPROVISION";
  private static final String UNDO = "UNDO";

  /** Crashes once, at one point of one kind of workflow. */
  record CrashAt(String kind, String step, boolean beforeCommit) implements StepObserver {
    @Override
    public void beforeCommit(String kind, String step) {
      if (beforeCommit && kind.equals(this.kind) && Objects.equals(step, this.step)) {
        throw new SimulatedCrash("before committing " + kind + " " + step);
      }
    }

    @Override
    public void committed(String kind, String step) {
      if (!beforeCommit && kind.equals(this.kind) && Objects.equals(step, this.step)) {
        throw new SimulatedCrash("after committing " + kind + " " + step);
      }
    }

    @Override
    public String toString() {
      return (beforeCommit ? "before " : "after ") + kind + " " + (step == null ? "start" : step);
    }
  }

  private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");
  private Platform first;
  private ServiceDefinition service;

  @BeforeEach
  void start() {
    first = Platform.start(db.newDataSource(6), clock);
    service = first.service(50, 50, 50);
  }

  @AfterEach
  void stop() {
    first.close();
  }

  /** Runs the work on a node that crashes at the point, then recovers on a fresh node. */
  private Platform crashThenRecover(CrashAt crash, Consumer<Platform> work) {
    try (Platform doomed = first.anotherNode(db.newDataSource(4), b -> b.observer(crash))) {
      assertThatThrownBy(() -> work.accept(doomed)).isInstanceOf(SimulatedCrash.class);
    }
    Platform fresh = first.anotherNode(db.newDataSource(4), b -> b);
    clock.advance(Duration.ofMinutes(3));
    fresh.subscriptions.runDueWorkflows();
    return fresh;
  }

  static Stream<Arguments> subscribeCrashes() {
    return Stream.of(
        Arguments.of(new CrashAt(SUBSCRIBE, null, false)),
        Arguments.of(new CrashAt(SUBSCRIBE, CHARGE, true)),
        Arguments.of(new CrashAt(SUBSCRIBE, CHARGE, false)),
        Arguments.of(new CrashAt(SUBSCRIBE, PROVISION, true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subscribeCrashes")
  void subscribe_crashAnywhere_endsActiveChargedOnceAndProvisioned(CrashAt crash) {
    String user = "user-" + UUID.randomUUID();

    try (Platform fresh =
        crashThenRecover(
            crash, node -> node.subscribe().subscribe(user, service.slug(), "pro", "k"))) {
      Subscription s = fresh.subscribe().subscriptions(user).get(0);
      assertThat(s.status()).isEqualTo(SubscriptionStatus.ACTIVE);
      assertThat(s.instance().status()).isEqualTo(InstanceStatus.RUNNING);
      assertThat(first.provisioner.instance(s.instance().id())).isPresent();
      assertThat(netCharged(user)).isEqualTo(250_000);
      assertThat(first.gateway.charges()).filteredOn(c -> c.accountId().equals(user)).hasSize(1);
      assertConsistent(fresh);
    }
  }

  /** A node claims the service for the user and dies before the workflow starts. */
  private void crashBeforeTheWorkflowStarts(String user) {
    try (Platform doomed =
        first.anotherNode(
            db.newDataSource(4), b -> b.observer(new CrashAt(SUBSCRIBE, null, true)))) {
      assertThatThrownBy(() -> doomed.subscribe().subscribe(user, service.slug(), "pro", "k"))
          .isInstanceOf(SimulatedCrash.class);
    }
  }

  @Test
  void subscribe_crashBeforeTheWorkflowStarts_retryWithItsKey_carriesItOnToActive() {
    String user = "user-" + UUID.randomUUID();
    crashBeforeTheWorkflowStarts(user);

    try (Platform fresh = first.anotherNode(db.newDataSource(4), b -> b)) {
      Subscription retried = fresh.subscribe().subscribe(user, service.slug(), "pro", "k");

      assertThat(retried.status()).isEqualTo(SubscriptionStatus.ACTIVE);
      assertThat(retried.instance().status()).isEqualTo(InstanceStatus.RUNNING);
      assertThat(fresh.subscribe().subscriptions(user)).containsExactly(retried);
      assertThat(first.gateway.charges()).filteredOn(c -> c.accountId().equals(user)).hasSize(1);
      assertThat(fresh.quota.reclaimExpired()).as("the first attempt's hold was kept").isZero();
      assertConsistent(fresh);
    }
  }

  @Test
  void subscribe_retriedWhileTheFirstAttemptIsStillOnItsWay_startsOnceAndKeepsTheHold()
      throws Exception {
    String user = "user-" + UUID.randomUUID();
    CountDownLatch firstAboutToStart = new CountDownLatch(1);
    CountDownLatch letFirstGoOn = new CountDownLatch(1);
    StepObserver slowBeforeStarting =
        new StepObserver() {
          @Override
          public void beforeCommit(String kind, String step) {
            if (step == null) {
              firstAboutToStart.countDown();
              try {
                letFirstGoOn.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try (Platform slow =
            first.anotherNode(db.newDataSource(4), b -> b.observer(slowBeforeStarting));
        Platform other = first.anotherNode(db.newDataSource(4), b -> b)) {
      Future<Subscription> firstAttempt =
          thread.submit(() -> slow.subscribe().subscribe(user, service.slug(), "pro", "k"));
      assertThat(firstAboutToStart.await(30, TimeUnit.SECONDS)).isTrue();

      Subscription retried = other.subscribe().subscribe(user, service.slug(), "pro", "k");
      assertThat(retried.status()).isEqualTo(SubscriptionStatus.ACTIVE);

      letFirstGoOn.countDown();
      Subscription firstAnswer = firstAttempt.get(30, TimeUnit.SECONDS);
      assertThat(firstAnswer.id()).isEqualTo(retried.id());
      assertThat(firstAnswer.status()).isEqualTo(SubscriptionStatus.ACTIVE);
      assertThat(first.gateway.charges()).filteredOn(c -> c.accountId().equals(user)).hasSize(1);
      assertConsistent(other);
    } finally {
      letFirstGoOn.countDown();
      thread.shutdownNow();
    }
  }

  @Test
  void subscribe_crashBeforeTheWorkflowStarts_isRemovedAndItsHoldReclaimed() {
    String user = "user-" + UUID.randomUUID();
    crashBeforeTheWorkflowStarts(user);
    assertThat(first.subscribe().subscriptions(user))
        .singleElement()
        .satisfies(s -> assertThat(s.status()).isEqualTo(SubscriptionStatus.PENDING));

    try (Platform fresh = first.anotherNode(db.newDataSource(4), b -> b)) {
      clock.advance(SubscriptionEngine.QUOTA_HOLD.plusMinutes(1));
      assertThat(fresh.quota.reclaimExpired()).isEqualTo(1);
      fresh.subscriptions.runDueWorkflows();

      assertThat(fresh.subscribe().subscriptions(user)).isEmpty();
      assertThat(first.gateway.charges()).noneMatch(c -> c.accountId().equals(user));
      assertConsistent(fresh);
      assertThat(fresh.subscribe().subscribe(user, service.slug(), "pro", "again").status())
          .isEqualTo(SubscriptionStatus.ACTIVE);
    }
  }

  static Stream<Arguments> failedSubscribeCrashes() {
    return Stream.of(
        Arguments.of(new CrashAt(SUBSCRIBE, UNDO, true)),
        Arguments.of(new CrashAt(SUBSCRIBE, PROVISION, false)));
  }

  @ParameterizedTest(name = "provisioning fails, {0}")
  @MethodSource("failedSubscribeCrashes")
  void subscribe_provisioningFailsAndNodeCrashes_endsFailedWithNothingKept(CrashAt crash) {
    String user = "user-" + UUID.randomUUID();
    first.provisioner.failNext(1, false);

    try (Platform fresh =
        crashThenRecover(
            crash, node -> node.subscribe().subscribe(user, service.slug(), "pro", "k"))) {
      assertThat(fresh.subscribe().subscriptions(user)).isEmpty();
      assertThat(instancesOnThePlatform(user)).isZero();
      assertThat(netCharged(user)).isZero();
      assertConsistent(fresh);
    }
  }

  @Test
  void subscribe_declinedAndNodeCrashesWhileUndoing_endsFailedWithNothingKept() {
    String user = "user-" + UUID.randomUUID();
    first.gateway.declineAccount(user, "declined");

    try (Platform fresh =
        crashThenRecover(
            new CrashAt(SUBSCRIBE, UNDO, true),
            node -> node.subscribe().subscribe(user, service.slug(), "basic", "k"))) {
      assertThat(fresh.subscribe().subscriptions(user)).isEmpty();
      assertThat(netCharged(user)).isZero();
      assertConsistent(fresh);
    }
  }

  static Stream<Arguments> upgradeCrashes() {
    return Stream.of(
        Arguments.of(new CrashAt(UPGRADE, null, false)),
        Arguments.of(new CrashAt(UPGRADE, CHARGE, true)),
        Arguments.of(new CrashAt(UPGRADE, CHARGE, false)),
        Arguments.of(new CrashAt(UPGRADE, RESIZE, true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("upgradeCrashes")
  void upgrade_crashAnywhere_endsOnNewPlanChargedOnce(CrashAt crash) {
    String user = "user-" + UUID.randomUUID();
    Subscription basic = first.subscribe().subscribe(user, service.slug(), "basic", "k");
    clock.set(java.time.Instant.parse("2026-04-10T00:00:00Z"));

    try (Platform fresh =
        crashThenRecover(
            crash, node -> node.subscriptions.upgrades().upgrade(user, basic.id(), "pro", "up"))) {
      Subscription s = fresh.subscribe().subscription(user, basic.id());
      assertThat(s.plan().slug()).isEqualTo("pro");
      assertThat(netCharged(user)).isEqualTo(100_000 + 105_000);
      assertThat(first.provisioner.instance(s.instance().id()).orElseThrow().planSlug())
          .isEqualTo("pro");
      assertConsistent(fresh);
    }
  }

  @Test
  void upgrade_resizeFailsAndNodeCrashesWhileUndoing_endsOnOldPlanRefunded() {
    String user = "user-" + UUID.randomUUID();
    Subscription basic = first.subscribe().subscribe(user, service.slug(), "basic", "k");
    first.provisioner.failNext(1, false);

    try (Platform fresh =
        crashThenRecover(
            new CrashAt(UPGRADE, UNDO, true),
            node -> node.subscriptions.upgrades().upgrade(user, basic.id(), "pro", "up"))) {
      assertThat(fresh.subscribe().subscription(user, basic.id()).plan().slug()).isEqualTo("basic");
      assertThat(netCharged(user)).isEqualTo(100_000);
      assertConsistent(fresh);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cancelCrashes")
  void cancel_crashAnywhere_endsCancelledWithNothingLeft(CrashAt crash) {
    String user = "user-" + UUID.randomUUID();
    Subscription s = first.subscribe().subscribe(user, service.slug(), "basic", "k");

    try (Platform fresh = crashThenRecover(crash, node -> node.subscribe().cancel(user, s.id()))) {
      assertThat(fresh.subscribe().subscription(user, s.id()).status())
          .isEqualTo(SubscriptionStatus.CANCELLED);
      assertThat(first.provisioner.instance(s.instance().id())).isEmpty();
      assertConsistent(fresh);
    }
  }

  static Stream<Arguments> cancelCrashes() {
    return Stream.of(
        Arguments.of(new CrashAt(CANCEL, null, false)),
        Arguments.of(new CrashAt(CANCEL, DEPROVISION, true)));
  }

  @Test
  void staleNode_whoseLeaseWasTakenOver_changesNothing() throws Exception {
    String user = "user-" + UUID.randomUUID();
    Map<String, AtomicInteger> commits = new ConcurrentHashMap<>();
    StepObserver counting =
        new StepObserver() {
          @Override
          public void committed(String kind, String step) {
            commits.computeIfAbsent(kind + " " + step, k -> new AtomicInteger()).incrementAndGet();
          }
        };
    first.provisioner.hang();
    try (Platform slow = first.anotherNode(db.newDataSource(4), b -> b.observer(counting));
        Platform other = first.anotherNode(db.newDataSource(4), b -> b.observer(counting))) {
      CompletableFuture<Subscription> stalled =
          CompletableFuture.supplyAsync(
              () -> slow.subscribe().subscribe(user, service.slug(), "basic", "k"));
      org.awaitility.Awaitility.await().until(() -> leaseOwner(user, "PROVISION") != null);
      String stalledOwner = leaseOwner(user, "PROVISION");

      clock.advance(Duration.ofMinutes(3));
      CompletableFuture<Integer> takeover =
          CompletableFuture.supplyAsync(other.subscriptions::runDueWorkflows);
      org.awaitility.Awaitility.await()
          .until(() -> !stalledOwner.equals(leaseOwner(user, "PROVISION")));
      first.provisioner.release();

      assertThat(takeover.get()).isOne();
      assertThat(stalled.get().userId()).isEqualTo(user);
      assertThat(commits.get("SUBSCRIBE PROVISION")).hasValue(1);
      assertThat(first.provisioner.count(Operation.PROVISION)).isEqualTo(2);
      assertThat(other.subscribe().subscriptions(user))
          .singleElement()
          .satisfies(s -> assertThat(s.instance().status()).isEqualTo(InstanceStatus.RUNNING));
      assertConsistent(other);
    }
  }

  /** The lease owner of the user's running workflow while it is at a step, or null. */
  private String leaseOwner(String user, String step) {
    return db.dsl()
        .select(io.minispod.catalog.internal.db.Tables.WORKFLOW.LEASE_OWNER)
        .from(io.minispod.catalog.internal.db.Tables.WORKFLOW)
        .join(io.minispod.catalog.internal.db.Tables.SUBSCRIPTION)
        .on(
            io.minispod.catalog.internal.db.Tables.SUBSCRIPTION.SUBSCRIPTION_ID.eq(
                io.minispod.catalog.internal.db.Tables.WORKFLOW.SUBSCRIPTION_ID))
        .where(io.minispod.catalog.internal.db.Tables.SUBSCRIPTION.USER_ID.eq(user))
        .and(io.minispod.catalog.internal.db.Tables.WORKFLOW.STEP.eq(step))
        .and(io.minispod.catalog.internal.db.Tables.WORKFLOW.STATUS.eq(WorkflowStatus.RUNNING))
        .fetchOne(io.minispod.catalog.internal.db.Tables.WORKFLOW.LEASE_OWNER);
  }

  @Test
  void twoNodesDrainingOneQueue_runEachStepOnce() throws Exception {
    int count = 30;
    StepObserver crashAfterStart = new CrashAt(SUBSCRIBE, null, false);
    try (Platform doomed =
        first.anotherNode(db.newDataSource(4), b -> b.observer(crashAfterStart))) {
      for (int i = 0; i < count; i++) {
        int n = i;
        assertThatThrownBy(
                () -> doomed.subscribe().subscribe("queued-" + n, service.slug(), "basic", "k"))
            .isInstanceOf(SimulatedCrash.class);
      }
    }
    Map<String, AtomicInteger> commits = new ConcurrentHashMap<>();
    StepObserver counting =
        new StepObserver() {
          @Override
          public void committed(String kind, String step) {
            commits.computeIfAbsent(kind + " " + step, k -> new AtomicInteger()).incrementAndGet();
          }
        };
    clock.advance(Duration.ofMinutes(3));
    try (Platform nodeB = first.anotherNode(db.newDataSource(6), b -> b.observer(counting));
        Platform nodeC = first.anotherNode(db.newDataSource(6), b -> b.observer(counting))) {
      CompletableFuture<Integer> b =
          CompletableFuture.supplyAsync(nodeB.subscriptions::runDueWorkflows);
      CompletableFuture<Integer> c =
          CompletableFuture.supplyAsync(nodeC.subscriptions::runDueWorkflows);

      assertThat(b.get() + c.get()).isEqualTo(count);
      assertThat(commits).containsOnlyKeys("SUBSCRIBE CHARGE", "SUBSCRIBE PROVISION");
      assertThat(commits.get("SUBSCRIBE CHARGE")).hasValue(count);
      assertThat(commits.get("SUBSCRIBE PROVISION")).hasValue(count);
      assertThat(first.provisioner.count(Operation.PROVISION)).isEqualTo(count);
      assertThat(first.gateway.charges()).hasSize(count);
      assertConsistent(nodeB);
    }
  }

  private long instancesOnThePlatform(String user) {
    return first.provisioner.calls().stream()
        .map(c -> c.instanceId())
        .distinct()
        .filter(
            id ->
                first
                    .provisioner
                    .instance(id)
                    .filter(spec -> spec.ownerId().equals(user))
                    .isPresent())
        .count();
  }

  private long netCharged(String user) {
    return first.billing.history(user, 1, 100).lines().stream()
        .filter(line -> line.status().isSettled())
        .mapToLong(line -> line.amount().minorUnits())
        .sum();
  }

  /**
   * Nothing drifts: quota counters, live allocations and the quota ledger agree; each plan's usage
   * is its live subscriptions; only live subscriptions have instances on the platform.
   */
  private void assertConsistent(Platform node) {
    assertThat(node.quota.reconcile(false).drifts()).isEmpty();
    List<PlanUtilisation> plans =
        node.subscriptions.analytics().quotaUtilisation().stream()
            .filter(p -> p.serviceSlug().equals(service.slug()))
            .toList();
    SubscriptionAnalytics analytics =
        node.subscriptions
            .analytics()
            .subscriptions(
                clock.instant().minus(Duration.ofDays(30)), clock.instant().plusSeconds(1));
    for (PlanUtilisation plan : plans) {
      long live =
          analytics.counts().stream()
              .filter(
                  c ->
                      c.serviceSlug().equals(service.slug())
                          && c.planSlug().equals(plan.planSlug()))
              .filter(c -> c.status().isLive())
              .mapToLong(SubscriptionAnalytics.StatusCount::count)
              .sum();
      assertThat(plan.used()).as("plan %s", plan.planSlug()).isEqualTo(live);
    }
    long running =
        analytics.counts().stream()
            .filter(
                c ->
                    c.serviceSlug().equals(service.slug())
                        && c.status() == SubscriptionStatus.ACTIVE)
            .mapToLong(SubscriptionAnalytics.StatusCount::count)
            .sum();
    long provisioned =
        Set.copyOf(first.provisioner.calls().stream().map(c -> c.instanceId()).toList()).stream()
            .filter(id -> first.provisioner.instance(id).isPresent())
            .filter(
                id ->
                    first
                        .provisioner
                        .instance(id)
                        .orElseThrow()
                        .serviceSlug()
                        .equals(service.slug()))
            .count();
    assertThat(provisioned).isEqualTo(running);
  }
}
