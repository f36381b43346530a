package io.minispod.subscription;

import io.minispod.billing.BillingService;
import io.minispod.catalog.Catalog;
import io.minispod.provisioner.Provisioner;
import io.minispod.provisioner.ResourceLimits;
import io.minispod.subscription.internal.SubscriptionEngine;
import io.minispod.subscription.internal.workflow.Backoff;
import io.minispod.subscription.internal.workflow.StepObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Configures {@link Subscriptions}; every setting has a ready default. */
public final class SubscriptionsBuilder {

  /**
   * How long a node keeps a user's limit ({@link UserLimits}) before it asks again and moves the
   * user's pools to the answer, on the builder's {@link #clock}: a changed limit takes effect on
   * every node within this time.
   */
  public static final Duration USER_LIMITS_REFRESH = Duration.ofMinutes(1);

  private final Catalog catalog;
  private final BillingService billing;
  private final Provisioner provisioner;
  private Clock clock = Clock.systemUTC();
  private UpgradePolicy upgradePolicy = new UpgradeOnlyPolicy();
  private AlertSink alertSink = AlertSink.LOGGING;
  private CancellationPolicy cancellationPolicy = CancellationPolicy.NO_REFUND;
  private DunningPolicy dunningPolicy = DunningPolicy.standard();
  private Duration renewalInterval = Duration.ofMinutes(1);
  private long instancesPerUser = 10;
  private long cpuMillicoresPerUser = UserLimit.UNLIMITED;
  private long memoryMiBPerUser = UserLimit.UNLIMITED;
  private long storageGiBPerUser = UserLimit.UNLIMITED;
  private UserLimits userLimits;
  private ResourceLimits clusterCapacity = new ResourceLimits(64_000, 262_144, 10_000);
  private Duration workflowLease = Duration.ofMinutes(2);
  private Duration workflowHeartbeat;
  private Duration runnerInterval = Duration.ofSeconds(5);
  private int workflowThreads = 16;
  private Backoff backoff = Backoff.DEFAULT;
  private Duration healthCheckInterval = Duration.ofMinutes(1);
  private Duration reconcileInterval = Duration.ofMinutes(5);
  private Duration backupInterval = Duration.ofHours(24);
  private int backupsKept = 7;
  private int healthThreshold = 3;
  private double usageAlertRatio = 0.9;
  private StepObserver observer = StepObserver.NONE;

