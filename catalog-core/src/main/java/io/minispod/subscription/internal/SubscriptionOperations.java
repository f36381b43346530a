package io.minispod.subscription.internal;

import io.minispod.FieldErrors;
import io.minispod.MinisPodException;
import io.minispod.Sha256;
import io.minispod.ValidationException;
import io.minispod.catalog.CatalogNotFoundException;
import io.minispod.catalog.Plan;
import io.minispod.catalog.internal.DatabaseFailures;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.quota.Allocation;
import io.minispod.quota.QuotaExceededException;
import io.minispod.subscription.InsufficientResourcesException;
import io.minispod.subscription.Operation;
import io.minispod.subscription.OperationKind;
import io.minispod.subscription.OperationStatus;
import io.minispod.subscription.PlanQuotaExceededException;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionConflictException;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.subscription.internal.workflow.WorkflowDispatcher;
import io.minispod.subscription.internal.workflow.WorkflowRunner;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import io.minispod.subscription.internal.workflow.WorkflowStore;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * What starting and answering an operation on a subscription share, whichever service starts it:
 * finding the caller's own subscription, starting a workflow in one locking transaction and running
 * it, and telling its outcome (the subscription, or the error that ended the workflow).
 */
final class SubscriptionOperations {

  /**
   * A request a client may retry: the kind of workflow it starts, its idempotency key, and the
   * fingerprint of what it asked, which the key is bound to.
   *
   * @param kind the workflow kind
   * @param key the idempotency key
   * @param fingerprint the SHA-256 of the request's kind and parts
   */
  record Request(String kind, String key, String fingerprint) {

    /** A request of a kind with a key, fingerprinted from its parts. */
    static Request of(String kind, String key, Object... parts) {
      Object[] all = new Object[parts.length + 1];
      all[0] = kind;
      System.arraycopy(parts, 0, all, 1, parts.length);
      return new Request(kind, key, Sha256.fingerprint(all));
    }
  }

  /**
   * The workflow a request led to: one this node has just started (and so must run), or the one an
   * earlier use of its key started.
   *
   * @param subscriptionId the subscription it changes
   * @param request the request
   * @param workflow the workflow as started or found
   * @param startedHere whether this call started it
   */
  record Launch(
      UUID subscriptionId, Request request, WorkflowRecord workflow, boolean startedHere) {}

  private static final int MAX_ID_LENGTH = 150;

  private final DSLContext dsl;
  private final SubscriptionStore store;
  private final WorkflowStore workflows;
  private final WorkflowRunner runner;
  private final WorkflowDispatcher dispatcher;
  private final OperationFailures failures;

  SubscriptionOperations(
      DSLContext dsl,
      SubscriptionStore store,
      WorkflowStore workflows,
      WorkflowRunner runner,
      WorkflowDispatcher dispatcher,
      OperationFailures failures) {
    this.dsl = dsl;
    this.store = store;
    this.workflows = workflows;
    this.runner = runner;
    this.dispatcher = dispatcher;
    this.failures = failures;
  }

  /**
   * The user's subscription, or not found: another user's ids are reported exactly like unknown
   * ones, and so are failed subscriptions, which keep nothing.
   */
  SubscriptionRecord own(String userId, UUID subscriptionId) {
    checkUser(userId);
    if (subscriptionId == null) {
      throw ValidationException.of("subscriptionId", "must be given");
    }
    return read(tx -> store.subscription(tx, subscriptionId))
        .filter(s -> s.getUserId().equals(userId))
        .filter(s -> s.getStatus() != SubscriptionStatus.FAILED)
        .orElseThrow(() -> CatalogNotFoundException.subscription(subscriptionId));
  }

  /**
   * Whether the request already started a workflow of the subscription.
   *
   * @throws SubscriptionConflictException if its key started one for a different request
   */
  boolean started(UUID subscriptionId, Request request) {
    return first(subscriptionId, request).isPresent();
  }

  /**
   * The workflow the request's key started earlier, if any.
   *
   * @throws SubscriptionConflictException if its key started one for a different request
   */
  Optional<WorkflowRecord> first(UUID subscriptionId, Request request) {
    Optional<WorkflowRecord> first =
        workflows.find(dsl, subscriptionId, request.kind(), request.key());
    first.ifPresent(w -> requireSameRequest(subscriptionId, request, w.getRequestFingerprint()));
    return first;
  }

