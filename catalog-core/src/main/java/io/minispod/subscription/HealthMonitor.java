package io.minispod.catalog;

import io.minispod.catalog.SubscriptionWorkflows.Services;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.provisioning.InstanceHealth;
import io.minispod.catalog.provisioning.InstanceRef;
import io.minispod.catalog.provisioning.ResourceUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the health and usage of every running instance, periodically, across any number of nodes:
 * each round a node claims the instances not checked for an interval ({@code FOR UPDATE SKIP
 * LOCKED}), so each instance is checked by one node per round.
 *
 * <p>An instance moves from {@link InstanceStatus#RUNNING} to {@link InstanceStatus#DEGRADED} after
 * {@code threshold} failed checks in a row and back after as many good ones; the {@link AlertSink}
 * hears of both, and of usage above the configured share of the plan's limits, with the plan to
 * upgrade to.
 */
public final class HealthMonitor {

  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
  private static final int CLAIM_LIMIT = 200;

  private final Services services;
  private final AlertSink alerts;
  private final UpgradePolicy policy;
  private final Duration interval;
  private final int threshold;
  private final double usageAlertRatio;

  HealthMonitor(
      Services services,
      AlertSink alerts,
      UpgradePolicy policy,
      Duration interval,
      int threshold,
      double usageAlertRatio) {
    this.services = services;
    this.alerts = alerts;
    this.policy = policy;
    this.interval = interval;
    this.threshold = threshold;
    this.usageAlertRatio = usageAlertRatio;
  }

  /**
   * How often each instance is checked.
   *
   * @return the interval
   */
  public Duration interval() {
    return interval;
  }

  /**
   * Runs one round on this node: checks every instance that is due and no other node is checking.
   *
   * @return how many instances this node checked
   */
  public int runRound() {
    int checked = 0;
    List<InstanceRecord> due;
    do {
      Instant now = services.now();
      due =
          services
              .dsl()
              .transactionResult(
                  cfg ->
                      services
                          .subscriptions()
                          .claimForHealthCheck(cfg.dsl(), now, now.minus(interval), CLAIM_LIMIT));
      for (InstanceRecord instance : due) {
        try {
          check(instance);
        } catch (RuntimeException e) {
          log.warn("Health check of instance {} failed", instance.getInstanceId(), e);
        }
      }
      checked += due.size();
    } while (due.size() == CLAIM_LIMIT);
    return checked;
  }

  private void check(InstanceRecord instance) {
    InstanceRef ref = new InstanceRef(instance.getInstanceId(), instance.getUserId());
    InstanceHealth health;
    try {
      health = services.provisioner().health(ref);
    } catch (RuntimeException e) {
      health = InstanceHealth.down("health check failed: " + e.getMessage());
    }
    Optional<ResourceUsage> usage;
    try {
      usage = services.provisioner().usage(ref);
    } catch (RuntimeException e) {
      usage = Optional.empty();
    }
    int previous = instance.getHealthStreak();
    int streak = health.healthy() ? Math.max(previous, 0) + 1 : Math.min(previous, 0) - 1;
    InstanceStatus status = InstanceStatus.valueOf(instance.getStatus());
    Instant now = services.now();
    InstanceHealth seen = health;
    ResourceUsage measured = usage.orElse(null);
    Alert.Kind transition =
        services
            .dsl()
            .transactionResult(
                cfg -> {
                  services
                      .subscriptions()
                      .recordHealth(
                          cfg.dsl(),
                          instance.getInstanceId(),
                          seen.healthy(),
                          seen.detail(),
                          streak,
                          measured,
                          now);
                  if (status == InstanceStatus.RUNNING && streak <= -threshold) {
                    services
                        .subscriptions()
                        .moveInstance(
                            cfg.dsl(),
                            instance.getInstanceId(),
                            InstanceStatus.DEGRADED,
                            seen.detail(),
                            now);
                    return Alert.Kind.UNHEALTHY;
                  }
                  if (status == InstanceStatus.DEGRADED && streak >= threshold) {
                    services
                        .subscriptions()
                        .moveInstance(
                            cfg.dsl(),
                            instance.getInstanceId(),
                            InstanceStatus.RUNNING,
                            "healthy again",
                            now);
                    return Alert.Kind.RECOVERED;
                  }
                  return null;
                });
    if (transition == Alert.Kind.UNHEALTHY) {
      alert(
          instance,
          Alert.Kind.UNHEALTHY,
          "unhealthy after " + threshold + " failed checks: " + seen.detail(),
          null,
          now);
    } else if (transition == Alert.Kind.RECOVERED) {
      alert(
          instance,
          Alert.Kind.RECOVERED,
          "healthy again after " + threshold + " good checks",
          null,
          now);
    }
    if (measured != null
        && isHigh(measured, instance)
        && !isHigh(previousUsage(instance), instance)) {
      alertHighUsage(instance, measured, now);
    }
  }

  private static ResourceUsage previousUsage(InstanceRecord instance) {
    return instance.getUsageAt() == null
        ? null
        : new ResourceUsage(
            instance.getUsageCpu(), instance.getUsageMemory(), instance.getUsageStorage());
  }

  private boolean isHigh(ResourceUsage usage, InstanceRecord instance) {
    return usage != null
        && (usage.cpuMillicores() > usageAlertRatio * instance.getCpuMillicores()
            || usage.memoryMiB() > usageAlertRatio * instance.getMemoryMib()
            || usage.storageGiB() > usageAlertRatio * instance.getStorageGib());
  }

  private void alertHighUsage(InstanceRecord instance, ResourceUsage usage, Instant now) {
    SubscriptionRecord subscription =
        services
            .dsl()
            .transactionResult(
                cfg ->
                    services
                        .subscriptions()
                        .subscription(cfg.dsl(), instance.getSubscriptionId())
                        .orElseThrow());
    Plan current = services.specs().plan(subscription.getServiceId(), subscription.getPlanId());
    Optional<Plan> next =
        services.specs().service(subscription.getServiceId()).activePlans().stream()
            .filter(p -> policy.evaluate(current, p).allowed())
            .min(Comparator.comparingInt(Plan::tier));
    String message =
        "uses %d of %d millicores, %d of %d MiB, %.1f of %d GiB on plan %s%s"
            .formatted(
                usage.cpuMillicores(),
                instance.getCpuMillicores(),
                usage.memoryMiB(),
                instance.getMemoryMib(),
                usage.storageGiB(),
                instance.getStorageGib(),
                current.name(),
                next.map(p -> "; consider upgrading to " + p.name()).orElse(""));
    alert(instance, Alert.Kind.HIGH_USAGE, message, next.map(Plan::slug).orElse(null), now);
  }

  private void alert(
      InstanceRecord instance, Alert.Kind kind, String message, String suggestedPlan, Instant now) {
    Alert alert =
        new Alert(
            kind,
            instance.getInstanceId(),
            instance.getSubscriptionId(),
            instance.getUserId(),
            message,
            suggestedPlan,
            now);
    try {
      alerts.alert(alert);
    } catch (RuntimeException e) {
      log.warn("The alert sink failed on {} for instance {}", kind, instance.getInstanceId(), e);
    }
  }
}
