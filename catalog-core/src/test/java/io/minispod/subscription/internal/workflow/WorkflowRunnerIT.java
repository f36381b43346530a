package io.minispod.subscription.internal.workflow;

import static io.minispod.catalog.internal.db.Tables.SUBSCRIPTION;
import static io.minispod.catalog.internal.db.Tables.WORKFLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minispod.ErrorCode;
import io.minispod.catalog.Catalog;
import io.minispod.catalog.Fixtures;
import io.minispod.catalog.PlanDetails;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The workflow runner on its own, with scripted workflow kinds over the real workflow table: the
 * order of steps, retries with back-off, the undo loop, kinds that never undo, the lease fence, and
 * what it does with failures it does not know.
 */
final class WorkflowRunnerIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static final Duration LEASE = Duration.ofMinutes(2);

  /**
   * A heartbeat that never beats within a test: these runners model a node whose heartbeats stall
   * with it, unless a test gives one a real heartbeat.
   */
  private static final Duration STALLED_HEARTBEAT = Duration.ofHours(1);

  private static final Backoff BACKOFF =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 3);

  /** A step outcome a script may ask for. */
  enum Act {
    NEXT,
    FINISH,
    RETRYABLE,
    PERMANENT,
    UNEXPECTED
  }

  /** Failures the scripted kinds throw, classified like the subscription side does. */
  static final class ScriptedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean permanent;

    ScriptedFailure(boolean permanent) {
      super(permanent ? "refused for good" : "try again");
      this.permanent = permanent;
    }
  }

  private static final Function<RuntimeException, StepFailure> CLASSIFY =
      e ->
          e instanceof ScriptedFailure f
              ? new StepFailure(f.permanent, ErrorCode.PAYMENT_FAILED, f.getMessage())
              : null;

  private static QuotaManager quota;
  private static Catalog catalog;
  private static ServiceDefinition service;
  private static PlanDetails plan;

  private final MutableClock clock = MutableClock.at("2026-05-01T10:00:00Z");
  private final WorkflowStore store = new WorkflowStore();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final StepObserver recording =
      new StepObserver() {
        @Override
        public void committed(String kind, String step) {
          events.add("committed " + kind + " " + step);
        }
      };
  private final List<WorkflowRunner> runners = new ArrayList<>();
  private DSLContext dsl;

  @BeforeAll
  static void catalog() {
    quota = QuotaManager.builder(db.dataSource()).reclaimInterval(Duration.ZERO).build();
    catalog = Catalog.builder(db.dataSource(), quota).listenForChanges(false).build();
    catalog.admin().createCategory(Fixtures.category("tools", "Tools", 1));
    service = catalog.admin().createService(Fixtures.service("app", "App", "tools", "An app"));
    plan = catalog.admin().createPlan(service.id(), Fixtures.plan("basic", 1, 1000, 100));
  }

  @AfterAll
  static void close() {
    catalog.close();
    quota.close();
  }

  @AfterEach
  void stopRunners() {
    runners.forEach(WorkflowRunner::close);
  }

  @BeforeEach
  void database() {
    dsl = db.dsl();
    dsl.deleteFrom(WORKFLOW).execute(); // no test's leftovers are due in another's rounds
  }

  @Test
  void runStarted_twoSteps_runInOrderAndSucceed() {
    Scripted kind = new Scripted("TWO_STEPS", true).script("A", Act.NEXT).script("B", Act.FINISH);

    WorkflowRecord started = start(kind, "A");
    runner(kind, "node-1").runStarted(started);

    assertThat(kind.calls).containsExactly("A", "B");
    assertThat(workflow(started).getStatus()).isEqualTo(WorkflowStatus.SUCCEEDED);
    assertThat(events)
        .containsExactly(
            "committed TWO_STEPS null", "committed TWO_STEPS A", "committed TWO_STEPS B");
    assertThat(workflow(started).getErrorMessage()).isEqualTo("finished by node-1 at claim 1");
  }

  @Test
  void nextStep_isHandedTheWorkflowAsTheCommitBeforeItLeftIt() {
    Scripted kind =
        new Scripted("HANDED_ON", true)
            .script("A", Act.NEXT)
            .script("B", Act.PERMANENT)
            .script(WorkflowRunner.UNDO, Act.FINISH);

    WorkflowRecord started = start(kind, "A");
    runner(kind, "node-1").runStarted(started);

    // B is handed what A's commit returned (step B, a fresh lease, no attempts); the undo what
    // B's failure returned (step UNDO, with B's error): each equal to the row as stored then.
    assertThat(kind.handed).containsExactly("A as stored", "B as stored", "UNDO as stored");
    assertThat(workflow(started).getStatus()).isEqualTo(WorkflowStatus.FAILED);
    assertThat(workflow(started).getErrorCode()).isEqualTo(ErrorCode.PAYMENT_FAILED);
  }

  @Test
  void retryableFailure_waitsForItsBackoff_thenAnotherRoundFinishes() {
    Scripted kind = new Scripted("FLAKY", true).script("A", Act.RETRYABLE, Act.FINISH);
    WorkflowRunner runner = runner(kind, "node-1");

    WorkflowRecord started = start(kind, "A");
    runner.runStarted(started);

    WorkflowRecord waiting = workflow(started);
    assertThat(waiting.getStatus()).isEqualTo(WorkflowStatus.RUNNING);
    assertThat(waiting.getAttempts()).isEqualTo(1);
    assertThat(waiting.getLeaseOwner()).isNull();
    assertThat(waiting.getErrorMessage()).isEqualTo("try again");
    assertThat(runner.runDue(10)).as("not due before its back-off").isZero();

    clock.advance(Duration.ofSeconds(2));
    assertThat(runner.runDue(10)).isEqualTo(1);

    assertThat(kind.calls).containsExactly("A", "A");
    assertThat(workflow(started).getStatus()).isEqualTo(WorkflowStatus.SUCCEEDED);
  }

  @Test
  void permanentFailure_handsOverToUndo_andEndsFailedWithItsError() {
    Scripted kind = new Scripted("REFUSED", true).script("A", Act.PERMANENT);

    WorkflowRecord started = start(kind, "A");
    runner(kind, "node-1").runStarted(started);

    assertThat(kind.calls).containsExactly("A", WorkflowRunner.UNDO);
    WorkflowRecord failed = workflow(started);
    assertThat(failed.getStatus()).isEqualTo(WorkflowStatus.FAILED);
    assertThat(failed.getErrorCode()).isEqualTo(ErrorCode.PAYMENT_FAILED);
    assertThat(failed.getErrorMessage()).isEqualTo("refused for good");
  }

  @Test
  void retryableFailure_lastAttempt_isUndone() {
    Scripted kind =
        new Scripted("EXHAUSTED", true).script("A", Act.RETRYABLE, Act.RETRYABLE, Act.RETRYABLE);
    WorkflowRunner runner = runner(kind, "node-1");

    WorkflowRecord started = start(kind, "A");
    runner.runStarted(started);
    for (int round = 0; round < 2; round++) {
      clock.advance(Duration.ofSeconds(10));
      runner.runDue(10);
    }

    assertThat(kind.calls).containsExactly("A", "A", "A", WorkflowRunner.UNDO);
    assertThat(workflow(started).getStatus()).isEqualTo(WorkflowStatus.FAILED);
  }

  @Test
  void failingUndo_isRetriedPastEveryAttemptLimit_untilItSucceeds() {
    Scripted kind =
        new Scripted("STUBBORN_UNDO", true)
            .script("A", Act.PERMANENT)
            .script(
                WorkflowRunner.UNDO,
                Act.PERMANENT,
                Act.RETRYABLE,
                Act.UNEXPECTED,
                Act.PERMANENT,
                Act.FINISH);
    WorkflowRunner runner = runner(kind, "node-1");

    WorkflowRecord started = start(kind, "A");
    runner.runStarted(started);
    for (int round = 0; round < 4; round++) {
      assertThat(workflow(started).getStatus()).isEqualTo(WorkflowStatus.RUNNING);
      clock.advance(Duration.ofSeconds(10));
      runner.runDue(10);
    }

    assertThat(kind.calls).filteredOn(WorkflowRunner.UNDO::equals).hasSize(5);
    assertThat(workflow(started).getStatus()).isEqualTo(WorkflowStatus.FAILED);
  }

  @Test
  void kindThatDoesNotCompensate_permanentFailures_areRetriedNeverUndone() {
    Scripted kind =
        new Scripted("MUST_FINISH", false)
            .script("A", Act.PERMANENT, Act.PERMANENT, Act.PERMANENT, Act.PERMANENT, Act.FINISH);
    WorkflowRunner runner = runner(kind, "node-1");

    WorkflowRecord started = start(kind, "A");
    runner.runStarted(started);
    for (int round = 0; round < 4; round++) {
      clock.advance(Duration.ofSeconds(10));
      runner.runDue(10);
    }

    assertThat(kind.calls).containsExactly("A", "A", "A", "A", "A");
    assertThat(workflow(started).getStatus()).isEqualTo(WorkflowStatus.SUCCEEDED);
  }

  @Test
  void unexpectedException_isRetriedAndUndoneAsInternalError() {
    Scripted kind =
        new Scripted("BUGGY", true).script("A", Act.UNEXPECTED, Act.UNEXPECTED, Act.UNEXPECTED);
    WorkflowRunner runner = runner(kind, "node-1");

    WorkflowRecord started = start(kind, "A");
    runner.runStarted(started);
    for (int round = 0; round < 2; round++) {
      clock.advance(Duration.ofSeconds(10));
      runner.runDue(10);
    }

    WorkflowRecord failed = workflow(started);
    assertThat(failed.getStatus()).isEqualTo(WorkflowStatus.FAILED);
    assertThat(failed.getErrorCode()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    assertThat(failed.getErrorMessage()).isEqualTo("unexpected failure in step A");
  }

  @Test
  void staleNode_whoseLeaseWasTakenOver_changesNothingWhenItCommits() {
    Scripted takeover = new Scripted("CONTESTED", true).script("A", Act.FINISH);
    WorkflowRunner other = runner(takeover, "node-2", StepObserver.NONE);
    // Node 1 stalls inside step A past its lease; node 2 claims the workflow and finishes it.
    Scripted stalled =
        new Scripted("CONTESTED", true)
            .script("A", Act.FINISH)
            .beforeAnswer(
                () -> {
                  clock.advance(LEASE.plusSeconds(1));
                  assertThat(other.runDue(10)).isEqualTo(1);
                });

    WorkflowRecord started = start(stalled, "A");
    runner(stalled, "node-1").runStarted(started);

    assertThat(takeover.calls).containsExactly("A");
    WorkflowRecord done = workflow(started);
    assertThat(done.getStatus()).isEqualTo(WorkflowStatus.SUCCEEDED);
    assertThat(done.getErrorMessage()).isEqualTo("finished by node-2 at claim 2");
    assertThat(stalled.calls).containsExactly("A");
    assertThat(events).containsExactly("committed CONTESTED null");
  }

  @Test
  void slowStep_threeLeasesLong_keepsItsLeaseByHeartbeats_andNobodyClaimsIt() {
    Scripted slow = new Scripted("SLOW", true).script("A", Act.FINISH);
    WorkflowRunner beating = runner(slow, "node-1", recording, Duration.ofMillis(10));
    WorkflowRunner other = runner(new Scripted("SLOW", true), "node-2", StepObserver.NONE);
    WorkflowRecord started = start(slow, "A");
    slow.beforeAnswer(
        () -> {
          // The step takes three leases, in half-lease strides; after each, the heartbeat renews.
          for (int stride = 0; stride < 6; stride++) {
            clock.advance(LEASE.dividedBy(2));
            await()
                .atMost(Duration.ofSeconds(10))
                .until(
                    () ->
                        workflow(started)
                            .getLeaseExpiresAt()
                            .toInstant()
                            .isAfter(clock.instant().plus(LEASE.dividedBy(2))));
            assertThat(other.runDue(10)).as("claims while the step runs").isZero();
          }
        });

    beating.runStarted(started);

    WorkflowRecord done = workflow(started);
    assertThat(done.getStatus()).isEqualTo(WorkflowStatus.SUCCEEDED);
    assertThat(done.getLeaseGeneration()).isEqualTo(1);
    assertThat(done.getErrorMessage()).isEqualTo("finished by node-1 at claim 1");
    assertThat(slow.calls).containsExactly("A");
  }

  @Test
  void sameNode_reclaimingItsOwnExpiredWorkflow_fencesOffItsStalledAttempt() throws Exception {
    // Both attempts run on node-1: only the claim's generation tells the stalled one apart.
    CountDownLatch firstAttemptInStep = new CountDownLatch(1);
    CountDownLatch releaseFirstAttempt = new CountDownLatch(1);
    CountDownLatch secondAttemptInStep = new CountDownLatch(1);
    CountDownLatch releaseSecondAttempt = new CountDownLatch(1);
    Scripted kind =
        new Scripted("RECLAIMED", true)
            .script("A", Act.FINISH, Act.FINISH)
            .pauseInStep(
                List.of(firstAttemptInStep, secondAttemptInStep),
                List.of(releaseFirstAttempt, releaseSecondAttempt));
    WorkflowRunner runner = runner(kind, "node-1");
    WorkflowRecord started = start(kind, "A");
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<?> first = threads.submit(() -> runner.runStarted(started));
      assertThat(firstAttemptInStep.await(10, TimeUnit.SECONDS)).isTrue();
      clock.advance(LEASE.plusSeconds(1));
      Future<Integer> second = threads.submit(() -> runner.runDue(10));
      assertThat(secondAttemptInStep.await(10, TimeUnit.SECONDS)).isTrue();

      releaseFirstAttempt.countDown(); // the stalled attempt wakes while the second still runs
      first.get(10, TimeUnit.SECONDS);
      assertThat(workflow(started).getStatus()).isEqualTo(WorkflowStatus.RUNNING);
      assertThat(workflow(started).getErrorMessage()).isNull();

      releaseSecondAttempt.countDown();
      assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    } finally {
      threads.shutdownNow();
    }
    WorkflowRecord done = workflow(started);
    assertThat(done.getStatus()).isEqualTo(WorkflowStatus.SUCCEEDED);
    assertThat(done.getErrorMessage()).isEqualTo("finished by node-1 at claim 2");
    assertThat(done.getLeaseGeneration()).as("the second claim's token").isEqualTo(2);
    assertThat(kind.calls).containsExactly("A", "A");
  }

  @Test
  void runDue_batchOutlastingItsLease_doesNotStartAWorkflowClaimedAgainMeanwhile()
      throws Exception {
    CountDownLatch firstInStep = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    Scripted kind =
        new Scripted("BATCHED", true)
            .script("A", Act.FINISH, Act.FINISH)
            .pauseInStep(List.of(firstInStep), List.of(releaseFirst));
    WorkflowRecord one = start(kind, "A");
    WorkflowRecord two = start(kind, "A");
    clock.advance(LEASE.plusSeconds(1)); // both left by a node that died
    WorkflowRunner node1 = runner(kind, "node-1");
    Scripted other = new Scripted("BATCHED", true).script("A", Act.FINISH, Act.FINISH);
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> batch = thread.submit(() -> node1.runDue(10));
      assertThat(firstInStep.await(10, TimeUnit.SECONDS)).isTrue();
      // The first of node-1's batch is slow: the batch's leases run out, and node-2 claims both.
      clock.advance(LEASE.plusSeconds(1));
      assertThat(runner(other, "node-2").runDue(10)).isEqualTo(2);

      releaseFirst.countDown();
      assertThat(batch.get(10, TimeUnit.SECONDS)).as("claimed by node-1").isEqualTo(2);
    } finally {
      releaseFirst.countDown();
      thread.shutdownNow();
    }
    assertThat(kind.calls).as("node-1 ran only the first of its batch").containsExactly("A");
    assertThat(other.calls).containsExactly("A", "A");
    for (WorkflowRecord w : List.of(one, two)) {
      assertThat(workflow(w).getStatus()).isEqualTo(WorkflowStatus.SUCCEEDED);
      assertThat(workflow(w).getErrorMessage()).isEqualTo("finished by node-2 at claim 3");
    }
  }

  @Test
  void dispatchedStart_queuedPastItsLease_andClaimedAgain_doesNotRunTwice() throws Exception {
    CountDownLatch firstInStep = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    Scripted kind =
        new Scripted("QUEUED", true)
            .script("A", Act.FINISH, Act.FINISH)
            .pauseInStep(List.of(firstInStep), List.of(releaseFirst));
    WorkflowRunner runner = runner(kind, "node-1");
    WorkflowRecord occupying = start(kind, "A");
    WorkflowRecord queued = start(kind, "A");
    try (WorkflowDispatcher oneThread = new WorkflowDispatcher(runner, 1)) {
      oneThread.dispatch(occupying);
      assertThat(firstInStep.await(10, TimeUnit.SECONDS)).isTrue();
      oneThread.dispatch(queued); // waits behind the first for the only thread
      clock.advance(LEASE.plusSeconds(1));
      // Another node claims both (their leases ran out: node-1's stalled step renews nothing here)
      // and runs them to their end.
      Scripted other = new Scripted("QUEUED", true).script("A", Act.FINISH, Act.FINISH);
      WorkflowRunner node2 = runner(other, "node-2");
      assertThat(node2.runDue(10)).isEqualTo(2);

      releaseFirst.countDown();
      assertThat(oneThread.awaitRun(queued.getWorkflowId(), Duration.ofSeconds(10))).isTrue();

      assertThat(other.calls).containsExactly("A", "A");
      assertThat(kind.calls).as("node-1 never ran the queued start").containsExactly("A");
      assertThat(workflow(queued).getStatus()).isEqualTo(WorkflowStatus.SUCCEEDED);
      assertThat(workflow(queued).getErrorMessage()).isEqualTo("finished by node-2 at claim 2");
    }
  }

  @Test
  void dispatchedStart_runsOnAnotherThread_andWakesItsWaiterWhenItStops() throws Exception {
    CountDownLatch inStep = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Scripted kind =
        new Scripted("BACKGROUND", true)
            .script("A", Act.NEXT)
            .script("B", Act.FINISH)
            .pauseInStep(List.of(inStep), List.of(release));
    WorkflowRecord started = start(kind, "A");
    try (WorkflowDispatcher dispatcher = new WorkflowDispatcher(runner(kind, "node-1"), 2)) {
      dispatcher.dispatch(started);
      assertThat(inStep.await(10, TimeUnit.SECONDS)).isTrue();

      assertThat(dispatcher.awaitRun(started.getWorkflowId(), Duration.ofMillis(50)))
          .as("a run of it is in progress here")
          .isTrue();
      assertThat(workflow(started).getStatus()).isEqualTo(WorkflowStatus.RUNNING);

      release.countDown();
      dispatcher.awaitRun(started.getWorkflowId(), Duration.ofSeconds(10));
      assertThat(workflow(started).getStatus()).isEqualTo(WorkflowStatus.SUCCEEDED);
      assertThat(dispatcher.awaitRun(started.getWorkflowId(), Duration.ofSeconds(10)))
          .as("nothing left to wait for here")
          .isFalse();
    }
    assertThat(kind.calls).containsExactly("A", "B");
  }

  @Test
  void workflowOfAKindNobodyRegistered_isLeftRunningAndTheRoundGoesOn() {
    Scripted known = new Scripted("KNOWN", true).script("A", Act.FINISH);
    WorkflowRecord mystery = start(new Scripted("MYSTERY", true), "A");
    WorkflowRecord ordinary = start(known, "A");
    clock.advance(LEASE.plusSeconds(1));

    assertThat(runner(known, "node-1").runDue(10)).isEqualTo(2);

    assertThat(workflow(mystery).getStatus()).isEqualTo(WorkflowStatus.RUNNING);
    assertThat(workflow(ordinary).getStatus()).isEqualTo(WorkflowStatus.SUCCEEDED);
  }

  // ---------------------------------------------------------------- helpers

  private WorkflowRunner runner(WorkflowKind kind, String nodeId) {
    return runner(kind, nodeId, recording);
  }

  private WorkflowRunner runner(WorkflowKind kind, String nodeId, StepObserver observer) {
    return runner(kind, nodeId, observer, STALLED_HEARTBEAT);
  }

  private WorkflowRunner runner(
      WorkflowKind kind, String nodeId, StepObserver observer, Duration heartbeat) {
    WorkflowRunner runner =
        new WorkflowRunner(
            dsl,
            store,
            List.of(kind),
            CLASSIFY,
            clock,
            nodeId,
            LEASE,
            heartbeat,
            BACKOFF,
            observer);
    runners.add(runner);
    return runner;
  }

  /** Starts a workflow of a fresh subscription, leased to node-1 as a starting call would. */
  private WorkflowRecord start(WorkflowKind kind, String firstStep) {
    UUID subscriptionId = UUID.randomUUID();
    Instant now = clock.instant();
    dsl.insertInto(SUBSCRIPTION)
        .set(SUBSCRIPTION.SUBSCRIPTION_ID, subscriptionId)
        .set(SUBSCRIPTION.USER_ID, "user-" + subscriptionId)
        .set(SUBSCRIPTION.SERVICE_ID, service.id())
        .set(SUBSCRIPTION.PLAN_ID, plan.plan().id())
        .set(SUBSCRIPTION.STATUS, SubscriptionStatus.CANCELLED)
        .set(SUBSCRIPTION.PERIOD_START, now.atOffset(ZoneOffset.UTC))
        .set(SUBSCRIPTION.PERIOD_END, now.plus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC))
        .set(SUBSCRIPTION.AMOUNT_PAID, 0L)
        .set(SUBSCRIPTION.CURRENCY, "IDR")
        .set(SUBSCRIPTION.IDEMPOTENCY_KEY, "key")
        .set(SUBSCRIPTION.VERSION, 0)
        .set(SUBSCRIPTION.CREATED_AT, now.atOffset(ZoneOffset.UTC))
        .set(SUBSCRIPTION.UPDATED_AT, now.atOffset(ZoneOffset.UTC))
        .execute();
    return dsl.transactionResult(
        cfg ->
            store.start(
                cfg.dsl(),
                kind.name(),
                subscriptionId,
                "key",
                null,
                firstStep,
                null,
                null,
                "node-1",
                now,
                LEASE));
  }

  private WorkflowRecord workflow(WorkflowRecord started) {
    return dsl.selectFrom(WORKFLOW)
        .where(WORKFLOW.WORKFLOW_ID.eq(started.getWorkflowId()))
        .fetchSingle();
  }

  /**
   * A kind whose steps act as scripted, one act per call, and record that they were called. A step
   * that finishes the workflow also writes which node finished it, so that a commit that should
   * have been fenced off would show.
   */
  private final class Scripted implements WorkflowKind {
    private final String name;
    private final boolean compensates;
    private final Map<String, Deque<Act>> scripts = new HashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    /** Each call's step, and whether the workflow it was handed is the one stored then. */
    private final List<String> handed = new CopyOnWriteArrayList<>();

    private Runnable beforeAnswer = () -> {};
    private final Deque<CountDownLatch> inStep = new ArrayDeque<>();
    private final Deque<CountDownLatch> release = new ArrayDeque<>();

    Scripted(String name, boolean compensates) {
      this.name = name;
      this.compensates = compensates;
    }

    Scripted script(String step, Act... acts) {
      scripts.put(step, new ArrayDeque<>(List.of(acts)));
      return this;
    }

    /**
     * The n-th call of a step signals the n-th latch of {@code entered}, then waits for its
     * release.
     */
    Scripted pauseInStep(List<CountDownLatch> entered, List<CountDownLatch> released) {
      inStep.addAll(entered);
      release.addAll(released);
      return this;
    }

    Scripted beforeAnswer(Runnable action) {
      this.beforeAnswer = action;
      return this;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Map<String, Step> steps() {
      Map<String, Step> steps = new HashMap<>();
      scripts.keySet().forEach(step -> steps.put(step, w -> act(step, w)));
      return steps;
    }

    @Override
    public Step undo() {
      return w -> act(WorkflowRunner.UNDO, w);
    }

    @Override
    public boolean compensates() {
      return compensates;
    }

    private void pauseIfScripted() {
      CountDownLatch entered;
      CountDownLatch released;
      synchronized (this) {
        entered = inStep.pollFirst();
        released = release.pollFirst();
      }
      if (entered == null) {
        return;
      }
      entered.countDown();
      try {
        if (!released.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("a paused step was never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private StepResult act(String step, WorkflowRecord w) {
      calls.add(step);
      handed.add(step + (w.equals(workflow(w)) ? " as stored" : " stale"));
      Deque<Act> script = scripts.get(step);
      // An undo nobody scripted succeeds at once.
      Act act =
          script == null && step.equals(WorkflowRunner.UNDO) ? Act.FINISH : script.removeFirst();
      beforeAnswer.run();
      pauseIfScripted();
      return switch (act) {
        case NEXT -> StepResult.next((tx, held) -> store.advance(tx, held, "B", LEASE));
        case FINISH ->
            step.equals(WorkflowRunner.UNDO)
                ? StepResult.finish((tx, held) -> store.finish(tx, held, WorkflowStatus.FAILED))
                : StepResult.finish(
                    (tx, held) -> {
                      tx.update(WORKFLOW)
                          .set(
                              WORKFLOW.ERROR_MESSAGE,
                              "finished by " + held.owner() + " at claim " + held.generation())
                          .where(WORKFLOW.WORKFLOW_ID.eq(held.workflowId()))
                          .execute();
                      return store.finish(tx, held, WorkflowStatus.SUCCEEDED);
                    });
        case RETRYABLE -> throw new ScriptedFailure(false);
        case PERMANENT -> throw new ScriptedFailure(true);
        case UNEXPECTED -> throw new IllegalStateException("a bug");
      };
    }
  }
}
