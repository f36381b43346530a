package io.minispod.subscription.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.minispod.ErrorCode;
import io.minispod.FieldErrors;
import io.minispod.MinisPodException;
import io.minispod.ValidationException;
import io.minispod.billing.BillingPeriod;
import io.minispod.billing.BillingService;
import io.minispod.catalog.CatalogNotFoundException;
import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.Plan;
import io.minispod.catalog.ServiceStructure;
import io.minispod.catalog.internal.DatabaseFailures;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.quota.Allocation;
import io.minispod.quota.AllocationRequest;
import io.minispod.quota.PoolAvailability;
import io.minispod.quota.QuotaExceededException;
import io.minispod.quota.QuotaItem;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.DuplicateSubscriptionException;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.InsufficientResourcesException;
import io.minispod.subscription.InvalidPlanException;
import io.minispod.subscription.PlanQuotaExceededException;
import io.minispod.subscription.QuotaPools;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionConflictException;
import io.minispod.subscription.SubscriptionService;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.subscription.UpgradeDecision;
import io.minispod.subscription.UpgradeOption;
import io.minispod.subscription.UpgradePolicy;
import io.minispod.subscription.UpgradeService;
import io.minispod.subscription.internal.workflow.WorkflowRunner;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import io.minispod.subscription.internal.workflow.WorkflowStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/** Starts subscribe, upgrade and cancel workflows and runs them on the caller's thread. */
final class DefaultSubscriptionService implements SubscriptionService, UpgradeService {

  private static final int MAX_ID_LENGTH = 150;

  /**
   * How long quota is held between its allocation and the transaction that keeps it; if the node
   * dies in between, the quota manager reclaims the hold and the workflow runner removes the
   * unstarted subscription after this long.
   */
  static final Duration HOLD_FOR = Duration.ofMinutes(5);

  /**
   * Users whose instance pool this node has already defined (bounded; a miss only costs a query).
   */
  private final Cache<String, Boolean> userPools =
      Caffeine.newBuilder().maximumSize(100_000).build();

  private final DSLContext dsl;
  private final CatalogPort catalog;
  private final SubscriptionStore store;
  private final WorkflowStore workflows;
  private final WorkflowRunner runner;
  private final QuotaFootprint footprint;
  private final QuotaManager quota;
  private final BillingService billing;
  private final UpgradePolicy policy;
  private final Clock clock;
  private final long instancesPerUser;

  DefaultSubscriptionService(
      DSLContext dsl,
      CatalogPort catalog,
      SubscriptionStore store,
      WorkflowStore workflows,
      WorkflowRunner runner,
      QuotaFootprint footprint,
      QuotaManager quota,
      BillingService billing,
      UpgradePolicy policy,
      Clock clock,
      long instancesPerUser) {
    this.dsl = dsl;
    this.catalog = catalog;
    this.store = store;
    this.workflows = workflows;
    this.runner = runner;
    this.footprint = footprint;
    this.quota = quota;
    this.billing = billing;
    this.policy = policy;
    this.clock = clock;
    this.instancesPerUser = instancesPerUser;
  }

  // ---------------------------------------------------------------- subscribe