  /**
   * The launch of a request whose key started its workflow earlier, if it did.
   *
   * @throws SubscriptionConflictException if its key started one for a different request
   */
  Optional<Launch> earlier(UUID subscriptionId, Request request) {
    return first(subscriptionId, request).map(w -> new Launch(subscriptionId, request, w, false));
  }

  /**
   * Refuses a request whose key was first used for a different request. A first use recorded before
   * fingerprints were kept ({@code null}) is taken as the same request.
   *
   * @throws SubscriptionConflictException naming the key
   */
  static void requireSameRequest(UUID subscriptionId, Request request, String firstFingerprint) {
    if (firstFingerprint != null && !firstFingerprint.equals(request.fingerprint())) {
      throw new SubscriptionConflictException(
          subscriptionId,
          "idempotency key '" + request.key() + "' was first used for a different request");
    }
  }

  /**
   * Starts a workflow in the caller's transaction, leased to this node so that it runs the first
   * step at once.
   */
  WorkflowRecord start(
      DSLContext tx,
      Request request,
      UUID subscriptionId,
      String firstStep,
      UUID fromPlanId,
      UUID toPlanId,
      Instant now) {
    return workflows.start(
        tx,
        request.kind(),
        subscriptionId,
        request.key(),
        request.fingerprint(),
        firstStep,
        fromPlanId,
        toPlanId,
        runner.nodeId(),
        now,
        runner.lease());
  }

  /** Records on a workflow just started the quota it holds until it commits. */
  WorkflowRecord holdQuota(DSLContext tx, WorkflowRecord started, UUID allocationId) {
    return workflows.holdQuota(tx, started.getWorkflowId(), allocationId);
  }

  /** Tells the runner's observer that a workflow is about to be started (a test may stop here). */
  void beforeStart(String kind) {
    runner.beforeStart(kind);
  }

  /**
   * Runs a launched workflow this node has just started on the caller's thread, and tells what it
   * came to.
   */
  Subscription finishHere(Launch launch) {
    if (launch.startedHere()) {
      runner.runStarted(launch.workflow());
    }
    return outcomeOf(launch.subscriptionId(), launch.request().key(), launch.request().kind());
  }

  /**
   * Hands a launched workflow this node has just started to the dispatcher's threads, and returns
   * its operation at once.
   */
  Operation inBackground(Launch launch) {
    if (launch.startedHere()) {
      dispatcher.dispatch(launch.workflow());
    }
    return operation(launch.workflow());
  }

  /** A workflow as the operation its user follows. */
  Operation operation(WorkflowRecord w) {
    UUID subscriptionId = w.getSubscriptionId();
    return new Operation(
        w.getWorkflowId(),
        OperationKind.valueOf(w.getKind()),
        subscriptionId,
        store.instanceOf(dsl, subscriptionId).map(InstanceRecord::getInstanceId).orElse(null),
        OperationStatus.valueOf(w.getStatus().name()),
        w.getStep(),
        w.getCreatedAt().toInstant(),
        w.getUpdatedAt().toInstant(),
        w.getStatus() == WorkflowStatus.FAILED ? failureOf(w) : null);
  }

