package io.minispod.subscription.internal.workflow;

import io.minispod.DaemonThreads;
import io.minispod.ErrorCode;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs persisted workflows one step at a time, whatever their kind: claims due workflows with a
 * lease, runs a step's outside calls, records its outcome in one transaction fenced by the lease,
 * retries a failed step with back-off, and hands a step that failed for good to its kind's undo
 * step, which is retried until it succeeds.
 *
 * <p>What each step does belongs to its {@link WorkflowKind}; this class knows nothing of
 * subscriptions, payments or provisioning.
 */
public final class WorkflowRunner implements AutoCloseable {

  /** The name of every kind's compensating step. */
  public static final String UNDO = "UNDO";

  private static final Logger log = LoggerFactory.getLogger(WorkflowRunner.class);

  private final DSLContext dsl;
  private final WorkflowStore store;
  private final Map<String, WorkflowKind> kinds;
  private final Function<RuntimeException, StepFailure> failures;
  private final Clock clock;
  private final String nodeId;
  private final Duration lease;
  private final Duration heartbeat;
  private final Backoff backoff;
  private final StepObserver observer;
  private final ScheduledThreadPoolExecutor heartbeats = heartbeatThread();

  /**
   * A runner for the given kinds.
   *
   * @param dsl the database
   * @param store the workflow table
   * @param kinds every kind this runner may meet
   * @param failures tells a step's exception apart: worth a retry, or permanent with its code;
   *     {@code null} for an unexpected one (logged, retried, reported as an internal error)
   * @param clock the clock for leases and retries
   * @param nodeId this node's lease owner name
   * @param lease how long a claim or a step's lease lasts, on {@code clock}
   * @param heartbeat how often, in real time, the lease of a step in progress is renewed; well
   *     below the lease, so that a slow step (a cold image pull) keeps it
   * @param backoff how failed steps are retried
   * @param observer told before and after every commit
   */
  public WorkflowRunner(
      DSLContext dsl,
      WorkflowStore store,
      List<WorkflowKind> kinds,
      Function<RuntimeException, StepFailure> failures,
      Clock clock,
      String nodeId,
      Duration lease,
      Duration heartbeat,
      Backoff backoff,
      StepObserver observer) {
    this.dsl = dsl;
    this.store = store;
    this.kinds = kinds.stream().collect(Collectors.toUnmodifiableMap(WorkflowKind::name, k -> k));
    this.failures = failures;
    this.clock = clock;
    this.nodeId = nodeId;
    this.lease = lease;
    this.heartbeat = heartbeat;
    this.backoff = backoff;
    this.observer = observer;
  }

  /**
   * This node's name as a lease owner.
   *
   * @return the node id
   */
  public String nodeId() {
    return nodeId;
  }

  /**
   * How long a lease lasts.
   *
   * @return the lease
   */
  public Duration lease() {
    return lease;
  }

  /**
   * Tells the observer that a workflow is about to be started (a test may stop the node here).
   *
   * @param kind the workflow's kind
   */
  public void beforeStart(String kind) {
    observer.beforeCommit(kind, null);
  }

  /**
   * Runs a workflow this node has just started (and so holds), from the record it inserted, step
   * after step until it ends, waits for a retry or the lease is lost.
   *
   * @param started the workflow as inserted
   */
  public void runStarted(WorkflowRecord started) {
    observer.committed(started.getKind(), null);
    run(started);
  }

  /**
   * Runs a workflow this node started a while ago, from another thread: only if this node's claim
   * still holds it (a start whose run waited past its lease may have been claimed again), which is
   * renewed first so that the step starts with a whole lease.
   *
   * @param started the workflow as inserted
   * @return whether it ran here
   */
  public boolean runStartedLater(WorkflowRecord started) {
    if (!stillHeld(started)) {
      return false;
    }
    runStarted(started);
    return true;
  }

