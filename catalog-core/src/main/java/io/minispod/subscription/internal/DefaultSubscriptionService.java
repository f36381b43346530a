package io.minispod.catalog;

import io.minispod.ErrorCode;
import io.minispod.FieldErrors;
import io.minispod.MinisPodException;
import io.minispod.billing.BillingInterval;
import io.minispod.billing.BillingPeriod;
import io.minispod.billing.Money;
import io.minispod.catalog.SubscriptionWorkflows.Services;
import io.minispod.catalog.WorkflowStore.Kind;
import io.minispod.catalog.WorkflowStore.Status;
import io.minispod.catalog.WorkflowStore.Step;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.quota.Allocation;
import io.minispod.quota.AllocationRequest;
import io.minispod.quota.QuotaConflictException;
import io.minispod.quota.QuotaExceededException;
import io.minispod.quota.QuotaOperations;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
  static final java.time.Duration HOLD_FOR = java.time.Duration.ofMinutes(5);

  /**
   * Users whose instance pool this node has already defined (bounded; a miss only costs a query).
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> userPools =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000).build();

  private final Services services;
  private final SubscriptionWorkflows workflows;
  private final UpgradePolicy policy;
  private final long instancesPerUser;

  DefaultSubscriptionService(
      Services services,
      SubscriptionWorkflows workflows,
      UpgradePolicy policy,
      long instancesPerUser) {
    this.services = services;
    this.workflows = workflows;
    this.policy = policy;
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
        read(tx -> services.subscriptions().byIdempotencyKey(tx, userId, idempotencyKey));
    if (earlier.isPresent()) {
      return outcomeOf(earlier.get().getSubscriptionId(), idempotencyKey, Kind.SUBSCRIBE);
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
    Instant now = services.now();
    BillingPeriod period =
        services
            .billing()
            .cycleStartingAt(now, BillingInterval.valueOf(plan.price().period().name()))
            .period(0);
    List<io.minispod.quota.QuotaItem> items = services.specs().quotaItems(userId, plan);
    // 1. Claim the service for the user: the subscription row's unique index settles concurrent
    //    duplicates at once, before any quota is touched.
    try {
      services
          .subscriptions()
          .insertSubscription(
              services.dsl(), subscriptionId, userId, plan, period, idempotencyKey, now);
    } catch (DataAccessException e) {
      if ("subscription_one_live_per_service".equals(DatabaseFailures.violatedUnique(e))) {
        throw duplicate(
            read(tx -> services.subscriptions().liveSubscription(tx, userId, plan.serviceId()))
                .orElseThrow(() -> DatabaseFailures.internal(e)),
            service);
      }
      if ("subscription_idempotency_unique".equals(DatabaseFailures.violatedUnique(e))) {
        return outcomeOf(
            read(tx -> services.subscriptions().byIdempotencyKey(tx, userId, idempotencyKey))
                .orElseThrow()
                .getSubscriptionId(),
            idempotencyKey,
            Kind.SUBSCRIBE);
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
                  services
                      .quota()
                      .allocate(
                          new AllocationRequest(
                              userId, "subscription:" + subscriptionId, items, HOLD_FOR)));
      // 3. Keep the hold and start the workflow, in one transaction.
      UUID allocationId = hold.id();
      services.observer().beforeCommit(Kind.SUBSCRIBE, null);
      workflow =
          services
              .dsl()
              .transactionResult(
                  cfg -> {
                    DSLContext tx = cfg.dsl();
                    services.quota().inTransaction(tx).confirm(allocationId);
                    if (!services
                        .subscriptions()
                        .attachAllocation(tx, subscriptionId, allocationId)) {
                      throw new SubscriptionConflictException(
                          subscriptionId, "it was abandoned before its quota was confirmed");
                    }
                    return services
                        .workflows()
                        .start(
                            tx,
                            Kind.SUBSCRIBE,
                            subscriptionId,
                            idempotencyKey,
                            Step.CHARGE,
                            null,
                            plan.id(),
                            services.nodeId(),
                            now,
                            services.lease());
                  });
    } catch (RuntimeException e) {
      // Refused or failed before the workflow existed: give everything back, keep no record.
      if (hold != null) {
        services.quota().release(hold.id());
      }
      services.subscriptions().deleteUnstarted(services.dsl(), subscriptionId);
      throw e instanceof DataAccessException d ? DatabaseFailures.internal(d) : e;
    }
    services.catalog().quotaChanged(List.of(plan.id()));
    services.observer().committed(Kind.SUBSCRIBE, null);
    workflows.run(workflow);
    return outcomeOf(subscriptionId, idempotencyKey, Kind.SUBSCRIBE);
  }

  private DuplicateSubscriptionException duplicate(
      SubscriptionRecord live, ServiceStructure service) {
    Subscription existing = read(tx -> services.subscriptions().view(tx, live));
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
          resourceName(e.poolKey()), e.requested(), e.available(), e.total());
    }
  }

  private static String resourceName(String poolKey) {
    return switch (poolKey) {
      case InstanceSpecs.CLUSTER_CPU -> "cluster CPU (millicores)";
      case InstanceSpecs.CLUSTER_MEMORY -> "cluster memory (MiB)";
      case InstanceSpecs.CLUSTER_STORAGE -> "cluster storage (GiB)";
      default -> poolKey.startsWith("plan:") ? "plan capacity" : "instances of the user";
    };
  }

  private void ensureUserPool(String userId) {
    userPools.get(
        userId,
        id -> {
          ensurePool(services.quota(), InstanceSpecs.userPool(id), instancesPerUser);
          return Boolean.TRUE;
        });
  }

  /** Defines a pool with a capacity, or moves an existing pool to it where its usage allows. */
  static void ensurePool(QuotaOperations quota, String poolKey, long capacity) {
    try {
      quota.definePool(poolKey, capacity);
    } catch (QuotaConflictException alreadyDefined) {
      try {
        quota.setCapacity(poolKey, capacity);
      } catch (QuotaConflictException belowUsage) {
        // More is in use than the new capacity: keep the pool as it is until usage drops.
      }
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public List<Subscription> subscriptions(String userId) {
    checkUser(userId);
    return read(
        tx ->
            List.copyOf(
                services
                    .subscriptions()
                    .views(tx, services.subscriptions().subscriptionsOf(tx, userId))
                    .values()));
  }

  @Override
  public Subscription subscription(String userId, UUID subscriptionId) {
    SubscriptionRecord s = own(userId, subscriptionId);
    return read(tx -> services.subscriptions().view(tx, s));
  }

  /**
   * The user's subscription, or not found: another user's ids are reported exactly like unknown
   * ones, and so are failed subscriptions, which keep nothing.
   */
  private SubscriptionRecord own(String userId, UUID subscriptionId) {
    checkUser(userId);
    if (subscriptionId == null) {
      throw io.minispod.ValidationException.of("subscriptionId", "must be given");
    }
    return read(tx -> services.subscriptions().subscription(tx, subscriptionId))
        .filter(s -> s.getUserId().equals(userId))
        .filter(s -> !SubscriptionStatus.FAILED.name().equals(s.getStatus()))
        .orElseThrow(() -> CatalogNotFoundException.subscription(subscriptionId));
  }

  // ---------------------------------------------------------------- upgrade

  @Override
  public List<UpgradeOption> options(String userId, UUID subscriptionId) {
    SubscriptionRecord s = own(userId, subscriptionId);
    ServiceStructure service = services.specs().service(s.getServiceId());
    Plan current = services.specs().plan(s.getServiceId(), s.getPlanId());
    BillingPeriod period =
        new BillingPeriod(s.getPeriodStart().toInstant(), s.getPeriodEnd().toInstant());
    Instant now = services.now();
    List<Plan> allowed =
        service.activePlans().stream().filter(p -> policy.evaluate(current, p).allowed()).toList();
    Map<UUID, io.minispod.quota.PoolAvailability> quota = new java.util.HashMap<>();
    if (!allowed.isEmpty()) {
      services
          .quota()
          .availability(allowed.stream().map(p -> Plan.poolKey(p.id())).toList())
          .forEach(a -> quota.put(UUID.fromString(a.poolKey().substring("plan:".length())), a));
    }
    Instant changeAt = period.contains(now) ? now : period.start();
    return allowed.stream()
        .map(
            p ->
                new UpgradeOption(
                    p,
                    services
                        .billing()
                        .quoteUpgrade(
                            userId,
                            subscriptionId.toString(),
                            period,
                            Money.of(p.price().amount(), p.price().currency()),
                            changeAt),
                    quota.get(p.id()).available()))
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
    if (read(tx -> services.workflows().find(tx, subscriptionId, Kind.UPGRADE, idempotencyKey))
        .isPresent()) {
      return outcomeOf(subscriptionId, idempotencyKey, Kind.UPGRADE);
    }
    ServiceStructure service = services.specs().service(s.getServiceId());
    Plan current = services.specs().plan(s.getServiceId(), s.getPlanId());
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
    List<io.minispod.quota.QuotaItem> targetItems = services.specs().quotaItems(userId, target);
    return startAndRun(
        subscriptionId,
        Kind.UPGRADE,
        idempotencyKey,
        tx -> {
          SubscriptionRecord locked =
              services.subscriptions().lockSubscription(tx, subscriptionId).orElseThrow();
          requireIdle(tx, locked);
          if (!locked.getPlanId().equals(current.id())) {
            throw new SubscriptionConflictException(
                subscriptionId, "its plan changed while the upgrade was being prepared");
          }
          allocate(
              target,
              () -> services.quota().inTransaction(tx).swap(locked.getAllocationId(), targetItems));
          return services
              .workflows()
              .start(
                  tx,
                  Kind.UPGRADE,
                  subscriptionId,
                  idempotencyKey,
                  Step.CHARGE,
                  current.id(),
                  target.id(),
                  services.nodeId(),
                  services.now(),
                  services.lease());
        },
        () -> services.catalog().quotaChanged(List.of(current.id(), target.id())));
  }

  /** Refuses a change to a subscription that is not active or has an operation in progress. */
  private void requireIdle(DSLContext tx, SubscriptionRecord locked) {
    if (!SubscriptionStatus.ACTIVE.name().equals(locked.getStatus())) {
      throw new SubscriptionConflictException(
          locked.getSubscriptionId(),
          "it is " + locked.getStatus() + "; only an active subscription can change");
    }
    if (services.workflows().running(tx, locked.getSubscriptionId()).isPresent()) {
      throw new SubscriptionConflictException(
          locked.getSubscriptionId(), "another operation is in progress");
    }
  }

  // ---------------------------------------------------------------- cancel

  @Override
  public Subscription cancel(String userId, UUID subscriptionId) {
    SubscriptionRecord s = own(userId, subscriptionId);
    String key = "cancel";
    if (read(tx -> services.workflows().find(tx, subscriptionId, Kind.CANCEL, key)).isPresent()) {
      return outcomeOf(subscriptionId, key, Kind.CANCEL);
    }
    return startAndRun(
        subscriptionId,
        Kind.CANCEL,
        key,
        tx -> {
          SubscriptionRecord locked =
              services.subscriptions().lockSubscription(tx, s.getSubscriptionId()).orElseThrow();
          requireIdle(tx, locked);
          services
              .subscriptions()
              .instanceOf(tx, subscriptionId)
              .ifPresent(
                  i ->
                      services
                          .subscriptions()
                          .moveInstance(
                              tx,
                              i.getInstanceId(),
                              InstanceStatus.DEPROVISIONING,
                              "cancelled by its user",
                              services.now()));
          return services
              .workflows()
              .start(
                  tx,
                  Kind.CANCEL,
                  subscriptionId,
                  key,
                  Step.DEPROVISION,
                  locked.getPlanId(),
                  null,
                  services.nodeId(),
                  services.now(),
                  services.lease());
        },
        () -> {});
  }

  /**
   * Starts a workflow of an existing subscription in one transaction (which locks the subscription
   * and refuses a second operation in flight), then runs it on this thread.
   */
  private Subscription startAndRun(
      UUID subscriptionId,
      Kind kind,
      String idempotencyKey,
      java.util.function.Function<DSLContext, WorkflowRecord> start,
      Runnable afterStart) {
    WorkflowRecord workflow;
    try {
      workflow = services.dsl().transactionResult(cfg -> start.apply(cfg.dsl()));
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
    services.observer().committed(kind, null);
    workflows.run(workflow);
    return outcomeOf(subscriptionId, idempotencyKey, kind);
  }

  // ---------------------------------------------------------------- outcomes

  /**
   * What a workflow came to, as its caller should see it: the subscription, or the error that ended
   * the workflow. A workflow still running (waiting for a retry, or on another node) gives the
   * subscription as it is now.
   */
  private Subscription outcomeOf(UUID subscriptionId, String idempotencyKey, Kind kind) {
    SubscriptionRecord s =
        services.subscriptions().subscription(services.dsl(), subscriptionId).orElseThrow();
    // A subscribe fails exactly when its subscription does; an upgrade or cancel can fail while
    // the subscription stays active, so only those always need their workflow.
    if (kind != Kind.SUBSCRIBE || SubscriptionStatus.FAILED.name().equals(s.getStatus())) {
      Optional<WorkflowRecord> w =
          services.workflows().find(services.dsl(), subscriptionId, kind, idempotencyKey);
      if (w.isPresent() && Status.FAILED.name().equals(w.get().getStatus())) {
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
    ServiceDefinition service = services.specs().service(s.getServiceId()).definition();
    return SubscriptionStore.view(
        s,
        service.slug(),
        service.name(),
        services.specs().plan(s.getServiceId(), s.getPlanId()),
        services
            .subscriptions()
            .instanceOf(services.dsl(), s.getSubscriptionId())
            .map(SubscriptionStore::summary)
            .orElse(null));
  }

  private static MinisPodException failure(UUID subscriptionId, String code, String message) {
    return new MinisPodException(
        ErrorCode.valueOf(code), message, Map.of("subscriptionId", subscriptionId.toString()));
  }

  // ---------------------------------------------------------------- helpers

  private ServiceStructure activeService(String slug) {
    return services
        .specs()
        .activeService(slug)
        .orElseThrow(() -> CatalogNotFoundException.service(slug));
  }

  /** Runs reads outside any transaction: each statement on its own, in autocommit. */
  private <T> T read(java.util.function.Function<DSLContext, T> query) {
    return query.apply(services.dsl());
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
