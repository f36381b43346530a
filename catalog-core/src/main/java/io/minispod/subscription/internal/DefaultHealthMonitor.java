package io.minispod.subscription.internal;

import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.Plan;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.provisioner.InstanceHealth;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.Provisioner;
import io.minispod.provisioner.ResourceUsage;
import io.minispod.subscription.Alert;
import io.minispod.subscription.AlertSink;
import io.minispod.subscription.HealthMonitor;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.UpgradePolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The health monitor over the instance table and the provisioner; {@link HealthRule} decides. */
final class DefaultHealthMonitor implements HealthMonitor {

  private static final Logger log = LoggerFactory.getLogger(DefaultHealthMonitor.class);
  private static final int CLAIM_LIMIT = 200;

  private final DSLContext dsl;
  private final SubscriptionStore store;
  private final CatalogPort catalog;
  private final Provisioner provisioner;
  private final AlertSink alerts;
  private final UpgradePolicy policy;
  private final Clock clock;
  private final Duration interval;
  private final HealthRule rule;
  private final double usageAlertRatio;

  DefaultHealthMonitor(
      DSLContext dsl,
      SubscriptionStore store,
      CatalogPort catalog,
      Provisioner provisioner,
      AlertSink alerts,
      UpgradePolicy policy,
      Clock clock,
      Duration interval,
      int threshold,
      double usageAlertRatio) {
    this.dsl = dsl;
    this.store = store;
    this.catalog = catalog;
    this.provisioner = provisioner;
    this.alerts = alerts;
    this.policy = policy;
    this.clock = clock;
    this.interval = interval;
    this.rule = new HealthRule(threshold);
    this.usageAlertRatio = usageAlertRatio;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public int runRound() {
    int checked = 0;
    List<InstanceRecord> due;
    do {
      Instant now = clock.instant();
      due =
          dsl.transactionResult(
              cfg -> store.claimForHealthCheck(cfg.dsl(), now, now.minus(interval), CLAIM_LIMIT));
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
      health = provisioner.health(ref);
    } catch (RuntimeException e) {
      health = InstanceHealth.down("health check failed: " + e.getMessage());
    }
    ResourceUsage measured;
    try {
      measured = provisioner.usage(ref).orElse(null);
    } catch (RuntimeException e) {
      log.warn(
          "Usage of instance {} could not be read; this round keeps its last figures",
          instance.getInstanceId(),
          e);
      measured = null;
    }
    int streak = rule.nextStreak(instance.getHealthStreak(), health.healthy());
    Optional<InstanceStatus> move = rule.transition(instance.getStatus(), streak);
    Instant now = clock.instant();
    InstanceHealth seen = health;
    ResourceUsage usage = measured;
    // The status changes only from the one read when the instance was claimed: a cancel or an
    // upgrade that moved it meanwhile wins over what this check saw.
    boolean moved =
        dsl.transactionResult(
            cfg -> {
              store.recordHealth(
                  cfg.dsl(),
                  instance.getInstanceId(),
                  seen.healthy(),
                  seen.detail(),
                  streak,
                  usage,
                  now);
              return move.isPresent()
                  && store.moveInstanceFrom(
                      cfg.dsl(),
                      instance.getInstanceId(),
                      instance.getStatus(),
                      move.get(),
                      move.get() == InstanceStatus.DEGRADED ? seen.detail() : "healthy again",
                      now);
            });
    if (moved && move.get() == InstanceStatus.DEGRADED) {
      alert(
          instance,
          Alert.Kind.UNHEALTHY,
          "unhealthy after " + rule.threshold() + " failed checks: " + seen.detail(),
          null,
          now);
    } else if (moved) {
      alert(
          instance,
          Alert.Kind.RECOVERED,
          "healthy again after " + rule.threshold() + " good checks",
          null,
          now);
    }
    if (usage != null && isHigh(usage, instance) && !isHigh(previousUsage(instance), instance)) {
      alertHighUsage(instance, usage, now);
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
        store.subscription(dsl, instance.getSubscriptionId()).orElseThrow();
    Plan current = catalog.plan(subscription.getServiceId(), subscription.getPlanId());
    Optional<Plan> next =
        catalog.service(subscription.getServiceId()).activePlans().stream()
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
