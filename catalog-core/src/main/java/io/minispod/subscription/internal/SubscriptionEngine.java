package io.minispod.subscription.internal;

import io.minispod.DaemonThreads;
import io.minispod.billing.BillingService;
import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.internal.CatalogNode;
import io.minispod.provisioner.Provisioner;
import io.minispod.provisioner.ResourceLimits;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.AlertSink;
import io.minispod.subscription.AnalyticsService;
import io.minispod.subscription.CancellationPolicy;
import io.minispod.subscription.DunningPolicy;
import io.minispod.subscription.HealthMonitor;
import io.minispod.subscription.InstanceService;
import io.minispod.subscription.OperationService;
import io.minispod.subscription.ReconcileReport;
import io.minispod.subscription.SubscriptionService;
import io.minispod.subscription.UpgradePolicy;
import io.minispod.subscription.UpgradeService;
import io.minispod.subscription.UserLimits;
import io.minispod.subscription.internal.workflow.Backoff;
import io.minispod.subscription.internal.workflow.StepObserver;
import io.minispod.subscription.internal.workflow.WorkflowDispatcher;
import io.minispod.subscription.internal.workflow.WorkflowRunner;
import io.minispod.subscription.internal.workflow.WorkflowStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * The parts of one node's subscription side, wired together: the stores, the workflow runner with
 * the subscribe, upgrade and cancel kinds, and the services a host calls. {@link
 * io.minispod.subscription.Subscriptions} is its public face.
 */
public final class SubscriptionEngine implements AutoCloseable {

  /**
   * How long a subscribe's quota hold lasts before the workflow that keeps it starts; a node that
   * dies in between leaves a hold that expires and a subscription the runner removes after this.
   */
  public static final Duration QUOTA_HOLD = DefaultSubscriptionService.HOLD_FOR;

  private static final int RUNNER_BATCH = 50;

  private static final int RENEWAL_BATCH = 500;

  /** How many threads of a node run the workflows a renewal round queued. */
  private static final int RENEWAL_THREADS = 4;

  private final DSLContext dsl;
  private final Clock clock;
  private final SubscriptionStore store;
  private final WorkflowRunner runner;
  private final WorkflowDispatcher dispatcher;
  private final DefaultSubscriptionService subscriptions;
  private final DefaultUpgradeService upgrades;
  private final DefaultInstanceService instances;
  private final DefaultOperationService operationService;
  private final DefaultAnalyticsService analytics;
  private final DefaultHealthMonitor healthMonitor;
  private final InstanceReconciler reconciler;
  private final Renewals renewals;
  private final UpgradePolicy upgradePolicy;
  private final ExecutorService renewalRunners =
      Executors.newFixedThreadPool(RENEWAL_THREADS, DaemonThreads.named("minispod-renewals"));
  private final AtomicReference<ReconcileReport> reconciled =
      new AtomicReference<>(ReconcileReport.NONE);

  /**
   * Everything a node's subscription side is configured with.
   *
   * @param dataSource the database the catalog lives in
   * @param catalog the catalog's port
   * @param quota the quota manager the plans' pools live in
   * @param billing charges, proration and refunds
   * @param provisioner where instances run
   * @param clock the clock for periods, leases, retries and health rounds
   * @param upgradePolicy which plan changes are allowed
   * @param cancellationPolicy what a cancellation refunds
   * @param dunningPolicy when declined renewals are retried, and how long a suspension lasts
   * @param alertSink where health alerts go
   * @param userLimits what each user may hold
   * @param userLimitsRefresh how long a node keeps a user's limit before it asks again
   * @param clusterCapacity what the cluster holds in all
   * @param workflowLease how long a step's lease lasts
   * @param workflowHeartbeat how often a step in progress renews its lease, in real time
   * @param workflowThreads how many workflows this node runs at once for requests that do not wait
   *     for them
   * @param backoff how failed steps are retried
   * @param reconcileInterval how often the instance reconciler runs a round
   * @param backupInterval how often an instance of a plan whose backups feature is {@code true} is
   *     backed up
   * @param backupsKept how many backups of each instance are kept
   * @param healthInterval how often an instance is checked
   * @param healthThreshold results in a row that move an instance
   * @param usageAlertRatio the share of a limit above which usage is alerted
   * @param observer told before and after every workflow commit (tests)
   */
  public record Settings(
      DataSource dataSource,
      CatalogPort catalog,
      QuotaManager quota,
      BillingService billing,
      Provisioner provisioner,
      Clock clock,
      UpgradePolicy upgradePolicy,
      CancellationPolicy cancellationPolicy,
      DunningPolicy dunningPolicy,
      AlertSink alertSink,
      UserLimits userLimits,
      Duration userLimitsRefresh,
      ResourceLimits clusterCapacity,
      Duration workflowLease,
      Duration workflowHeartbeat,
      int workflowThreads,
      Backoff backoff,
      Duration reconcileInterval,
      Duration backupInterval,
      int backupsKept,
      Duration healthInterval,
      int healthThreshold,
      double usageAlertRatio,
      StepObserver observer) {}

