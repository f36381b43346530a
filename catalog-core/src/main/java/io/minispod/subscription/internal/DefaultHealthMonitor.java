package io.minispod.subscription.internal;

import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.Plan;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.InstanceHealth;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.Provisioner;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.provisioner.ResourceUsage;
import io.minispod.subscription.Alert;
import io.minispod.subscription.AlertSink;
import io.minispod.subscription.HealthMonitor;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.UpgradePolicy;
import io.minispod.subscription.internal.SubscriptionStore.UsageSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health monitor over the instance table and the provisioner: {@link HealthRule} decides when
 * an instance moves between running and degraded, {@link UsageRule} when its usage earns an upgrade
 * recommendation (kept with the instance, naming the plan the upgrade policy offers next).
 */
final class DefaultHealthMonitor implements HealthMonitor {

  private static final Logger log = LoggerFactory.getLogger(DefaultHealthMonitor.class);
  private static final int CLAIM_LIMIT = 200;

  /** How long usage samples are kept for the utilisation figures. */
  static final Duration SAMPLE_RETENTION = Duration.ofDays(90);

  private final DSLContext dsl;
  private final SubscriptionStore store;
  private final CatalogPort catalog;
  private final Provisioner provisioner;
  private final AlertSink alerts;
  private final UpgradePolicy policy;
  private final Clock clock;
  private final Duration interval;
  private final HealthRule rule;
  private final UsageRule usageRule;

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
    this.usageRule = new UsageRule(usageAlertRatio, threshold);
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public int runRound() {
    int checked = 0;
    List<InstanceRecord> due;
    store.deleteUsageSamplesBefore(dsl, clock.instant().minus(SAMPLE_RETENTION));
    do {
      Instant now = clock.instant();
      due =
          dsl.transactionResult(
              cfg -> store.claimForHealthCheck(cfg.dsl(), now, now.minus(interval), CLAIM_LIMIT));
      List<UsageSample> samples = new ArrayList<>();
      for (InstanceRecord instance : due) {
        try {
          check(instance).ifPresent(samples::add);
        } catch (RuntimeException e) {
          log.warn("Health check of instance {} failed", instance.getInstanceId(), e);
        }
      }
      recordSamples(samples);
      checked += due.size();
    } while (due.size() == CLAIM_LIMIT);
    return checked;
  }

  /** Keeps a batch's usage samples for the utilisation figures; losing them fails no check. */
  private void recordSamples(List<UsageSample> samples) {
    try {
      store.recordUsageSamples(dsl, samples, clock.instant());
    } catch (RuntimeException e) {
      log.warn("{} usage samples were not recorded", samples.size(), e);
    }
  }

  /** Checks an instance; returns its usage sample when its usage was measured. */
  private Optional<UsageSample> check(InstanceRecord instance) {
    InstanceRef ref = new InstanceRef(instance.getInstanceId(), instance.getUserId());
    InstanceHealth health;
    try {
      health = provisioner.health(ref);
    } catch (ProvisioningException e) {
      health = InstanceHealth.down("health check failed: " + e.getMessage());
    } catch (RuntimeException e) {
      // Its owner reads the detail: the platform's words go to the log under a reference.
      health =
          InstanceHealth.down(
              "health check failed: "
                  + ProvisioningException.of(
                          instance.getInstanceId(),
                          FailureReason.CLUSTER_ERROR,
                          true,
                          "health check failed: " + e,
                          e)
                      .getMessage());
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
    Resources limits =
        new Resources(
            instance.getCpuMillicores(), instance.getMemoryMib(), instance.getStorageGib());
    UsageJudgement judged = judgeUsage(instance, measured, limits);
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
              if (judged.streaks() != null) {
                store.recordUsageJudgement(
                    cfg.dsl(),
                    instance.getInstanceId(),
                    limits,
                    judged.streaks(),
                    judged.recommendedPlanId(),
                    judged.reason());
              }
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
    if (judged.crossed()) {
      alertHighUsage(instance, usage, judged.plans(), now);
    }
    return Optional.ofNullable(usage).map(u -> UsageSample.of(instance, u, limits));
  }

  /**
   * What a check makes of the usage it measured.
   *
   * @param streaks the streaks of high usage after it, or null when usage was not measured (which
   *     changes no streak, and so no recommendation)
   * @param recommendedPlanId the plan the streaks recommend, or null
   * @param reason why, or null without a recommendation
   * @param crossed whether usage just went above the alert line
   * @param plans the instance's plan and the next one, read when a recommendation or an alert needs
   *     them (null otherwise)
   */
  private record UsageJudgement(
      UsageRule.Streaks streaks,
      UUID recommendedPlanId,
      String reason,
      boolean crossed,
      Plans plans) {}

  private UsageJudgement judgeUsage(
      InstanceRecord instance, ResourceUsage measured, Resources limits) {
    if (measured == null) {
      return new UsageJudgement(null, null, null, false, null);
    }
    boolean crossed =
        usageRule.isHigh(measured, limits) && !usageRule.isHigh(previousUsage(instance), limits);
    UsageRule.Streaks streaks =
        usageRule.next(
            new UsageRule.Streaks(
                instance.getCpuHighStreak(),
                instance.getMemoryHighStreak(),
                instance.getStorageHighStreak()),
            measured,
            limits);
    Optional<String> reason = usageRule.reason(streaks);
    Plans plans = reason.isPresent() || crossed ? plans(instance) : null;
    Optional<Plan> recommended = reason.isPresent() ? plans.next() : Optional.empty();
    return new UsageJudgement(
        streaks,
        recommended.map(Plan::id).orElse(null),
        recommended.isPresent() ? reason.get() : null,
        crossed,
        plans);
  }

  private static ResourceUsage previousUsage(InstanceRecord instance) {
    return instance.getUsageAt() == null
        ? null
        : new ResourceUsage(
            instance.getUsageCpu(), instance.getUsageMemory(), instance.getUsageStorage());
  }

  /**
   * An instance's plan and the one the upgrade policy offers next: the lowest tier among the active
   * plans it allows (read outside any transaction, from the catalog's caches).
   */
  private Plans plans(InstanceRecord instance) {
    SubscriptionRecord subscription =
        store.subscription(dsl, instance.getSubscriptionId()).orElseThrow();
    Plan current = catalog.plan(subscription.getServiceId(), subscription.getPlanId());
    Optional<Plan> next =
        catalog.service(subscription.getServiceId()).activePlans().stream()
            .filter(p -> policy.evaluate(current, p).allowed())
            .min(Comparator.comparingInt(Plan::tier));
    return new Plans(current, next);
  }

  /** An instance's plan and the next one, if any. */
  private record Plans(Plan current, Optional<Plan> next) {}

  private void alertHighUsage(
      InstanceRecord instance, ResourceUsage usage, Plans plans, Instant now) {
    String message =
        "uses %d of %d millicores, %d of %d MiB, %.1f of %d GiB on plan %s%s"
            .formatted(
                usage.cpuMillicores(),
                instance.getCpuMillicores(),
                usage.memoryMiB(),
                instance.getMemoryMib(),
                usage.storageGiB(),
                instance.getStorageGib(),
                plans.current().name(),
                plans.next().map(p -> "; consider upgrading to " + p.name()).orElse(""));
    alert(instance, Alert.Kind.HIGH_USAGE, message, plans.next().map(Plan::slug).orElse(null), now);
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
