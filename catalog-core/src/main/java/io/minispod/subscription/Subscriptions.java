package io.minispod.subscription;

import io.minispod.DaemonThreads;
import io.minispod.billing.BillingService;
import io.minispod.catalog.Catalog;
import io.minispod.provisioner.Provisioner;
import io.minispod.subscription.internal.SubscriptionEngine;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscription side of MinisPod: subscribing, upgrading, cancelling, instances, health and
 * analytics, over a {@link Catalog} (read through its {@link io.minispod.catalog.CatalogPort}), a
 * {@link BillingService} and a {@link Provisioner}.
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

  private final SubscriptionEngine engine;
  private final Duration runnerInterval;
  private final Duration reconcileInterval;
  private final Duration renewalInterval;
  private ScheduledExecutorService background;

  Subscriptions(
      SubscriptionEngine engine,
      Duration runnerInterval,
      Duration reconcileInterval,
      Duration renewalInterval) {
    this.engine = engine;
    this.runnerInterval = runnerInterval;
    this.reconcileInterval = reconcileInterval;
    this.renewalInterval = renewalInterval;
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
    return engine.subscriptions();
  }

  /**
   * Upgrade options and upgrades.
   *
   * @return the upgrade service
   */
  public UpgradeService upgrades() {
    return engine.upgrades();
  }

  /**
   * Users' instances.
   *
   * @return the instance service
   */
  public InstanceService instances() {
    return engine.instances();
  }

  /**
   * The operations that {@code start…} calls return, to observe or await.
   *
   * @return the operation service
   */
  public OperationService operations() {
    return engine.operations();
  }

  /**
   * The policy plan changes are judged by, for adapters that show which changes a plan allows (the
   * service broker's {@code plan_updateable}).
   *
   * @return the upgrade policy this was built with
   */
  public UpgradePolicy upgradePolicy() {
    return engine.upgradePolicy();
  }

  /**
   * Administrators' figures.
   *
   * @return the analytics service
   */
  public AnalyticsService analytics() {
    return engine.analytics();
  }

  /**
   * The health monitor, for one round on demand ({@link HealthMonitor#runRound()}).
   *
   * @return the monitor
   */
  public HealthMonitor healthMonitor() {
    return engine.healthMonitor();
  }

  /**
   * Runs, on this node, every workflow that is due and not leased by a live node: those waiting for
   * a retry and those a crashed node left behind. {@link #start()} calls this periodically.
   *
   * @return how many workflows were picked up
   */
  public int runDueWorkflows() {
    return engine.runDueWorkflows();
  }

  /**
   * Runs, on this node, what time made due, batch by batch until nothing is left: a renewal for
   * every active subscription whose period ended (charging the next period and rolling it forward;
   * a subscription a week behind is renewed period by period, each charged once), a retry for every
   * past-due subscription whose next attempt is due, and a cancel for every subscription whose
   * period scheduled to be its last ended or whose suspension's grace period ran out. Several nodes
   * may run it at once: each takes subscriptions no other node has taken. {@link #start()} calls
   * this every {@link SubscriptionsBuilder#renewalInterval renewal interval}.
   *
   * @return how many renewal and cancel workflows this node queued
   */
  public int renewDue() {
    return engine.renewDue();
  }

  /**
   * Runs one round of the instance reconciler on this node, as a Kubernetes controller would: it
   * lists what the provisioner has on the platform, repairs (provisions again, or puts back to its
   * plan's resources) every live subscription's instance that is missing, incomplete or drifted,
   * through a workflow serialised with the subscription's others, and deprovisions every instance
   * no live subscription owns. Each instance is claimed in the database first, so that with several
   * nodes one node handles it per round. {@link #start()} calls this every {@link
   * SubscriptionsBuilder#reconcileInterval reconcile interval}.
   *
   * @return what this node did in the round
   */
  public ReconcileReport reconcileInstances() {
    return engine.reconcileInstances();
  }

  /**
   * What this node's reconciler rounds did so far, summed: for metrics.
   *
   * @return the totals
   */
  public ReconcileReport reconciledSoFar() {
    return engine.reconciledSoFar();
  }

  /**
   * Starts the workflow runner, the renewals, the health monitor and the instance reconciler on
   * background daemon threads.
   */
  public synchronized void start() {
    if (background != null) {
      return;
    }
    background = Executors.newScheduledThreadPool(4, DaemonThreads.named("minispod-subscriptions"));
    background.scheduleWithFixedDelay(
        () -> quietly("workflow runner", this::runDueWorkflows),
        0,
        runnerInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    background.scheduleWithFixedDelay(
        () -> quietly("health monitor", engine.healthMonitor()::runRound),
        engine.healthMonitor().interval().toMillis(),
        engine.healthMonitor().interval().toMillis(),
        TimeUnit.MILLISECONDS);
    background.scheduleWithFixedDelay(
        () -> quietly("renewals", this::renewDue),
        renewalInterval.toMillis(),
        renewalInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    background.scheduleWithFixedDelay(
        () -> quietly("instance reconciler", () -> (int) reconcileInstances().checked()),
        reconcileInterval.toMillis(),
        reconcileInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static void quietly(String what, IntSupplier task) {
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
    engine.close();
  }
}
