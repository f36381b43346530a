package io.minispod.subscription;

import static io.minispod.catalog.internal.db.Tables.WORKFLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.minispod.ErrorCode;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ResourceLimits;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An environment change (PATCH) racing a cancel and an upgrade, the platform latched so that each
 * operation is caught in the middle: the change is a workflow serialised with the others, so the
 * instance never outlives its subscription and always has its plan's resources.
 */
final class EnvUpdateRaceIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-05-01T00:00:00Z");
  private final ExecutorService thread = Executors.newSingleThreadExecutor();
  private Platform platform;
  private ServiceDefinition service;
  private String user;
  private Subscription subscription;

  @BeforeEach
  void subscribe() {
    platform = Platform.start(db.dataSource(), clock);
    service = platform.service(5, 5, 5);
    user = "user-" + UUID.randomUUID();
    subscription = platform.subscribe().subscribe(user, service.slug(), "basic", "k");
  }

  @AfterEach
  void stop() {
    platform.provisioner.release();
    thread.shutdownNow();
    platform.close();
  }

  @Test
  void patchDuringCancel_isConflict_andTheInstanceIsGoneWithItsSubscription() throws Exception {
    platform.provisioner.hang();
    Future<Subscription> cancel =
        thread.submit(() -> platform.subscribe().cancel(user, subscription.id()));
    awaitRunning("CANCEL");

    assertThatThrownBy(() -> patch(Map.of("GREETING", "hello")))
        .isInstanceOfSatisfying(
            SubscriptionConflictException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));

    platform.provisioner.release();
    assertThat(cancel.get(30, TimeUnit.SECONDS).status()).isEqualTo(SubscriptionStatus.CANCELLED);
    assertThat(platform.provisioner.instance(instanceId())).isEmpty();
  }

  @Test
  void cancelDuringPatch_isConflict_thenCancelAfterItRemovesTheInstance() throws Exception {
    platform.provisioner.hang();
    Future<Instance> patch = thread.submit(() -> patch(Map.of("GREETING", "hello")));
    awaitRunning("UPDATE_ENV");

    assertThatThrownBy(() -> platform.subscribe().cancel(user, subscription.id()))
        .isInstanceOf(SubscriptionConflictException.class)
        .hasMessageContaining("another operation is in progress");

    platform.provisioner.release();
    assertThat(patch.get(30, TimeUnit.SECONDS).env()).containsEntry("GREETING", "hello");
    assertThat(platformSpec().app().env()).containsEntry("GREETING", "hello");
    assertThat(platform.subscribe().cancel(user, subscription.id()).status())
        .isEqualTo(SubscriptionStatus.CANCELLED);
    assertThat(platform.provisioner.instance(instanceId())).isEmpty();
  }

  @Test
  void patchDuringUpgrade_isConflict_thenAppliesOnTheNewPlansResources() throws Exception {
    platform.provisioner.hang();
    Future<Subscription> upgrade =
        thread.submit(
            () -> platform.subscriptions.upgrades().upgrade(user, subscription.id(), "pro", "up"));
    awaitRunning("UPGRADE");

    assertThatThrownBy(() -> patch(Map.of("GREETING", "hello")))
        .isInstanceOf(SubscriptionConflictException.class);

    platform.provisioner.release();
    assertThat(upgrade.get(30, TimeUnit.SECONDS).plan().slug()).isEqualTo("pro");
    Instance patched = patch(Map.of("GREETING", "hello"));

    assertThat(patched.env()).containsEntry("GREETING", "hello");
    assertThat(platformSpec().app().resources()).isEqualTo(new ResourceLimits(1000, 1024, 10));
    assertThat(platformSpec().app().env()).containsEntry("GREETING", "hello");
  }

  private Instance patch(Map<String, String> changes) {
    return platform.subscriptions.instances().updateEnv(user, instanceId(), changes);
  }

  private UUID instanceId() {
    return subscription.instance().id();
  }

  private InstanceSpec platformSpec() {
    return platform.provisioner.instance(instanceId()).orElseThrow();
  }

  /** Waits until the subscription's workflow of a kind is running (caught in its latched step). */
  private void awaitRunning(String kind) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                db.dsl()
                        .fetchCount(
                            WORKFLOW,
                            WORKFLOW
                                .SUBSCRIPTION_ID
                                .eq(subscription.id())
                                .and(WORKFLOW.KIND.eq(kind))
                                .and(WORKFLOW.STATUS.eq(WorkflowStatus.RUNNING)))
                    == 1);
  }
}