  /**
   * Wires a node's subscription side and defines the cluster's quota pools (or moves them to the
   * configured capacity where usage allows).
   *
   * @param settings the configuration
   */
  public SubscriptionEngine(Settings settings) {
    CatalogPort catalog = settings.catalog();
    this.dsl = CatalogNode.dsl(settings.dataSource());
    this.clock = settings.clock();
    QuotaFootprint.defineClusterPools(settings.quota(), settings.clusterCapacity());
    this.store = new SubscriptionStore(catalog);
    WorkflowStore workflows = new WorkflowStore();
    InstanceSpecFactory specs = new InstanceSpecFactory(dsl, catalog, store);
    QuotaFootprint footprint =
        new QuotaFootprint(
            catalog, settings.quota(), settings.userLimits(), clock, settings.userLimitsRefresh());
    WorkflowSupport support =
        new WorkflowSupport(
            dsl,
            catalog,
            store,
            workflows,
            settings.quota(),
            settings.billing(),
            settings.provisioner(),
            specs,
            settings.workflowLease());
    InstanceBackups backups =
        new InstanceBackups(
            dsl, settings.provisioner(), settings.backupInterval(), settings.backupsKept());
    this.runner =
        new WorkflowRunner(
            dsl,
            workflows,
            List.of(
                new SubscribeWorkflow(support),
                new UpgradeWorkflow(support, footprint, backups),
                new CancelWorkflow(support, settings.cancellationPolicy()),
                new UpdateEnvWorkflow(support),
                new RepairWorkflow(support),
                new RenewWorkflow(support, footprint, backups, settings.dunningPolicy()),
                new ScheduleChangeWorkflow(support)),
            StepFailures::classify,
            clock,
            "node-" + UUID.randomUUID(),
            settings.workflowLease(),
            settings.workflowHeartbeat(),
            settings.backoff(),
            settings.observer());
    this.dispatcher = new WorkflowDispatcher(runner, settings.workflowThreads());
    SubscriptionOperations operations =
        new SubscriptionOperations(
            dsl, store, workflows, runner, dispatcher, new OperationFailures(settings.billing()));
    this.operationService =
        new DefaultOperationService(dsl, store, workflows, operations, dispatcher);
    this.subscriptions =
        new DefaultSubscriptionService(
            dsl,
            catalog,
            store,
            operations,
            footprint,
            settings.quota(),
            settings.billing(),
            settings.upgradePolicy(),
            clock);
    this.upgrades =
        new DefaultUpgradeService(
            catalog,
            store,
            operations,
            footprint,
            settings.quota(),
            settings.billing(),
            settings.upgradePolicy(),
            settings.provisioner(),
            clock);
    this.instances =
        new DefaultInstanceService(
            dsl, store, catalog, operations, settings.upgradePolicy(), clock);
    this.reconciler =
        new InstanceReconciler(
            dsl,
            store,
            workflows,
            operations,
            specs,
            catalog,
            settings.provisioner(),
            clock,
            runner.nodeId(),
            settings.reconcileInterval(),
            new BackupSchedule(dsl, backups, clock));
    this.renewals = new Renewals(dsl, store, workflows, clock);
    this.upgradePolicy = settings.upgradePolicy();
    this.analytics = new DefaultAnalyticsService(dsl, settings.quota(), settings.billing());
    this.healthMonitor =
        new DefaultHealthMonitor(
            dsl,
            store,
            catalog,
            settings.provisioner(),
            settings.alertSink(),
            settings.upgradePolicy(),
            clock,
            settings.healthInterval(),
            settings.healthThreshold(),
            settings.usageAlertRatio());
  }