  /**
   * Renews this node's claim of a workflow it holds but has not started running yet, so that its
   * step starts with a whole lease; false (and nothing to run) when it was claimed again meanwhile.
   */
  private boolean stillHeld(WorkflowRecord claimed) {
    Held held = new Held(claimed.getWorkflowId(), nodeId, claimed.getLeaseGeneration(), now());
    if (!dsl.transactionResult(cfg -> store.renew(cfg.dsl(), held, lease))) {
      log.info(
          "Workflow {} was claimed again before it could run here; its new claim carries it on",
          claimed.getWorkflowId());
      return false;
    }
    return true;
  }

  /**
   * Claims and runs the due workflows of every node, such as those a crashed node left.
   *
   * @param limit how many to claim at most
   * @return how many were claimed
   */
  public int runDue(int limit) {
    List<WorkflowRecord> claimed =
        dsl.transactionResult(cfg -> store.claimDue(cfg.dsl(), nodeId, now(), lease, limit));
    for (WorkflowRecord workflow : claimed) {
      try {
        // The batch shares one claim time: a workflow whose turn comes after its lease ran out
        // (the ones before it were slow) may have been claimed by another node meanwhile.
        if (!stillHeld(workflow)) {
          continue;
        }
        run(workflow);
      } catch (RuntimeException e) {
        log.warn(
            "Workflow {} stopped on an unexpected error; it will be retried",
            workflow.getWorkflowId(),
            e);
      }
    }
    return claimed.size();
  }

  /**
   * Runs a workflow this node has just claimed or started, step after step, while that claim (its
   * generation) still holds it.
   */
  private void run(WorkflowRecord claimed) {
    long generation = claimed.getLeaseGeneration();
    Optional<WorkflowRecord> next = runStep(claimed);
    while (next.isPresent()) {
      WorkflowRecord workflow = next.get();
      if (!heldByThisClaim(workflow, generation)) {
        return;
      }
      next = runStep(workflow);
    }
  }

  private boolean heldByThisClaim(WorkflowRecord w, long generation) {
    return w.getStatus() == WorkflowStatus.RUNNING
        && nodeId.equals(w.getLeaseOwner())
        && w.getLeaseGeneration() == generation
        && w.getLeaseExpiresAt() != null
        && w.getLeaseExpiresAt().toInstant().isAfter(now());
  }

  /**
   * Runs the workflow's current step. Returns the workflow as the step left it when another step
   * follows right away, otherwise empty (it ended, waits for a retry, or the lease was lost).
   */
  private Optional<WorkflowRecord> runStep(WorkflowRecord w) {
    WorkflowKind kind = kind(w);
    StepResult result;
    try {
      result = runWithHeartbeat(step(kind, w.getStep()), w);
    } catch (RuntimeException e) {
      StepFailure failure = failures.apply(e);
      if (failure == null) {
        log.warn("Workflow {} step {} failed unexpectedly", w.getWorkflowId(), w.getStep(), e);
        failure =
            new StepFailure(
                false, ErrorCode.INTERNAL_ERROR, "unexpected failure in step " + w.getStep());
      }
      return failed(w, kind, failure);
    }
    Optional<Held> committed = commit(w, result.record());
    if (committed.isEmpty()) {
      return Optional.empty();
    }
    result.afterCommit().run();
    return result.continues() ? next(committed.get()) : Optional.empty();
  }

  /**
   * The workflow as a committed step left it: as the statement that moved it on returned it, or
   * read again when the step's change moved it some other way.
   */
  private Optional<WorkflowRecord> next(Held held) {
    return held.moved().workflow().or(() -> store.find(dsl, held.workflowId()));
  }

  /**
   * Runs a step's outside calls while renewing its lease every {@code heartbeat}, so that a step
   * slower than the lease keeps it. The renewals stop when the calls return: a node that stalls
   * after them (or whose heartbeats stall with it) loses the lease, and its claim's generation
   * fences off whatever it tries to record later.
   */
  private StepResult runWithHeartbeat(Step step, WorkflowRecord w) {
    ScheduledFuture<?> beating =
        heartbeats.scheduleWithFixedDelay(
            () -> renew(w), heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return step.run(w);
    } finally {
      beating.cancel(false);
    }
  }