  /**
   * Changes a subscription in place, in one transaction, while no operation is in progress on it
   * and it is set up and not ended (active, past due or suspended).
   *
   * @return the subscription as changed
   */
  SubscriptionRecord changeIdle(
      UUID subscriptionId, BiConsumer<DSLContext, SubscriptionRecord> change) {
    return dsl.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          SubscriptionRecord locked = store.lockSubscription(tx, subscriptionId).orElseThrow();
          requireCancellable(tx, locked);
          change.accept(tx, locked);
          return store.subscription(tx, subscriptionId).orElseThrow();
        });
  }

  /** Refuses a change to a subscription that is not active or has an operation in progress. */
  void requireIdle(DSLContext tx, SubscriptionRecord locked) {
    if (locked.getStatus() != SubscriptionStatus.ACTIVE) {
      throw new SubscriptionConflictException(
          locked.getSubscriptionId(),
          "it is " + locked.getStatus() + "; only an active subscription can change");
    }
    requireNoOperation(tx, locked);
  }

  /**
   * Refuses to cancel a subscription that is not live (a pending one is still being set up) or has
   * an operation in progress: an active, past-due or suspended one can be cancelled.
   */
  void requireCancellable(DSLContext tx, SubscriptionRecord locked) {
    if (!locked.getStatus().isLive() || locked.getStatus() == SubscriptionStatus.PENDING) {
      throw new SubscriptionConflictException(
          locked.getSubscriptionId(),
          "it is " + locked.getStatus() + "; only a subscription set up and not ended can cancel");
    }
    requireNoOperation(tx, locked);
  }

  private void requireNoOperation(DSLContext tx, SubscriptionRecord locked) {
    if (workflows.running(tx, locked.getSubscriptionId()).isPresent()) {
      throw new SubscriptionConflictException(
          locked.getSubscriptionId(), "another operation is in progress");
    }
  }

  /**
   * Starts a workflow of an existing subscription in one transaction (which locks the subscription
   * and refuses a second operation in flight); a concurrent first use of the same key for the same
   * request gives the workflow that one started.
   */
  Launch launch(
      UUID subscriptionId,
      Request request,
      Function<DSLContext, WorkflowRecord> start,
      Runnable afterStart) {
    WorkflowRecord workflow;
    try {
      workflow = dsl.transactionResult(cfg -> start.apply(cfg.dsl()));
    } catch (DataAccessException e) {
      String constraint = DatabaseFailures.violatedUnique(e);
      if ("workflow_one_running_per_subscription".equals(constraint)) {
        throw new SubscriptionConflictException(subscriptionId, "another operation is in progress");
      }
      if ("workflow_idempotency_unique".equals(constraint)) {
        return earlier(subscriptionId, request).orElseThrow(() -> DatabaseFailures.internal(e));
      }
      throw DatabaseFailures.internal(e);
    }
    afterStart.run();
    return new Launch(subscriptionId, request, workflow, true);
  }

  /**
   * What a workflow came to, as its caller should see it: the subscription, or the error that ended
   * the workflow. A workflow still running (waiting for a retry, or on another node) gives the
   * subscription as it is now.
   */
  Subscription outcomeOf(UUID subscriptionId, String idempotencyKey, String kind) {
    SubscriptionStore.Current current = store.current(dsl, subscriptionId).orElseThrow();
    SubscriptionRecord s = current.subscription();
    // A subscribe fails exactly when its subscription does; an upgrade or cancel can fail while
    // the subscription stays active, so only those always need their workflow.
    if (!SubscribeWorkflow.KIND.equals(kind) || s.getStatus() == SubscriptionStatus.FAILED) {
      Optional<WorkflowRecord> w = workflows.find(dsl, subscriptionId, kind, idempotencyKey);
      if (w.isPresent() && w.get().getStatus() == WorkflowStatus.FAILED) {
        throw failureOf(w.get());
      }
    }
    return store.view(current);
  }

  /**
   * A subscription as its owner sees it, its service and plan read through the catalog's caches
   * (this runs outside any transaction, so a cache miss may take a connection of its own).
   */
  Subscription view(SubscriptionRecord s) {
    return store.view(dsl, s);
  }

  /** The error a failed workflow ended with, rebuilt with its original type and details. */
  private MinisPodException failureOf(WorkflowRecord failed) {
    return failures.rebuild(
        failed.getSubscriptionId(),
        failed.getErrorCode(),
        failed.getErrorMessage(),
        workflows.errorDetails(dsl, failed.getWorkflowId()));
  }

  /** Translates a refusal of the quota manager into the catalog's error for that pool. */
  static Allocation allocate(Plan plan, Supplier<Allocation> allocation) {
    try {
      return allocation.get();
    } catch (QuotaExceededException e) {
      if (e.poolKey().equals(Plan.poolKey(plan.id()))) {
        throw new PlanQuotaExceededException(plan, e.available(), e.total());
      }
      throw new InsufficientResourcesException(
          QuotaFootprint.resourceName(e.poolKey()), e.requested(), e.available(), e.total());
    }
  }

  /** Runs reads outside any transaction: each statement on its own, in autocommit. */
  <T> T read(Function<DSLContext, T> query) {
    return query.apply(dsl);
  }

  static void checkUser(String userId) {
    FieldErrors errors = new FieldErrors();
    checkId(errors, "userId", userId);
    errors.throwIfAny();
  }

  static void checkId(FieldErrors errors, String field, String value) {
    if (errors.require(value != null && !value.isBlank(), field, "must not be blank")) {
      errors.require(
          value.length() <= MAX_ID_LENGTH,
          field,
          "must be at most " + MAX_ID_LENGTH + " characters, was " + value.length());
      errors.require(
          value.chars().noneMatch(Character::isISOControl),
          field,
          "must not contain control characters");
    }
  }
}