  /**
   * Subscribing, listing and cancelling.
   *
   * @return the subscription service
   */
  public SubscriptionService subscriptions() {
    return subscriptions;
  }

  /**
   * Upgrade options and upgrades.
   *
   * @return the upgrade service
   */
  public UpgradeService upgrades() {
    return upgrades;
  }

  /**
   * Users' instances.
   *
   * @return the instance service
   */
  public InstanceService instances() {
    return instances;
  }

  /**
   * The operations that requests started, to observe or await.
   *
   * @return the operation service
   */
  public OperationService operations() {
    return operationService;
  }

  /**
   * The policy plan changes are judged by.
   *
   * @return the upgrade policy
   */
  public UpgradePolicy upgradePolicy() {
    return upgradePolicy;
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
   * The health monitor.
   *
   * @return the monitor
   */
  public HealthMonitor healthMonitor() {
    return healthMonitor;
  }

  /**
   * Removes subscriptions a crashed node left unstarted, then runs every due workflow in batches.
   *
   * @return how many workflows were picked up
   */
  public int runDueWorkflows() {
    store.deleteAbandoned(dsl, clock.instant().minus(DefaultSubscriptionService.HOLD_FOR));
    int total = 0;
    int claimed;
    do {
      claimed = runner.runDue(RUNNER_BATCH);
      total += claimed;
    } while (claimed == RUNNER_BATCH);
    return total;
  }

  /**
   * Queues everything time made due, batch by batch, then runs the due workflows on several
   * threads; and again, until nothing is left: a renewed period may be due again (a node that was
   * down catches up period by period). Memory holds one batch at a time, however many are due.
   *
   * @return how many workflows were queued
   */
  public int renewDue() {
    int total = 0;
    int queued;
    do {
      queued = 0;
      int batch;
      while ((batch = renewals.queueDue(RENEWAL_BATCH)) > 0) {
        queued += batch;
      }
      total += queued;
      runDueInParallel();
    } while (queued > 0);
    return total;
  }

  /**
   * Runs the due workflows on {@link #RENEWAL_THREADS} threads at once, each claiming batches of
   * its own until none is left: a renewal mostly waits for the database and the gateway.
   */
  private void runDueInParallel() {
    List<Future<?>> runs = new ArrayList<>();
    for (int i = 0; i < RENEWAL_THREADS; i++) {
      runs.add(
          renewalRunners.submit(
              () -> {
                while (runner.runDue(RUNNER_BATCH) > 0) {
                  // claim the next batch
                }
              }));
    }
    for (Future<?> run : runs) {
      try {
        run.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException("running due workflows failed", e.getCause());
      }
    }
  }

  /**
   * Runs one round of the instance reconciler: repairs live subscriptions' instances the platform
   * lost or changed, and removes platform instances no live subscription owns.
   *
   * @return what this node did in the round
   */
  public ReconcileReport reconcileInstances() {
    ReconcileReport round = reconciler.runRound();
    reconciled.accumulateAndGet(round, ReconcileReport::plus);
    return round;
  }

  /**
   * What this node's reconciler rounds did so far, summed.
   *
   * @return the totals
   */
  public ReconcileReport reconciledSoFar() {
    return reconciled.get();
  }

  /** Stops the dispatcher's threads and the workflow runner's heartbeats. */
  @Override
  public void close() {
    renewalRunners.shutdownNow();
    dispatcher.close();
    runner.close();
  }
}
