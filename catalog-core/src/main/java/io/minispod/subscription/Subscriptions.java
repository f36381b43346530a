package io.minispod.catalog;

import io.minispod.billing.BillingService;
import io.minispod.catalog.SubscriptionWorkflows.Services;
import io.minispod.catalog.provisioning.Provisioner;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscription side of MinisPod: subscribing, upgrading, cancelling, instances, health and
 * analytics, over a {@link Catalog}, a {@link BillingService} and a {@link Provisioner}.
 *
 * <p>Every subscribe, upgrade and cancel is a persisted workflow. The call that starts one runs it
 * on the caller's thread; if the node dies mid-way, or a step asks to be retried later, the
 * workflow runner of any node sharing the database finishes (or compensates) it. {@link #start()}
 * runs that runner and the {@link HealthMonitor} in the background; {@link #close()} stops them.
 *
 * <pre>{@code
 * Subscriptions subscriptions =
 *     Subscriptions.builder(catalog, billing, new InMemoryProvisioner("apps.example.com")).build();
 * subscriptions.start();
 * Subscription s = subscriptions.subscriptions().subscribe("alice", "n8n", "pro", "req-42");
 * }</pre>
 */
public final class Subscriptions implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);
  private static final int RUNNER_BATCH = 50;

  private final Services services;
  private final SubscriptionWorkflows workflows;
  private final DefaultSubscriptionService subscriptionService;
  private final DefaultInstanceService instanceService;
  private final DefaultAnalyticsService analytics;
  private final HealthMonitor healthMonitor;
  private final Duration runnerInterval;
  private ScheduledExecutorService background;

  Subscriptions(
      Services services,
      UpgradePolicy policy,
      AlertSink alerts,
      long instancesPerUser,
      Duration runnerInterval,
      Duration healthInterval,
      int healthThreshold,
      double usageAlertRatio) {
    this.services = services;
    this.workflows = new SubscriptionWorkflows(services);
    this.subscriptionService =
        new DefaultSubscriptionService(services, workflows, policy, instancesPerUser);
    this.instanceService = new DefaultInstanceService(services);
    this.analytics =
        new DefaultAnalyticsService(services.dsl(), services.quota(), services.billing());
    this.healthMonitor =
        new HealthMonitor(
            services, alerts, policy, healthInterval, healthThreshold, usageAlertRatio);
    this.runnerInterval = runnerInterval;
  }

  /**
   * Starts building over a catalog (and its quota manager), a billing service and a provisioner.
   *
   * @param catalog the catalog the plans come from
   * @param billing charges, proration and refunds
   * @param provisioner where instances run
   * @return a builder with ready defaults
   */
  public static SubscriptionsBuilder builder(
      Catalog catalog, BillingService billing, Provisioner provisioner) {
    return new SubscriptionsBuilder(catalog, billing, provisioner);
  }

  /**
   * Subscribing, listing and cancelling.
   *
   * @return the subscription service
   */
  public SubscriptionService subscriptions() {
    return subscriptionService;
  }

  /**
   * Upgrade options and upgrades.
   *
   * @return the upgrade service
   */
  public UpgradeService upgrades() {
    return subscriptionService;
  }

  /**
   * Users' instances.
   *
   * @return the instance service
   */
  public InstanceService instances() {
    return instanceService;
  }

  /**
   * Administrators' figures.
   *
   * @return the analytics service
   */
  public AnalyticsService analytics() {
    return analytics;
  }

  /**
   * The health monitor, for one round on demand ({@link HealthMonitor#runRound()}).
   *
   * @return the monitor
   */
  public HealthMonitor healthMonitor() {
    return healthMonitor;
  }

  /**
   * Runs, on this node, every workflow that is due and not leased by a live node: those waiting for
   * a retry and those a crashed node left behind. {@link #start()} calls this periodically.
   *
   * @return how many workflows were picked up
   */
  public int runDueWorkflows() {
    services
        .subscriptions()
        .deleteAbandoned(services.dsl(), services.now().minus(DefaultSubscriptionService.HOLD_FOR));
    int total = 0;
    int claimed;
    do {
      claimed = workflows.runDue(RUNNER_BATCH);
      total += claimed;
    } while (claimed == RUNNER_BATCH);
    return total;
  }

  /** Starts the workflow runner and the health monitor on background daemon threads. */
  public synchronized void start() {
    if (background != null) {
      return;
    }
    background =
        Executors.newScheduledThreadPool(
            2,
            task -> {
              Thread thread = new Thread(task, "minispod-subscriptions");
              thread.setDaemon(true);
              return thread;
            });
    background.scheduleWithFixedDelay(
        () -> quietly("workflow runner", this::runDueWorkflows),
        0,
        runnerInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    background.scheduleWithFixedDelay(
        () -> quietly("health monitor", healthMonitor::runRound),
        healthMonitor.interval().toMillis(),
        healthMonitor.interval().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static void quietly(String what, java.util.function.IntSupplier task) {
    try {
      task.getAsInt();
    } catch (RuntimeException e) {
      log.warn("The {} failed; its next round tries again", what, e);
    }
  }

  /** Stops the background threads; the catalog, billing service and provisioner stay open. */
  @Override
  public synchronized void close() {
    if (background != null) {
      background.shutdownNow();
      background = null;
    }
  }
}
