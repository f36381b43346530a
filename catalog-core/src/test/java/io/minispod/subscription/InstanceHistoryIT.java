package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.ValidationException;
import io.minispod.catalog.Page;
import io.minispod.catalog.PageRequest;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.InstanceHealth;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class InstanceHistoryIT {

  private static final String PLATFORM_WORDS =
      "User \"system:serviceaccount:minispod:provisioner\" cannot list deployments at"
          + " https://10.0.0.1:6443";

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");

  /** What the platform's health check does; the in-memory provisioner's answer by default. */
  private final AtomicReference<Supplier<InstanceHealth>> health = new AtomicReference<>();

  private Platform platform;
  private ServiceDefinition service;

  @BeforeEach
  void start() {
    platform =
        Platform.start(
            db.newDataSource(6),
            clock,
            provisioner ->
                new ForwardingProvisioner(provisioner) {
                  @Override
                  public InstanceHealth health(InstanceRef instance) {
                    Supplier<InstanceHealth> steered = health.get();
                    return steered == null ? super.health(instance) : steered.get();
                  }
                },
            b -> b.healthChecks(Duration.ofMinutes(1), 1));
    service = platform.service(20, 20, 20);
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  private InstanceService instances() {
    return platform.subscriptions.instances();
  }

  private Subscription subscribe() {
    return platform
        .subscribe()
        .subscribe("user-" + UUID.randomUUID(), service.slug(), "basic", "k");
  }

  private Page<InstanceTransition> history(Subscription s, int page, int size) {
    return instances().history(s.userId(), s.instance().id(), PageRequest.of(page, size));
  }

  private void round() {
    clock.advance(Duration.ofMinutes(1));
    platform.subscriptions.healthMonitor().runRound();
  }

  @Test
  void history_ofASubscribedInstance_isProvisioningThenRunningNewestFirst() {
    Instant subscribedAt = clock.instant();
    Subscription s = subscribe();

    Page<InstanceTransition> history = history(s, 1, 20);

    assertThat(history.total()).isEqualTo(2);
    assertThat(history.items())
        .containsExactly(
            new InstanceTransition(
                InstanceStatus.PROVISIONING, InstanceStatus.RUNNING, subscribedAt, "provisioned"),
            new InstanceTransition(
                null, InstanceStatus.PROVISIONING, subscribedAt, "subscription paid"));
  }

  @Test
  void history_isPaginatedNewestFirst_throughDegradeRecoverAndCancel() {
    Subscription s = subscribe();
    health.set(() -> InstanceHealth.down("the app is not available"));
    round();
    health.set(null);
    round();
    clock.advance(Duration.ofMinutes(1));
    platform.subscribe().cancel(s.userId(), s.id());

    Page<InstanceTransition> first = history(s, 1, 2);
    Page<InstanceTransition> second = history(s, 2, 2);
    Page<InstanceTransition> third = history(s, 3, 2);
    Page<InstanceTransition> beyond = history(s, 4, 2);

    assertThat(first.total()).isEqualTo(6);
    assertThat(first.totalPages()).isEqualTo(3);
    assertThat(first.items())
        .extracting(InstanceTransition::from, InstanceTransition::to, InstanceTransition::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                InstanceStatus.DEPROVISIONING, InstanceStatus.DELETED, "cancelled"),
            org.assertj.core.groups.Tuple.tuple(
                InstanceStatus.RUNNING, InstanceStatus.DEPROVISIONING, "cancelled by its user"));
    assertThat(second.items())
        .extracting(InstanceTransition::from, InstanceTransition::to, InstanceTransition::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                InstanceStatus.DEGRADED, InstanceStatus.RUNNING, "healthy again"),
            org.assertj.core.groups.Tuple.tuple(
                InstanceStatus.RUNNING, InstanceStatus.DEGRADED, "the app is not available"));
    assertThat(third.items())
        .extracting(InstanceTransition::to)
        .containsExactly(InstanceStatus.RUNNING, InstanceStatus.PROVISIONING);
    assertThat(beyond.items()).isEmpty();
    assertThat(beyond.total()).isEqualTo(6);
    assertThat(first.items().get(0).at()).isAfter(second.items().get(0).at());
  }

  @Test
  void history_healthCheckFailingWithPlatformText_showsItsCategoryAndReferenceOnly() {
    Subscription s = subscribe();
    health.set(
        () -> {
          throw ProvisioningException.of(
              s.instance().id(), FailureReason.REFUSED, false, PLATFORM_WORDS, null);
        });
    round();
    Subscription other = subscribe();
    health.set(
        () -> {
          throw new IllegalStateException(PLATFORM_WORDS);
        });
    round();

    for (Subscription each : new Subscription[] {s, other}) {
      InstanceTransition degraded = history(each, 1, 1).items().get(0);
      assertThat(degraded.to()).isEqualTo(InstanceStatus.DEGRADED);
      assertThat(degraded.reason())
          .doesNotContain("serviceaccount")
          .doesNotContain("10.0.0.1")
          .containsPattern("\\(reference [0-9a-f]{8}\\)");
      assertThat(
              instances().instance(each.userId(), each.instance().id()).lastHealthCheck().detail())
          .doesNotContain("serviceaccount")
          .doesNotContain("10.0.0.1");
    }
    assertThat(history(s, 1, 1).items().get(0).reason())
        .contains(FailureReason.REFUSED.userMessage());
    assertThat(history(other, 1, 1).items().get(0).reason())
        .contains(FailureReason.CLUSTER_ERROR.userMessage());
  }

  @Test
  void history_ofAnotherUsersOrAnUnknownInstance_isNotFound() {
    Subscription s = subscribe();

    for (Runnable lookup :
        new Runnable[] {
          () -> instances().history("intruder", s.instance().id(), PageRequest.first()),
          () -> instances().history(s.userId(), UUID.randomUUID(), PageRequest.first())
        }) {
      assertThatThrownBy(lookup::run)
          .isInstanceOfSatisfying(
              MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
  }

  @Test
  void history_withoutAPage_isRefused() {
    Subscription s = subscribe();

    assertThatThrownBy(() -> instances().history(s.userId(), s.instance().id(), null))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.fieldErrors()).containsOnlyKeys("page"));
  }
}
