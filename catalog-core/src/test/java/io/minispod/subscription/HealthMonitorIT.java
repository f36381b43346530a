package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.catalog.PageRequest;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.InstanceHealth;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.Provisioner;
import io.minispod.provisioner.ProvisionerCall.Operation;
import io.minispod.provisioner.ResourceUsage;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class HealthMonitorIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();
  private Platform platform;
  private ServiceDefinition service;

  @BeforeEach
  void start() {
    platform =
        Platform.start(
            db.newDataSource(6),
            clock,
            b ->
                b.alertSink(alerts::add)
                    .healthChecks(Duration.ofMinutes(1), 2)
                    .usageAlertRatio(0.8));
    service = platform.service(50, 50, 50);
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  private Subscription subscribe(String plan) {
    return platform.subscribe().subscribe("user-" + UUID.randomUUID(), service.slug(), plan, "k");
  }

  private Instance instance(Subscription s) {
    return platform.subscriptions.instances().instance(s.userId(), s.instance().id());
  }

  /** The alerts about one instance (the class's database holds other tests' instances too). */
  private List<Alert> alertsFor(UUID instanceId) {
    return alerts.stream().filter(a -> a.instanceId().equals(instanceId)).toList();
  }

  private void round() {
    clock.advance(Duration.ofMinutes(1));
    platform.subscriptions.healthMonitor().runRound();
  }

  @Test
  void runRound_failingChecks_degradeAfterThresholdAndRecoverAfterIt() {
    Subscription s = subscribe("basic");
    UUID id = s.instance().id();
    platform.provisioner.setHealth(id, InstanceHealth.down("crash loop"));

    round();
    assertThat(instance(s).status()).isEqualTo(InstanceStatus.RUNNING);
    round();
    assertThat(instance(s).status()).isEqualTo(InstanceStatus.DEGRADED);
    assertThat(instance(s).lastHealthCheck())
        .isEqualTo(new HealthCheck(clock.instant(), false, "crash loop"));
    assertThat(alertsFor(id)).extracting(Alert::kind).containsExactly(Alert.Kind.UNHEALTHY);
    assertThat(alertsFor(id).get(0).message()).contains("crash loop");

    platform.provisioner.setHealth(id, InstanceHealth.up());
    round();
    assertThat(instance(s).status()).isEqualTo(InstanceStatus.DEGRADED);
    round();
    assertThat(instance(s).status()).isEqualTo(InstanceStatus.RUNNING);
    assertThat(alertsFor(id))
        .extracting(Alert::kind)
        .containsExactly(Alert.Kind.UNHEALTHY, Alert.Kind.RECOVERED);
  }

  @Test
  void runRound_highUsage_alertsOnceWithTheNextPlan() {
    Subscription s = subscribe("basic");
    platform.provisioner.setUsage(s.instance().id(), new ResourceUsage(450, 100, 1.0));

    round();
    round();

    assertThat(alertsFor(s.instance().id()))
        .singleElement()
        .satisfies(
            alert -> {
              assertThat(alert.kind()).isEqualTo(Alert.Kind.HIGH_USAGE);
              assertThat(alert.suggestedPlanSlug()).isEqualTo("pro");
              assertThat(alert.message()).contains("450 of 500 millicores").contains("Pro");
            });
    assertThat(instance(s).usage()).isEqualTo(new ResourceUsage(450, 100, 1.0));
  }

  @Test
  void runRound_checksEachInstanceOncePerIntervalAcrossTwoNodes() throws Exception {
    for (int i = 0; i < 12; i++) {
      subscribe("basic");
    }
    long before = platform.provisioner.count(Operation.HEALTH);
    clock.advance(Duration.ofMinutes(1));
    try (Platform other =
        platform.anotherNode(db.newDataSource(6), b -> b.healthChecks(Duration.ofMinutes(1), 2))) {
      CompletableFuture<Integer> a =
          CompletableFuture.supplyAsync(platform.subscriptions.healthMonitor()::runRound);
      CompletableFuture<Integer> b =
          CompletableFuture.supplyAsync(other.subscriptions.healthMonitor()::runRound);

      assertThat(a.get() + b.get()).isEqualTo(12);
      assertThat(platform.provisioner.count(Operation.HEALTH) - before).isEqualTo(12);
      assertThat(other.subscriptions.healthMonitor().runRound()).isZero();
    }
  }

  @Test
  void runRound_failingAlertSinkOrProvisioner_doesNotStopTheRound() {
    Subscription s = subscribe("basic");
    try (Platform noisy =
        platform.anotherNode(
            db.newDataSource(4),
            b ->
                b.alertSink(
                        alert -> {
                          throw new IllegalStateException("pager down");
                        })
                    .healthChecks(Duration.ofMinutes(1), 1))) {
      platform.provisioner.failInstance(s.instance().id());
      clock.advance(Duration.ofMinutes(1));

      assertThat(noisy.subscriptions.healthMonitor().runRound()).isPositive();
      assertThat(instance(s).status()).isEqualTo(InstanceStatus.DEGRADED);
      assertThat(instance(s).lastHealthCheck().detail()).contains("injected failure");
    }
  }

  @Test
  void runRound_instanceCancelledWhileItIsChecked_staysDeletedAndRaisesNoAlert() {
    AtomicReference<Runnable> duringHealthCheck = new AtomicReference<>(() -> {});
    try (Platform node =
        Platform.start(
            db.newDataSource(4),
            clock,
            provisioner -> cancelDuringHealthCheck(provisioner, duringHealthCheck),
            b -> b.alertSink(alerts::add).healthChecks(Duration.ofMinutes(1), 1))) {
      ServiceDefinition other = node.service(5, 5, 5);
      Subscription s =
          node.subscribe().subscribe("user-" + UUID.randomUUID(), other.slug(), "basic", "k");
      UUID id = s.instance().id();
      // The check reads the instance RUNNING, then its owner cancels before the check records.
      duringHealthCheck.set(() -> node.subscribe().cancel(s.userId(), s.id()));

      clock.advance(Duration.ofMinutes(1));
      node.subscriptions.healthMonitor().runRound();

      assertThat(node.subscriptions.instances().instance(s.userId(), id).status())
          .isEqualTo(InstanceStatus.DELETED);
      assertThat(node.subscribe().subscription(s.userId(), s.id()).status())
          .isEqualTo(SubscriptionStatus.CANCELLED);
      assertThat(node.subscribe().subscription(s.userId(), s.id()).instance().status())
          .isEqualTo(InstanceStatus.DELETED);
      assertThat(alertsFor(id)).isEmpty();
      // The check's move from the RUNNING it read did not happen, and left no history row either.
      assertThat(
              node.subscriptions.instances().history(s.userId(), id, PageRequest.of(1, 20)).items())
          .extracting(InstanceTransition::to)
          .containsExactly(
              InstanceStatus.DELETED,
              InstanceStatus.DEPROVISIONING,
              InstanceStatus.RUNNING,
              InstanceStatus.PROVISIONING);
    }
  }

  /** A provisioner whose health check first runs an action, once. */
  private static Provisioner cancelDuringHealthCheck(
      Provisioner platform, AtomicReference<Runnable> action) {
    return new ForwardingProvisioner(platform) {
      @Override
      public InstanceHealth health(InstanceRef instance) {
        action.getAndSet(() -> {}).run();
        return super.health(instance);
      }
    };
  }
}