  private void renew(WorkflowRecord w) {
    try {
      Held held = new Held(w.getWorkflowId(), nodeId, w.getLeaseGeneration(), now());
      if (!dsl.transactionResult(cfg -> store.renew(cfg.dsl(), held, lease))) {
        log.warn(
            "Workflow {} was claimed again while step {} ran here; its outcome will not be recorded",
            w.getWorkflowId(),
            w.getStep());
      }
    } catch (RuntimeException e) {
      log.warn("Could not renew the lease of workflow {}", w.getWorkflowId(), e);
    }
  }

  private static Step step(WorkflowKind kind, String name) {
    Step step = UNDO.equals(name) ? kind.undo() : kind.steps().get(name);
    if (step == null) {
      throw new IllegalStateException("a workflow of kind " + kind.name() + " has no step " + name);
    }
    return step;
  }

  private WorkflowKind kind(WorkflowRecord w) {
    WorkflowKind kind = kinds.get(w.getKind());
    if (kind == null) {
      throw new IllegalStateException(
          "workflow " + w.getWorkflowId() + " is of kind " + w.getKind() + ", unknown here");
    }
    return kind;
  }

  /**
   * A step failed: try it again later while that may help, otherwise compensate (a failing
   * compensation, or a step of a kind that does not compensate, is always tried again).
   */
  private Optional<WorkflowRecord> failed(
      WorkflowRecord w, WorkflowKind kind, StepFailure failure) {
    int attempts = w.getAttempts() + 1;
    boolean mustFinish = UNDO.equals(w.getStep()) || !kind.compensates();
    if (mustFinish || (!failure.permanent() && backoff.mayRetry(attempts))) {
      Instant next = backoff.next(now(), attempts);
      log.warn(
          "Workflow {} step {} attempt {} failed ({}); retrying at {}",
          w.getWorkflowId(),
          w.getStep(),
          attempts,
          failure.message(),
          next);
      commit(w, (tx, held) -> store.retryLater(tx, held, attempts, next, failure.message()));
      return Optional.empty();
    }
    log.warn(
        "Workflow {} step {} failed for good ({}); undoing",
        w.getWorkflowId(),
        w.getStep(),
        failure.message());
    return commit(w, (tx, held) -> store.undo(tx, held, failure, lease)).flatMap(this::next);
  }

  /**
   * Applies a step's outcome in one transaction fenced by the lease, then tells the observer.
   * Returns the hold it was made under when the lease was still ours (and so the change was made),
   * otherwise empty.
   */
  private Optional<Held> commit(WorkflowRecord w, StepResult.Record outcome) {
    observer.beforeCommit(w.getKind(), w.getStep());
    Held held = new Held(w.getWorkflowId(), nodeId, w.getLeaseGeneration(), now());
    try {
      dsl.transaction(
          cfg -> {
            if (!outcome.apply(cfg.dsl(), held)) {
              throw new LeaseLost();
            }
          });
    } catch (LeaseLost lost) {
      log.warn("Workflow {} lease was lost; another node carries on", w.getWorkflowId());
      return Optional.empty();
    }
    observer.committed(w.getKind(), w.getStep());
    return Optional.of(held);
  }

  /** One daemon thread renews the leases of every step in progress on this node. */
  private static ScheduledThreadPoolExecutor heartbeatThread() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.named("minispod-workflow-heartbeat"));
    // A step's heartbeat is cancelled when the step returns: drop it at once, not at its due time.
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** Stops renewing leases; steps still running lose theirs when it expires. */
  @Override
  public void close() {
    heartbeats.shutdownNow();
  }

  private Instant now() {
    return clock.instant();
  }

  /** Rolls a step's transaction back when the workflow's lease turned out to be lost. */
  private static final class LeaseLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLost() {
      super(null, null, false, false);
    }
  }
}
