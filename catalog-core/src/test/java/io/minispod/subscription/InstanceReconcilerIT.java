package io.minispod.subscription;

import static io.minispod.catalog.internal.db.Tables.INSTANCE;
import static io.minispod.catalog.internal.db.Tables.SUBSCRIPTION;
import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.Provisioner;
import io.minispod.provisioner.ProvisionerCall;
import io.minispod.provisioner.ResourceLimits;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The instance reconciler against the real database and the in-memory platform: what the platform
 * lost comes back, what drifted is put back, what nobody owns goes, what a workflow is changing is
 * left alone, and with two nodes each instance is handled once per round.
 */
final class InstanceReconcilerIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-05-01T00:00:00Z");
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Platform platform;
  private ServiceDefinition service;

  /**
   * A round sees the whole database, which this class's tests share: the subscriptions an earlier
   * test left end here, as if cancelled, so that each test's platform (a fresh one) holds exactly
   * what the test made.
   */
  @BeforeEach
  void endEarlierTestsSubscriptions() {
    db.dsl()
        .update(SUBSCRIPTION)
        .set(SUBSCRIPTION.STATUS, SubscriptionStatus.CANCELLED)
        .where(SUBSCRIPTION.STATUS.eq(SubscriptionStatus.ACTIVE))
        .execute();
    db.dsl()
        .update(INSTANCE)
        .set(INSTANCE.STATUS, InstanceStatus.DELETED)
        .where(INSTANCE.STATUS.ne(InstanceStatus.DELETED))
        .execute();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private void start() {
    start(p -> p);
  }

  private void start(java.util.function.UnaryOperator<Provisioner> wrap) {
    platform = Platform.start(db.dataSource(), clock, wrap, b -> b);
    closing.add(platform);
    service = platform.service(20, 20, 20);
  }

  private Subscription subscribe() {
    return platform
        .subscribe()
        .subscribe("user-" + UUID.randomUUID(), service.slug(), "basic", "k");
  }

  private ReconcileReport round() {
    return platform.subscriptions.reconcileInstances();
  }

  private InstanceSpec onPlatform(Subscription s) {
    return platform.provisioner.instance(s.instance().id()).orElseThrow();
  }

  @Test
  void instanceThePlatformLost_isProvisionedAgain_withItsPlanAndItsOwnersEnvironment() {
    start();
    Subscription s = subscribe();
    platform
        .subscriptions
        .instances()
        .updateEnv(s.userId(), s.instance().id(), Map.of("TZ", "UTC"));
    InstanceSpec before = onPlatform(s);
    platform.provisioner.lose(s.instance().id());

    ReconcileReport report = round();

    assertThat(report.reprovisioned()).isEqualTo(1);
    assertThat(report.checked()).isEqualTo(1);
    InstanceSpec after = onPlatform(s);
    assertThat(after.app().resources()).isEqualTo(before.app().resources());
    assertThat(after.app().env()).containsEntry("TZ", "UTC");
    assertThat(platform.subscriptions.reconciledSoFar().reprovisioned()).isEqualTo(1);
  }

  @Test
  void driftedResources_arePutBackToThePlans() {
    start();
    Subscription s = subscribe();
    ResourceLimits planned = onPlatform(s).app().resources();
    platform.provisioner.drift(s.instance().id(), new ResourceLimits(100, 64, 0));

    ReconcileReport report = round();

    assertThat(report.resized()).isEqualTo(1);
    assertThat(report.reprovisioned()).isZero();
    assertThat(onPlatform(s).app().resources()).isEqualTo(planned);
  }

  @Test
  void instanceInOrder_isLeftAlone_andEachInstanceIsClaimedOncePerRound() {
    start();
    Subscription s = subscribe();
    long provisionsBefore = calls(ProvisionerCall.Operation.PROVISION, s.instance().id());

    assertThat(round()).isEqualTo(new ReconcileReport(1, 0, 0, 0, 0, 0));
    platform.provisioner.lose(s.instance().id());
    assertThat(round().checked()).as("claimed this round already").isZero();
    assertThat(platform.provisioner.instance(s.instance().id())).isEmpty();

    clock.advance(Duration.ofMinutes(3)); // past half the 5-minute round
    assertThat(round().reprovisioned()).isEqualTo(1);
    assertThat(calls(ProvisionerCall.Operation.PROVISION, s.instance().id()))
        .isEqualTo(provisionsBefore + 1);
  }

  @Test
  void instancesNoLiveSubscriptionOwns_areRemoved() {
    start();
    Subscription cancelled = subscribe();
    InstanceSpec stale = onPlatform(cancelled);
    platform.subscribe().cancel(cancelled.userId(), cancelled.id());
    // A stalled attempt provisions it again after the cancel, and a stray one has no row at all.
    platform.provisioner.provision(stale);
    InstanceSpec stray =
        new InstanceSpec(
            UUID.randomUUID(),
            stale.ownerId(),
            "stray-" + UUID.randomUUID().toString().substring(0, 8),
            stale.serviceSlug(),
            stale.planSlug(),
            stale.app(),
            stale.companions(),
            stale.generatedSecrets());
    platform.provisioner.provision(stray);
    Subscription kept = subscribe();

    ReconcileReport report = round();

    assertThat(report.removed()).isEqualTo(2);
    assertThat(platform.provisioner.instance(stale.instanceId())).isEmpty();
    assertThat(platform.provisioner.instance(stray.instanceId())).isEmpty();
    assertThat(platform.provisioner.instance(kept.instance().id())).isPresent();
  }

  @Test
  void instanceAWorkflowIsChanging_isSkipped_andTheWorkflowEndsAsIfNothingHappened()
      throws Exception {
    CountDownLatch resizing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(
        p ->
            new ForwardingProvisioner(p) {
              @Override
              public void resize(InstanceSpec spec) {
                resizing.countDown();
                await(release);
                super.resize(spec);
              }
            });
    Subscription s = subscribe();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<Subscription> upgrade =
          thread.submit(
              () -> platform.subscriptions.upgrades().upgrade(s.userId(), s.id(), "pro", "up-1"));
      assertThat(resizing.await(10, TimeUnit.SECONDS)).isTrue();
      platform.provisioner.drift(s.instance().id(), new ResourceLimits(100, 64, 0));

      ReconcileReport report = round();

      assertThat(report.skipped()).isEqualTo(1);
      assertThat(report.resized()).isZero();
      release.countDown();
      assertThat(upgrade.get(30, TimeUnit.SECONDS).plan().slug()).isEqualTo("pro");
    } finally {
      release.countDown();
      thread.shutdownNow();
    }
    assertThat(onPlatform(s).app().resources()).isEqualTo(new ResourceLimits(1000, 1024, 10));
  }

  @Test
  void twoNodesAtOnce_repairEachLostInstanceExactlyOnce() throws Exception {
    start();
    List<Subscription> lost = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Subscription s = subscribe();
      lost.add(s);
      platform.provisioner.lose(s.instance().id());
    }
    Set<UUID> ids = lost.stream().map(s -> s.instance().id()).collect(Collectors.toSet());
    long before = platform.provisioner.count(ProvisionerCall.Operation.PROVISION);
    Platform other = platform.anotherNode(db.dataSource(), b -> b);
    closing.add(0, other);
    ReconcileReport both = Nodes.reconcileAtOnce(List.of(platform, other));

    assertThat(both.reprovisioned()).isEqualTo(8);
    assertThat(both.checked()).isEqualTo(8);
    assertThat(platform.provisioner.count(ProvisionerCall.Operation.PROVISION) - before)
        .isEqualTo(8);
    assertThat(ids).allSatisfy(id -> assertThat(platform.provisioner.instance(id)).isPresent());
  }

  @Test
  void listingThePlatformFails_roundChangesNothing_andTheNextOneRepairs() {
    start();
    Subscription s = subscribe();
    platform.provisioner.lose(s.instance().id());
    platform.provisioner.failNext(1, true);

    assertThat(round()).isEqualTo(new ReconcileReport(0, 0, 0, 0, 0, 1));
    assertThat(platform.provisioner.instance(s.instance().id())).isEmpty();
    assertThat(round().reprovisioned()).isEqualTo(1);
  }

  @Test
  void repairThatFailsForGood_endsItsWorkflow_andTheSubscriptionCanStillBeCancelled() {
    start();
    Subscription s = subscribe();
    platform.provisioner.lose(s.instance().id());
    platform.provisioner.failInstance(s.instance().id());

    ReconcileReport report = round();

    assertThat(report.failed()).isEqualTo(1);
    platform.provisioner.heal(s.instance().id());
    assertThat(platform.subscribe().cancel(s.userId(), s.id()).status())
        .isEqualTo(SubscriptionStatus.CANCELLED);
  }

  private long calls(ProvisionerCall.Operation operation, UUID instanceId) {
    return platform.provisioner.calls().stream()
        .filter(c -> c.operation() == operation && instanceId.equals(c.instanceId()))
        .count();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