  SubscriptionsBuilder(Catalog catalog, BillingService billing, Provisioner provisioner) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.billing = Objects.requireNonNull(billing, "billing");
    this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
  }

  /**
   * The clock for periods, leases, retries and health rounds. Default: the system clock in UTC.
   *
   * @param clock the clock
   * @return this builder
   */
  public SubscriptionsBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Which plan changes are allowed. Default: {@link UpgradeOnlyPolicy}.
   *
   * @param policy the policy
   * @return this builder
   */
  public SubscriptionsBuilder upgradePolicy(UpgradePolicy policy) {
    this.upgradePolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Where health alerts go. Default: {@link AlertSink#LOGGING}.
   *
   * @param sink the sink
   * @return this builder
   */
  public SubscriptionsBuilder alertSink(AlertSink sink) {
    this.alertSink = Objects.requireNonNull(sink, "sink");
    return this;
  }

  /**
   * What a cancellation refunds. Default: {@link CancellationPolicy#NO_REFUND}.
   *
   * @param policy the policy
   * @return this builder
   */
  public SubscriptionsBuilder cancellationPolicy(CancellationPolicy policy) {
    this.cancellationPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * When a declined renewal is tried again and how long a suspended subscription is kept. Default:
   * {@link DunningPolicy#standard()} (retries after 1, 3 and 7 days; 14 days of suspension).
   *
   * @param policy the policy
   * @return this builder
   */
  public SubscriptionsBuilder dunningPolicy(DunningPolicy policy) {
    this.dunningPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /**
   * How often {@link Subscriptions#start() the background work} looks for subscriptions that time
   * made due (periods to renew, retries of declined renewals, cancels at period end, suspensions
   * whose grace ran out) and runs their workflows. Default: 1 minute.
   *
   * @param interval positive
   * @return this builder
   */
  public SubscriptionsBuilder renewalInterval(Duration interval) {
    this.renewalInterval = positive(interval, "renewal interval");
    return this;
  }

  /**
   * How many live instances one user may have (the quota pool {@code user:<id>:instances}), unless
   * {@link #userLimits} is set. Default: 10.
   *
   * @param limit at least 1, or {@link UserLimit#UNLIMITED}
   * @return this builder
   * @throws IllegalArgumentException if below 1
   */
  public SubscriptionsBuilder instancesPerUser(long limit) {
    this.instancesPerUser = perUser(limit, "instances per user");
    return this;
  }

  /**
   * How much CPU one user's live instances may take in all, in millicores (the quota pool {@code
   * user:<id>:cpu-millicores}), unless {@link #userLimits} is set. Default: {@link
   * UserLimit#UNLIMITED}, no pool.
   *
   * @param limit at least 1, or {@link UserLimit#UNLIMITED}
   * @return this builder
   * @throws IllegalArgumentException if below 1
   */
  public SubscriptionsBuilder cpuMillicoresPerUser(long limit) {
    this.cpuMillicoresPerUser = perUser(limit, "CPU millicores per user");
    return this;
  }

  /**
   * How much memory one user's live instances may take in all, in MiB (the quota pool {@code
   * user:<id>:memory-mib}), unless {@link #userLimits} is set. Default: {@link
   * UserLimit#UNLIMITED}, no pool.
   *
   * @param limit at least 1, or {@link UserLimit#UNLIMITED}
   * @return this builder
   * @throws IllegalArgumentException if below 1
   */
  public SubscriptionsBuilder memoryMiBPerUser(long limit) {
    this.memoryMiBPerUser = perUser(limit, "memory MiB per user");
    return this;
  }

  /**
   * How much storage one user's live instances may take in all, in GiB (the quota pool {@code
   * user:<id>:storage-gib}), unless {@link #userLimits} is set. Default: {@link
   * UserLimit#UNLIMITED}, no pool.
   *
   * @param limit at least 1, or {@link UserLimit#UNLIMITED}
   * @return this builder
   * @throws IllegalArgumentException if below 1
   */
  public SubscriptionsBuilder storageGiBPerUser(long limit) {
    this.storageGiBPerUser = perUser(limit, "storage GiB per user");
    return this;
  }

  /**
   * What each user may hold, user by user: replaces the same limit for everyone that {@link
   * #instancesPerUser}, {@link #cpuMillicoresPerUser}, {@link #memoryMiBPerUser} and {@link
   * #storageGiBPerUser} configure, which are then ignored. Each node asks it at most once per user
   * per {@link #USER_LIMITS_REFRESH}. Default: {@link UserLimits#uniform} of those settings.
   *
   * @param limits the host's limits
   * @return this builder
   */
  public SubscriptionsBuilder userLimits(UserLimits limits) {
    this.userLimits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /**
   * What the cluster can hold in all: the quota pools {@code cluster:cpu-millicores}, {@code
   * cluster:memory-mib} and {@code cluster:storage-gib}. Default: 64 cores, 256 GiB of memory,
   * 10,000 GiB of storage.
   *
   * @param capacity the cluster's capacity
   * @return this builder
   */
  public SubscriptionsBuilder clusterCapacity(ResourceLimits capacity) {
    this.clusterCapacity = Objects.requireNonNull(capacity, "capacity");
    return this;
  }

  /**
   * How long a node's claim of a workflow lasts without a heartbeat: a step in progress renews it
   * (see {@link #workflowHeartbeat}), so a slow step keeps it; a node that dies or stalls loses it
   * after this long, and another node takes the workflow over. Default: 2 minutes.
   *
   * @param lease the lease
   * @return this builder
   */
  public SubscriptionsBuilder workflowLease(Duration lease) {
    this.workflowLease = positive(lease, "workflow lease");
    return this;
  }

  /**
   * How often a step in progress renews its workflow's lease, in real time. Default: a third of the
   * lease. It must be well below the lease.
   *
   * @param interval the pause between two renewals
   * @return this builder
   */
  public SubscriptionsBuilder workflowHeartbeat(Duration interval) {
    this.workflowHeartbeat = positive(interval, "workflow heartbeat");
    return this;
  }

  /**
   * How many workflows this node runs at once for the {@code start…} calls, which return before
   * their workflow ends (further starts queue; a start that waits past its lease is claimed by a
   * workflow runner instead). Each such run holds a database connection only while it records a
   * step. Default: 16.
   *
   * @param threads at least 1
   * @return this builder
   */
  public SubscriptionsBuilder workflowThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("workflow threads must be at least 1, was " + threads);
    }
    this.workflowThreads = threads;
    return this;
  }

  /**
   * How often {@link Subscriptions#start()} looks for due workflows. Default: 5 seconds.
   *
   * @param interval the pause between two rounds
   * @return this builder
   */
  public SubscriptionsBuilder workflowRunnerInterval(Duration interval) {
    this.runnerInterval = positive(interval, "workflow runner interval");
    return this;
  }

  /**
   * How often {@link Subscriptions#start()} runs a round of the instance reconciler (see {@link
   * Subscriptions#reconcileInstances()}); an instance is handled by one node per round. Default: 5
   * minutes.
   *
   * @param interval the pause between two rounds
   * @return this builder
   */
  public SubscriptionsBuilder reconcileInterval(Duration interval) {
    this.reconcileInterval = positive(interval, "reconcile interval");
    return this;
  }

  /**
   * How often an instance is backed up when its plan's {@code features.backups} is {@code true}; a
   * plan that names its schedule ({@code "hourly"}, {@code "daily"}, {@code "weekly"}, {@code
   * "monthly"}) keeps it. Scheduled backups are taken by the instance reconciler's rounds, so at
   * most one {@link #reconcileInterval reconcile interval} late (see {@code docs/backups.md}).
   * Default: 24 hours.
   *
   * @param interval a positive duration
   * @return this builder
   */
  public SubscriptionsBuilder backupInterval(Duration interval) {
    this.backupInterval = positive(interval, "backup interval");
    return this;
  }

  /**
   * How many backups of each instance are kept: the provisioner deletes the oldest beyond this many
   * after each backup. Default: 7.
   *
   * @param kept at least 1
   * @return this builder
   */
  public SubscriptionsBuilder backupsKept(int kept) {
    if (kept < 1) {
      throw new IllegalArgumentException("backups kept must be at least 1, was " + kept);
    }
    this.backupsKept = kept;
    return this;
  }

  /**
   * How a failed step is retried: the first pause, the longest pause, and the attempts a step gets
   * before it is compensated. Default: 2 seconds, 5 minutes, 6 attempts.
   *
   * @param first the pause after the first failure
   * @param max the longest pause
   * @param attempts attempts per step, at least 1
   * @return this builder
   */
  public SubscriptionsBuilder retries(Duration first, Duration max, int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
    this.backoff =
        new Backoff(positive(first, "first pause"), positive(max, "longest pause"), attempts);
    return this;
  }

  /**
   * How often each instance is health-checked, and after how many results in a row it changes
   * between running and degraded (and after how many checks in a row with usage above {@link
   * #usageAlertRatio} it is recommended an upgrade). Default: every minute, 3 in a row.
   *
   * @param interval the pause between two checks of one instance
   * @param threshold results in a row, at least 1
   * @return this builder
   */
  public SubscriptionsBuilder healthChecks(Duration interval, int threshold) {
    if (threshold < 1) {
      throw new IllegalArgumentException("health threshold must be at least 1, was " + threshold);
    }
    this.healthCheckInterval = positive(interval, "health check interval");
    this.healthThreshold = threshold;
    return this;
  }

  /**
   * The share of a plan's CPU, memory or storage above which the health monitor alerts with an
   * upgrade suggestion, and which, exceeded for the health threshold's number of checks in a row,
   * gives the instance an upgrade recommendation ({@link Instance#recommendation()}). Default: 0.9.
   *
   * @param ratio above 0 and at most 1
   * @return this builder
   */
  public SubscriptionsBuilder usageAlertRatio(double ratio) {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("usage alert ratio must be in (0, 1], was " + ratio);
    }
    this.usageAlertRatio = ratio;
    return this;
  }

  /** Lets this package's tests stop a node between two steps. */
  SubscriptionsBuilder observer(StepObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    return this;
  }

  /**
   * Builds the services and defines the cluster's quota pools (or moves them to the configured
   * capacity where usage allows).
   *
   * @return the subscriptions; call {@link Subscriptions#start()} to run the background work
   */
  public Subscriptions build() {
    Duration heartbeat = workflowHeartbeat == null ? workflowLease.dividedBy(3) : workflowHeartbeat;
    if (heartbeat.compareTo(workflowLease) >= 0) {
      throw new IllegalArgumentException(
          "workflow heartbeat must be shorter than the lease "
              + workflowLease
              + ", was "
              + heartbeat);
    }
    return new Subscriptions(
        new SubscriptionEngine(
            new SubscriptionEngine.Settings(
                catalog.dataSource(),
                catalog.port(),
                catalog.quotaManager(),
                billing,
                provisioner,
                clock,
                upgradePolicy,
                cancellationPolicy,
                dunningPolicy,
                alertSink,
                userLimits != null
                    ? userLimits
                    : UserLimits.uniform(
                        new UserLimit(
                            instancesPerUser,
                            cpuMillicoresPerUser,
                            memoryMiBPerUser,
                            storageGiBPerUser)),
                USER_LIMITS_REFRESH,
                clusterCapacity,
                workflowLease,
                heartbeat,
                workflowThreads,
                backoff,
                reconcileInterval,
                backupInterval,
                backupsKept,
                healthCheckInterval,
                healthThreshold,
                usageAlertRatio,
                observer)),
        runnerInterval,
        reconcileInterval,
        renewalInterval);
  }

  private static long perUser(long limit, String what) {
    if (limit < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, was " + limit);
    }
    return limit;
  }

  private static Duration positive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + duration);
    }
    return duration;
  }
}
