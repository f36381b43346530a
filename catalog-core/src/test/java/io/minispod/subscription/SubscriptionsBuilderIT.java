package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.ResourceLimits;
import io.minispod.quota.PoolAvailability;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class SubscriptionsBuilderIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");

  @Test
  void build_definesClusterPoolsAndMovesThemToNewCapacities() {
    try (Platform platform =
        Platform.start(
            db.dataSource(), clock, b -> b.clusterCapacity(new ResourceLimits(4000, 8192, 100)))) {
      assertThat(
              platform.quota.availability(
                  List.of(
                      QuotaPools.CLUSTER_CPU,
                      QuotaPools.CLUSTER_MEMORY,
                      QuotaPools.CLUSTER_STORAGE)))
          .extracting(PoolAvailability::total)
          .containsExactly(4000L, 8192L, 100L);
      try (Platform bigger =
          platform.anotherNode(
              db.newDataSource(2), b -> b.clusterCapacity(new ResourceLimits(8000, 8192, 100)))) {
        assertThat(bigger.quota.availability(List.of(QuotaPools.CLUSTER_CPU)).get(0).total())
            .isEqualTo(8000);
      }
    }
  }

  @Test
  void settings_outOfRange_areRefused() {
    try (Platform platform = Platform.start(db.dataSource(), clock)) {
      SubscriptionsBuilder builder =
          Subscriptions.builder(platform.catalog, platform.billing, platform.provisioner);

      assertThatThrownBy(() -> builder.instancesPerUser(0)).hasMessageContaining("at least 1");
      assertThatThrownBy(() -> builder.cpuMillicoresPerUser(0))
          .hasMessageContaining("CPU millicores per user must be at least 1");
      assertThatThrownBy(() -> builder.memoryMiBPerUser(-1))
          .hasMessageContaining("memory MiB per user must be at least 1");
      assertThatThrownBy(() -> builder.storageGiBPerUser(0))
          .hasMessageContaining("storage GiB per user must be at least 1");
      assertThatThrownBy(() -> builder.userLimits(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> builder.workflowLease(Duration.ZERO))
          .hasMessageContaining("workflow lease must be positive");
      assertThatThrownBy(() -> builder.retries(Duration.ofSeconds(1), Duration.ofSeconds(2), 0))
          .hasMessageContaining("attempts");
      assertThatThrownBy(() -> builder.healthChecks(Duration.ofMinutes(1), 0))
          .hasMessageContaining("threshold");
      assertThatThrownBy(() -> builder.usageAlertRatio(1.5)).hasMessageContaining("(0, 1]");
      assertThatThrownBy(() -> builder.workflowRunnerInterval(Duration.ofSeconds(-1)))
          .hasMessageContaining("positive");
      assertThatThrownBy(() -> Subscriptions.builder(null, platform.billing, platform.provisioner))
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void workflowHeartbeat_notShorterThanTheLease_isRefused() {
    try (Platform platform = Platform.start(db.dataSource(), clock)) {
      SubscriptionsBuilder builder =
          Subscriptions.builder(platform.catalog, platform.billing, platform.provisioner)
              .workflowLease(Duration.ofSeconds(30))
              .workflowHeartbeat(Duration.ofSeconds(30));

      assertThatThrownBy(builder::build)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("workflow heartbeat must be shorter than the lease PT30S");
      assertThatThrownBy(() -> builder.workflowHeartbeat(Duration.ZERO))
          .hasMessageContaining("workflow heartbeat must be positive");
    }
  }

  @Test
  void start_runsDueWorkflowsInTheBackgroundUntilClosed() {
    try (Platform platform =
        Platform.start(
            db.dataSource(), clock, b -> b.workflowRunnerInterval(Duration.ofMillis(20)))) {
      ServiceDefinition service = platform.service(5, 5, 5);
      platform.provisioner.failNext(1, true);
      Subscription s = platform.subscribe().subscribe("alice", service.slug(), "basic", "k");
      assertThat(s.instance().status()).isEqualTo(InstanceStatus.PROVISIONING);
      clock.advance(Duration.ofMinutes(1));

      platform.subscriptions.start();
      platform.subscriptions.start();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  platform.subscribe().subscription("alice", s.id()).instance().status()
                      == InstanceStatus.RUNNING);
    }
  }
}
