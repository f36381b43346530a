package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.InstanceBackup;
import io.minispod.provisioner.InstanceBackup.Reason;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.Provisioner;
import io.minispod.provisioner.ProvisionerCall;
import io.minispod.provisioner.ProvisionerCall.Operation;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code backups} plan feature: a backup before every upgrade's resize and on the plan's
 * schedule (taken by the reconciler's rounds, one node per instance), the last seven kept, listed
 * on the instance.
 */
final class BackupsIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static final Instant START = Instant.parse("2026-04-01T00:00:00Z");

  private final MutableClock clock = MutableClock.at(START);
  private final List<Platform> closing = new ArrayList<>();
  private Platform platform;
  private String user;

  @AfterEach
  void stop() {
    closing.forEach(Platform::close);
  }

  private void start(UnaryOperator<Provisioner> wrap) {
    platform = Platform.start(db.dataSource(), clock, wrap, UnaryOperator.identity());
    closing.add(platform);
    user = "user-" + UUID.randomUUID();
  }

  /** Basic backed up weekly, pro daily, business without backups. */
  private ServiceDefinition service() {
    return platform.service(
        20, 20, 20, Map.of("backups", "weekly"), Map.of("backups", "Daily"), Map.of());
  }

  private Subscription subscribe(ServiceDefinition service, String plan) {
    return platform.subscribe().subscribe(user, service.slug(), plan, UUID.randomUUID().toString());
  }

  private List<InstanceBackup> backups(Subscription s) {
    return platform.subscriptions.instances().instance(user, s.instance().id()).backups();
  }

  private List<InstanceBackup> onThePlatform(Subscription s) {
    return platform.provisioner.backups(new InstanceRef(s.instance().id(), user));
  }

  private List<Operation> calls(Subscription s, Operation... kinds) {
    List<Operation> wanted = List.of(kinds);
    return platform.provisioner.calls().stream()
        .filter(c -> s.instance().id().equals(c.instanceId()))
        .map(ProvisionerCall::operation)
        .filter(wanted::contains)
        .toList();
  }

  private ReconcileReport roundAfter(Duration elapsed) {
    clock.advance(elapsed);
    return platform.subscriptions.reconcileInstances();
  }

  @Test
  void upgrade_fromPlanWithBackups_backsUpBeforeTheResizeAndListsIt() {
    start(UnaryOperator.identity());
    Subscription basic = subscribe(service(), "basic");

    platform.subscriptions.upgrades().upgrade(user, basic.id(), "pro", "up");

    assertThat(calls(basic, Operation.BACK_UP, Operation.RESIZE))
        .containsExactly(Operation.BACK_UP, Operation.RESIZE);
    assertThat(backups(basic))
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.reason()).isEqualTo(Reason.BEFORE_UPGRADE);
              assertThat(b.takenAt()).isEqualTo(START);
            });
    assertThat(platform.subscriptions.instances().instances(user))
        .singleElement()
        .extracting(Instance::backups)
        .isEqualTo(backups(basic));
  }

  @Test
  void upgrade_fromPlanWithoutBackups_takesNoneAndListsNone() {
    start(UnaryOperator.identity());
    ServiceDefinition plain = platform.service(5, 5, 5);
    Subscription basic = subscribe(plain, "basic");

    platform.subscriptions.upgrades().upgrade(user, basic.id(), "pro", "up");

    assertThat(calls(basic, Operation.BACK_UP)).isEmpty();
    assertThat(backups(basic)).isEmpty();
  }

  @Test
  void upgrade_instanceThePlatformLost_isRecreatedWithoutABackup() {
    start(UnaryOperator.identity());
    Subscription basic = subscribe(service(), "basic");
    platform.provisioner.lose(basic.instance().id());

    platform.subscriptions.upgrades().upgrade(user, basic.id(), "pro", "up");

    assertThat(platform.subscribe().subscription(user, basic.id()).plan().slug()).isEqualTo("pro");
    assertThat(platform.provisioner.instance(basic.instance().id())).isPresent();
    assertThat(calls(basic, Operation.BACK_UP)).hasSize(1);
    assertThat(backups(basic)).isEmpty();
  }

  @Test
  void upgrade_resizeFailsOnceAndIsRetried_takesNoSecondBackup() {
    AtomicInteger resizeFailures = new AtomicInteger(1);
    start(
        p ->
            new ForwardingProvisioner(p) {
              @Override
              public void resize(InstanceSpec spec) {
                if (resizeFailures.getAndDecrement() > 0) {
                  throw ProvisioningException.of(
                      spec.instanceId(), FailureReason.TIMEOUT, true, "injected", null);
                }
                super.resize(spec);
              }
            });
    Subscription basic = subscribe(service(), "basic");
    Subscription during = platform.subscriptions.upgrades().upgrade(user, basic.id(), "pro", "up");
    assertThat(during.plan().slug()).as("the resize waits for a retry").isEqualTo("basic");

    clock.advance(Duration.ofMinutes(1));
    platform.subscriptions.runDueWorkflows();

    assertThat(platform.subscribe().subscription(user, basic.id()).plan().slug()).isEqualTo("pro");
    assertThat(calls(basic, Operation.BACK_UP)).hasSize(2);
    assertThat(onThePlatform(basic)).hasSize(1);
    assertThat(backups(basic)).singleElement().extracting(InstanceBackup::takenAt).isEqualTo(START);
  }

  @Test
  void upgrade_backupFailsRetryably_resizesNothingUntilTheRetryBacksUp() {
    start(UnaryOperator.identity());
    Subscription basic = subscribe(service(), "basic");
    platform.provisioner.failNext(1, true);

    Subscription during = platform.subscriptions.upgrades().upgrade(user, basic.id(), "pro", "up");

    assertThat(during.plan().slug()).isEqualTo("basic");
    assertThat(calls(basic, Operation.RESIZE)).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    platform.subscriptions.runDueWorkflows();
    assertThat(platform.subscribe().subscription(user, basic.id()).plan().slug()).isEqualTo("pro");
    assertThat(backups(basic))
        .extracting(InstanceBackup::reason)
        .containsExactly(Reason.BEFORE_UPGRADE);
  }

  @Test
  void reconcile_weeklyPlan_backsUpOnceAWeekAndKeepsTheLastSeven() {
    start(UnaryOperator.identity());
    Subscription basic = subscribe(service(), "basic");

    roundAfter(Duration.ofMinutes(3));
    assertThat(backups(basic)).hasSize(1);
    roundAfter(Duration.ofDays(6));
    assertThat(backups(basic)).as("not due within the week").hasSize(1);
    roundAfter(Duration.ofDays(1));
    assertThat(backups(basic)).as("due a week after the first").hasSize(2);
    for (int week = 0; week < 7; week++) {
      roundAfter(Duration.ofDays(7));
    }

    List<InstanceBackup> kept = backups(basic);
    assertThat(kept).hasSize(7).allMatch(b -> b.reason() == Reason.SCHEDULED);
    assertThat(kept.get(0).takenAt()).isEqualTo(clock.instant());
    assertThat(kept)
        .extracting(InstanceBackup::takenAt)
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(Duration.between(kept.get(1).takenAt(), kept.get(0).takenAt()))
        .isEqualTo(Duration.ofDays(7));
    assertThat(onThePlatform(basic)).isEqualTo(kept);
  }

  @Test
  void reconcile_planWithoutBackupsOrProvisionerWithout_takesNone() {
    start(
        p ->
            new ForwardingProvisioner(p) {
              @Override
              public boolean supportsBackups() {
                return false;
              }
            });
    Subscription withFeature = subscribe(service(), "pro");
    Subscription without = subscribe(service(), "business");

    roundAfter(Duration.ofMinutes(3));
    platform.subscriptions.upgrades().upgrade(user, withFeature.id(), "business", "up");

    assertThat(calls(withFeature, Operation.BACK_UP)).isEmpty();
    assertThat(calls(without, Operation.BACK_UP)).isEmpty();
    assertThat(backups(withFeature)).isEmpty();
  }

  @Test
  void reconcile_backupFails_isCountedAndTheNextRoundTakesIt() {
    start(UnaryOperator.identity());
    Subscription pro = subscribe(service(), "pro");
    platform.provisioner.failInstance(pro.instance().id());

    assertThat(roundAfter(Duration.ofMinutes(3)).failed()).isEqualTo(1);
    platform.provisioner.heal(pro.instance().id());
    assertThat(backups(pro)).isEmpty();
    assertThat(roundAfter(Duration.ofMinutes(3)).failed()).isZero();
    assertThat(backups(pro)).hasSize(1);
  }

  @Test
  void reconcile_twoNodesAtOnce_backEachInstanceUpExactlyOnce() throws Exception {
    start(UnaryOperator.identity());
    List<Subscription> subscriptions = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      subscriptions.add(subscribe(service(), "pro"));
    }
    Platform other = platform.anotherNode(db.dataSource(), b -> b);
    closing.add(0, other);
    clock.advance(Duration.ofMinutes(3));
    assertThat(Nodes.reconcileAtOnce(List.of(platform, other)).failed()).isZero();

    assertThat(subscriptions)
        .allSatisfy(
            s -> {
              assertThat(calls(s, Operation.BACK_UP)).hasSize(1);
              assertThat(backups(s)).hasSize(1);
            });
  }

  @Test
  void cancel_removesTheBackupsWithTheInstance() {
    start(UnaryOperator.identity());
    Subscription pro = subscribe(service(), "pro");
    roundAfter(Duration.ofMinutes(3));
    assertThat(backups(pro)).hasSize(1);

    platform.subscribe().cancel(user, pro.id());

    assertThat(onThePlatform(pro)).isEmpty();
    assertThat(platform.subscriptions.instances().instances(user))
        .singleElement()
        .satisfies(i -> assertThat(i.backups()).isEmpty());
  }

  @Test
  void builder_backupsKeptAndInterval_applyToPlansWhoseFeatureIsTrue() {
    platform =
        Platform.start(
            db.dataSource(),
            clock,
            UnaryOperator.identity(),
            b -> b.backupInterval(Duration.ofHours(6)).backupsKept(2));
    closing.add(platform);
    user = "user-" + UUID.randomUUID();
    ServiceDefinition service =
        platform.service(5, 5, 5, Map.of("backups", true), Map.of(), Map.of());
    Subscription basic = subscribe(service, "basic");

    roundAfter(Duration.ofMinutes(3));
    roundAfter(Duration.ofHours(5));
    assertThat(backups(basic)).hasSize(1);
    roundAfter(Duration.ofHours(1));
    roundAfter(Duration.ofHours(6));

    assertThat(backups(basic)).hasSize(2);
    assertThat(onThePlatform(basic)).hasSize(2);
  }
}