  @Override
  public Subscription subscribe(
      String userId, String serviceSlug, String planSlug, String idempotencyKey) {
    FieldErrors errors = new FieldErrors();
    checkId(errors, "userId", userId);
    checkId(errors, "serviceSlug", serviceSlug);
    checkId(errors, "planSlug", planSlug);
    checkId(errors, "idempotencyKey", idempotencyKey);
    errors.throwIfAny();

    Optional<SubscriptionRecord> earlier =
        read(tx -> store.byIdempotencyKey(tx, userId, idempotencyKey));
    if (earlier.isPresent()) {
      return outcomeOf(earlier.get().getSubscriptionId(), idempotencyKey, SubscribeWorkflow.KIND);
    }
    ServiceStructure service = activeService(serviceSlug);
    Plan plan =
        service.plans().stream()
            .filter(p -> p.slug().equals(planSlug))
            .findFirst()
            .orElseThrow(
                () ->
                    new InvalidPlanException(
                        serviceSlug, planSlug, InvalidPlanException.UNKNOWN_PLAN));
    if (!plan.active()) {
      throw new InvalidPlanException(serviceSlug, planSlug, UpgradeDecision.INACTIVE_PLAN);
    }
    UUID subscriptionId = UUID.randomUUID();
    Instant now = clock.instant();
    BillingPeriod period = billing.cycleStartingAt(now, plan.price().interval()).period(0);
    List<QuotaItem> items = footprint.items(userId, plan);
    // 1. Claim the service for the user: the subscription row's unique index settles concurrent
    //    duplicates at once, before any quota is touched.
    try {
      store.insertSubscription(dsl, subscriptionId, userId, plan, period, idempotencyKey, now);
    } catch (DataAccessException e) {
      if ("subscription_one_live_per_service".equals(DatabaseFailures.violatedUnique(e))) {
        throw duplicate(
            read(tx -> store.liveSubscription(tx, userId, plan.serviceId()))
                .orElseThrow(() -> DatabaseFailures.internal(e)),
            service);
      }
      if ("subscription_idempotency_unique".equals(DatabaseFailures.violatedUnique(e))) {
        return outcomeOf(
            read(tx -> store.byIdempotencyKey(tx, userId, idempotencyKey))
                .orElseThrow()
                .getSubscriptionId(),
            idempotencyKey,
            SubscribeWorkflow.KIND);
      }
      throw DatabaseFailures.internal(e);
    }
    // 2. Hold the quota through the quota manager's combining path: the cluster pools are shared
    //    by every subscription, and combined requests share one transaction (and one lock of
    //    those rows) instead of queueing on them one by one.
    WorkflowRecord workflow;
    Allocation hold = null;
    try {
      ensureUserPool(userId);
      hold =
          allocate(
              plan,
              () ->
                  quota.allocate(
                      new AllocationRequest(
                          userId, "subscription:" + subscriptionId, items, HOLD_FOR)));
      // 3. Keep the hold and start the workflow, in one transaction.
      UUID allocationId = hold.id();
      runner.beforeStart(SubscribeWorkflow.KIND);
      workflow =
          dsl.transactionResult(
              cfg -> {
                DSLContext tx = cfg.dsl();
                quota.inTransaction(tx).confirm(allocationId);
                if (!store.attachAllocation(tx, subscriptionId, allocationId)) {
                  throw new SubscriptionConflictException(
                      subscriptionId, "it was abandoned before its quota was confirmed");
                }
                return workflows.start(
                    tx,
                    SubscribeWorkflow.KIND,
                    subscriptionId,
                    idempotencyKey,
                    SubscribeWorkflow.CHARGE,
                    null,
                    plan.id(),
                    runner.nodeId(),
                    now,
                    runner.lease());
              });
    } catch (RuntimeException e) {
      // Refused or failed before the workflow existed: give everything back, keep no record.
      if (hold != null) {
        quota.release(hold.id());
      }
      store.deleteUnstarted(dsl, subscriptionId);
      throw e instanceof DataAccessException d ? DatabaseFailures.internal(d) : e;
    }
    catalog.quotaChanged(List.of(plan.id()));
    runner.runStarted(workflow);
    return outcomeOf(subscriptionId, idempotencyKey, SubscribeWorkflow.KIND);
  }

  private DuplicateSubscriptionException duplicate(
      SubscriptionRecord live, ServiceStructure service) {
    Subscription existing = read(tx -> store.view(tx, live));
    List<Plan> options =
        service.activePlans().stream()
            .filter(p -> policy.evaluate(existing.plan(), p).allowed())
            .toList();
    return new DuplicateSubscriptionException(existing, options);
  }

  /** Translates a refusal of the quota manager into the catalog's error for that pool. */
  private static Allocation allocate(Plan plan, Supplier<Allocation> allocation) {
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

  private void ensureUserPool(String userId) {
    userPools.get(
        userId,
        id -> {
          QuotaFootprint.ensurePool(quota, QuotaPools.userInstances(id), instancesPerUser);
          return Boolean.TRUE;
        });
  }

  // ---------------------------------------------------------------- reads

  @Override
  public List<Subscription> subscriptions(String userId) {
    checkUser(userId);
    return read(tx -> List.copyOf(store.views(tx, store.subscriptionsOf(tx, userId)).values()));
  }

  @Override
  public Subscription subscription(String userId, UUID subscriptionId) {
    SubscriptionRecord s = own(userId, subscriptionId);
    return read(tx -> store.view(tx, s));
  }

  /**
   * The user's subscription, or not found: another user's ids are reported exactly like unknown
   * ones, and so are failed subscriptions, which keep nothing.
   */
  private SubscriptionRecord own(String userId, UUID subscriptionId) {
    checkUser(userId);
    if (subscriptionId == null) {
      throw ValidationException.of("subscriptionId", "must be given");
    }
    return read(tx -> store.subscription(tx, subscriptionId))
        .filter(s -> s.getUserId().equals(userId))
        .filter(s -> s.getStatus() != SubscriptionStatus.FAILED)
        .orElseThrow(() -> CatalogNotFoundException.subscription(subscriptionId));
  }

  // ---------------------------------------------------------------- upgrade

  @Override
  public List<UpgradeOption> options(String userId, UUID subscriptionId) {
    SubscriptionRecord s = own(userId, subscriptionId);
    ServiceStructure service = catalog.service(s.getServiceId());
    Plan current = catalog.plan(s.getServiceId(), s.getPlanId());
    BillingPeriod period =
        new BillingPeriod(s.getPeriodStart().toInstant(), s.getPeriodEnd().toInstant());
    Instant now = clock.instant();
    List<Plan> allowed =
        service.activePlans().stream().filter(p -> policy.evaluate(current, p).allowed()).toList();
    Map<UUID, PoolAvailability> availability = new HashMap<>();
    if (!allowed.isEmpty()) {
      quota
          .availability(allowed.stream().map(p -> Plan.poolKey(p.id())).toList())
          .forEach(
              a -> availability.put(UUID.fromString(a.poolKey().substring("plan:".length())), a));
    }
    Instant changeAt = period.contains(now) ? now : period.start();
    return allowed.stream()
        .map(
            p ->
                new UpgradeOption(
                    p,
                    billing.quoteUpgrade(
                        userId, subscriptionId.toString(), period, p.price().amount(), changeAt),
                    availability.get(p.id()).available()))
        .toList();
  }

  @Override
  public Subscription upgrade(
      String userId, UUID subscriptionId, String targetPlanSlug, String idempotencyKey) {
    FieldErrors errors = new FieldErrors();
    checkId(errors, "planSlug", targetPlanSlug);
    checkId(errors, "idempotencyKey", idempotencyKey);
    errors.throwIfAny();
    SubscriptionRecord s = own(userId, subscriptionId);
    if (read(tx -> workflows.find(tx, subscriptionId, UpgradeWorkflow.KIND, idempotencyKey))
        .isPresent()) {
      return outcomeOf(subscriptionId, idempotencyKey, UpgradeWorkflow.KIND);
    }
    ServiceStructure service = catalog.service(s.getServiceId());
    Plan current = catalog.plan(s.getServiceId(), s.getPlanId());
    Plan target =
        service.plans().stream()
            .filter(p -> p.slug().equals(targetPlanSlug))
            .findFirst()
            .orElseThrow(
                () ->
                    new InvalidPlanException(
                        service.definition().slug(),
                        targetPlanSlug,
                        InvalidPlanException.UNKNOWN_PLAN));
    UpgradeDecision decision = policy.evaluate(current, target);
    if (!decision.allowed()) {
      throw new InvalidPlanException(
          service.definition().slug(), targetPlanSlug, decision.reason());
    }
    List<QuotaItem> targetItems = footprint.items(userId, target);
    return startAndRun(
        subscriptionId,
        UpgradeWorkflow.KIND,
        idempotencyKey,
        tx -> {
          SubscriptionRecord locked = store.lockSubscription(tx, subscriptionId).orElseThrow();
          requireIdle(tx, locked);
          if (!locked.getPlanId().equals(current.id())) {
            throw new SubscriptionConflictException(
                subscriptionId, "its plan changed while the upgrade was being prepared");
          }
          allocate(
              target, () -> quota.inTransaction(tx).swap(locked.getAllocationId(), targetItems));
          return workflows.start(
              tx,
              UpgradeWorkflow.KIND,
              subscriptionId,
              idempotencyKey,
              UpgradeWorkflow.CHARGE,
              current.id(),
              target.id(),
              runner.nodeId(),
              clock.instant(),
              runner.lease());
        },
        () -> catalog.quotaChanged(List.of(current.id(), target.id())));
  }

  /** Refuses a change to a subscription that is not active or has an operation in progress. */
  private void requireIdle(DSLContext tx, SubscriptionRecord locked) {
    if (locked.getStatus() != SubscriptionStatus.ACTIVE) {
      throw new SubscriptionConflictException(
          locked.getSubscriptionId(),
          "it is " + locked.getStatus() + "; only an active subscription can change");
    }
    if (workflows.running(tx, locked.getSubscriptionId()).isPresent()) {
      throw new SubscriptionConflictException(
          locked.getSubscriptionId(), "another operation is in progress");
    }
  }

  // ---------------------------------------------------------------- cancel

  @Override
  public Subscription cancel(String userId, UUID subscriptionId) {
    SubscriptionRecord s = own(userId, subscriptionId);
    String key = "cancel";
    if (read(tx -> workflows.find(tx, subscriptionId, CancelWorkflow.KIND, key)).isPresent()) {
      return outcomeOf(subscriptionId, key, CancelWorkflow.KIND);
    }
    return startAndRun(
        subscriptionId,
        CancelWorkflow.KIND,
        key,
        tx -> {
          SubscriptionRecord locked =
              store.lockSubscription(tx, s.getSubscriptionId()).orElseThrow();
          requireIdle(tx, locked);
          store
              .instanceOf(tx, subscriptionId)
              .ifPresent(
                  i ->
                      store.moveInstance(
                          tx,
                          i.getInstanceId(),
                          InstanceStatus.DEPROVISIONING,
                          "cancelled by its user",
                          clock.instant()));
          return workflows.start(
              tx,
              CancelWorkflow.KIND,
              subscriptionId,
              key,
              CancelWorkflow.DEPROVISION,
              locked.getPlanId(),
              null,
              runner.nodeId(),
              clock.instant(),
              runner.lease());
        },
        () -> {});
  }

  /**
   * Starts a workflow of an existing subscription in one transaction (which locks the subscription
   * and refuses a second operation in flight), then runs it on this thread.
   */
  private Subscription startAndRun(
      UUID subscriptionId,
      String kind,
      String idempotencyKey,
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
        return outcomeOf(subscriptionId, idempotencyKey, kind);
      }
      throw DatabaseFailures.internal(e);
    }
    afterStart.run();
    runner.runStarted(workflow);
    return outcomeOf(subscriptionId, idempotencyKey, kind);
  }

  // ---------------------------------------------------------------- outcomes

  /**
   * What a workflow came to, as its caller should see it: the subscription, or the error that ended
   * the workflow. A workflow still running (waiting for a retry, or on another node) gives the
   * subscription as it is now.
   */
  private Subscription outcomeOf(UUID subscriptionId, String idempotencyKey, String kind) {
    SubscriptionRecord s = store.subscription(dsl, subscriptionId).orElseThrow();
    // A subscribe fails exactly when its subscription does; an upgrade or cancel can fail while
    // the subscription stays active, so only those always need their workflow.
    if (!SubscribeWorkflow.KIND.equals(kind) || s.getStatus() == SubscriptionStatus.FAILED) {
      Optional<WorkflowRecord> w = workflows.find(dsl, subscriptionId, kind, idempotencyKey);
      if (w.isPresent() && w.get().getStatus() == WorkflowStatus.FAILED) {
        throw failure(subscriptionId, w.get().getErrorCode(), w.get().getErrorMessage());
      }
    }
    return view(s);
  }

  /**
   * A subscription as its owner sees it, its service and plan read through the catalog's caches
   * (this runs outside any transaction, so a cache miss may take a connection of its own).
   */
  private Subscription view(SubscriptionRecord s) {
    return store.view(dsl, s);
  }

  private static MinisPodException failure(UUID subscriptionId, ErrorCode code, String message) {
    return new MinisPodException(
        code, message, Map.of("subscriptionId", subscriptionId.toString()));
  }

  // ---------------------------------------------------------------- helpers

  private ServiceStructure activeService(String slug) {
    return catalog.activeService(slug).orElseThrow(() -> CatalogNotFoundException.service(slug));
  }

  /** Runs reads outside any transaction: each statement on its own, in autocommit. */
  private <T> T read(Function<DSLContext, T> query) {
    return query.apply(dsl);
  }

  private static void checkUser(String userId) {
    FieldErrors errors = new FieldErrors();
    checkId(errors, "userId", userId);
    errors.throwIfAny();
  }

  private static void checkId(FieldErrors errors, String field, String value) {
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
