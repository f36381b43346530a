package io.minispod.subscription.internal;

import io.minispod.FieldErrors;
import io.minispod.ValidationException;
import io.minispod.billing.BillingPeriod;
import io.minispod.billing.BillingService;
import io.minispod.catalog.CatalogNotFoundException;
import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.Page;
import io.minispod.catalog.PageRequest;
import io.minispod.catalog.Plan;
import io.minispod.catalog.ServiceStructure;
import io.minispod.catalog.internal.DatabaseFailures;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.quota.Allocation;
import io.minispod.quota.AllocationRequest;
import io.minispod.quota.QuotaItem;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.DuplicateSubscriptionException;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.InvalidPlanException;
import io.minispod.subscription.Operation;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionConflictException;
import io.minispod.subscription.SubscriptionService;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.subscription.SubscriptionTransition;
import io.minispod.subscription.UpgradeDecision;
import io.minispod.subscription.UpgradePolicy;
import io.minispod.subscription.internal.SubscriptionOperations.Launch;
import io.minispod.subscription.internal.SubscriptionOperations.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts subscribe and cancel workflows, runs them on the caller's thread or hands them to the
 * dispatcher, and reads.
 */
final class DefaultSubscriptionService implements SubscriptionService {

  private static final Logger log = LoggerFactory.getLogger(DefaultSubscriptionService.class);

  /**
   * How long quota is held between its allocation and the transaction that keeps it; if the node
   * dies in between, the quota manager reclaims the hold and the workflow runner removes the
   * unstarted subscription after this long.
   */
  static final Duration HOLD_FOR = Duration.ofMinutes(5);

  private final DSLContext dsl;
  private final CatalogPort catalog;
  private final SubscriptionStore store;
  private final SubscriptionOperations operations;
  private final QuotaFootprint footprint;
  private final QuotaManager quota;
  private final BillingService billing;
  private final UpgradePolicy policy;
  private final Clock clock;

  DefaultSubscriptionService(
      DSLContext dsl,
      CatalogPort catalog,
      SubscriptionStore store,
      SubscriptionOperations operations,
      QuotaFootprint footprint,
      QuotaManager quota,
      BillingService billing,
      UpgradePolicy policy,
      Clock clock) {
    this.dsl = dsl;
    this.catalog = catalog;
    this.store = store;
    this.operations = operations;
    this.footprint = footprint;
    this.quota = quota;
    this.billing = billing;
    this.policy = policy;
    this.clock = clock;
  }

  // ---------------------------------------------------------------- subscribe

  @Override
  public Subscription subscribe(
      String userId, String serviceSlug, String planSlug, String idempotencyKey) {
    return operations.finishHere(launchSubscribe(userId, serviceSlug, planSlug, idempotencyKey));
  }

  @Override
  public Operation startSubscribe(
      String userId, String serviceSlug, String planSlug, String idempotencyKey) {
    return operations.inBackground(launchSubscribe(userId, serviceSlug, planSlug, idempotencyKey));
  }

  private Launch launchSubscribe(
      String userId, String serviceSlug, String planSlug, String idempotencyKey) {
    FieldErrors errors = new FieldErrors();
    SubscriptionOperations.checkId(errors, "userId", userId);
    SubscriptionOperations.checkId(errors, "serviceSlug", serviceSlug);
    SubscriptionOperations.checkId(errors, "planSlug", planSlug);
    SubscriptionOperations.checkId(errors, "idempotencyKey", idempotencyKey);
    errors.throwIfAny();

    Request request =
        Request.of(SubscribeWorkflow.KIND, idempotencyKey, userId, serviceSlug, planSlug);
    // A retry with a key used before is told apart by the key's unique index when it claims the
    // service, or on the way to a refusal (its service or plan may have gone since), so that a
    // first request pays no look-up for it.
    Supplier<Optional<Launch>> replay =
        () ->
            operations
                .read(tx -> store.byIdempotencyKey(tx, userId, idempotencyKey))
                .map(first -> replay(first, request));
    Optional<ServiceStructure> found = catalog.activeService(serviceSlug);
    if (found.isEmpty()) {
      return replay.get().orElseThrow(() -> CatalogNotFoundException.service(serviceSlug));
    }
    ServiceStructure service = found.get();
    // (analytics) a request refused before anything is kept is still an attempt: recorded here
    BiFunction<UUID, RuntimeException, Launch> refused =
        (planId, refusal) ->
            replay
                .get()
                .orElseThrow(
                    () ->
                        SubscribeAttempts.refused(
                            dsl,
                            userId,
                            idempotencyKey,
                            service.definition().id(),
                            planSlug,
                            planId,
                            refusal,
                            clock.instant()));
    Optional<Plan> chosen = service.plan(planSlug);
    if (chosen.isEmpty()) {
      return refused.apply(
          null, new InvalidPlanException(serviceSlug, planSlug, InvalidPlanException.UNKNOWN_PLAN));
    }
    Plan plan = chosen.get();
    if (!plan.active()) {
      return refused.apply(
          plan.id(),
          new InvalidPlanException(serviceSlug, planSlug, UpgradeDecision.INACTIVE_PLAN));
    }
    UUID subscriptionId = UUID.randomUUID();
    Instant now = clock.instant();
    BillingPeriod period = billing.cycleStartingAt(now, plan.price().interval()).period(0);
    // 1. Claim the service for the user: the subscription row's unique indexes settle concurrent
    //    duplicates (and reuses of the key) at once, before any quota is touched.
    try {
      store.insertSubscription(
          dsl, subscriptionId, userId, plan, period, idempotencyKey, request.fingerprint(), now);
    } catch (DataAccessException e) {
      String constraint = DatabaseFailures.violatedUnique(e);
      if ("subscription_one_live_per_service".equals(constraint)) {
        // The live subscription may be this request's own, from an earlier use of its key.
        return refused.apply(
            plan.id(),
            duplicate(
                operations
                    .read(tx -> store.liveSubscription(tx, userId, plan.serviceId()))
                    .orElseThrow(() -> DatabaseFailures.internal(e)),
                service));
      }
      if ("subscription_idempotency_unique".equals(constraint)) {
        return replay.get().orElseThrow(() -> DatabaseFailures.internal(e));
      }
      throw DatabaseFailures.internal(e);
    }
    return holdAndStart(subscriptionId, userId, plan, request, now);
  }

  /**
   * Holds the quota of a claimed subscription and starts its workflow, then runs it here.
   *
   * <p>The quota is held through the quota manager's combining path: the cluster pools are shared
   * by every subscription, and combined requests share one transaction (and one lock of those rows)
   * instead of queueing on them one by one. The hold's key is the subscription's, so a retry that
   * carries a stopped attempt on finds the same hold again. One transaction then keeps the hold and
   * starts the workflow.
   */
  private Launch holdAndStart(
      UUID subscriptionId, String userId, Plan plan, Request request, Instant now) {
    WorkflowRecord workflow;
    Allocation hold = null;
    try {
      // Inside the try: asking the host's UserLimits, or defining the user's pools, may fail, and
      // then the claimed row must go too.
      List<QuotaItem> items = footprint.items(userId, plan);
      hold =
          SubscriptionOperations.allocate(
              plan,
              () ->
                  quota.allocate(
                      new AllocationRequest(
                          userId, "subscription:" + subscriptionId, items, HOLD_FOR)));
      UUID allocationId = hold.id();
      operations.beforeStart(SubscribeWorkflow.KIND);
      workflow =
          dsl.transactionResult(
              cfg -> {
                DSLContext tx = cfg.dsl();
                quota.inTransaction(tx).confirm(allocationId);
                if (!store.attachAllocation(tx, subscriptionId, allocationId)) {
                  throw new SubscriptionConflictException(
                      subscriptionId, "it was abandoned before its quota was confirmed");
                }
                // (analytics) the attempt, in the transaction that starts its workflow
                SubscribeAttempts.started(tx, userId, request.key(), plan, subscriptionId, now);
                return operations.start(
                    tx, request, subscriptionId, SubscribeWorkflow.CHARGE, null, plan.id(), now);
              });
    } catch (RuntimeException e) {
      // Decide from what the database says, not from the exception: the commit may have succeeded
      // with its acknowledgement lost, or another attempt of the same request (a retry carrying
      // this one on) may have started the workflow with the same hold. Then nothing is given back.
      Optional<Launch> started = operations.earlier(subscriptionId, request);
      if (started.isPresent()) {
        catalog.quotaChanged(List.of(plan.id()));
        return started.get();
      }
      // Refused or failed before the workflow existed: give everything back, keep no record.
      if (hold != null) {
        quota.release(hold.id());
      }
      store.deleteUnstarted(dsl, subscriptionId);
      // (analytics) a request refused here (quota, resources) leaves its attempt and nothing else
      SubscribeAttempts.refused(
          dsl, userId, request.key(), plan.serviceId(), plan.slug(), plan.id(), e, clock.instant());
      throw e instanceof DataAccessException d ? DatabaseFailures.internal(d) : e;
    }
    catalog.quotaChanged(List.of(plan.id()));
    return new Launch(subscriptionId, request, workflow, true);
  }

  /**
   * The answer to a subscribe whose key was used before: its first answer, for the same request.
   */
  private Launch replay(SubscriptionRecord first, Request request) {
    SubscriptionOperations.requireSameRequest(
        first.getSubscriptionId(), request, first.getRequestFingerprint());
    if (first.getStatus() == SubscriptionStatus.PENDING
        && first.getAllocationId() == null
        && !operations.started(first.getSubscriptionId(), request)) {
      // The first attempt stopped between claiming the service and starting its workflow (its node
      // died, or it is still on its way): carry it on. Nothing was charged yet, and a hold it took
      // is found again by its key; if both attempts get to start the workflow, one of them does.
      log.info(
          "Subscription {} is carried on by a retry of its request", first.getSubscriptionId());
      return holdAndStart(
          first.getSubscriptionId(),
          first.getUserId(),
          catalog.plan(first.getServiceId(), first.getPlanId()),
          request,
          first.getCreatedAt().toInstant());
    }
    return operations
        .earlier(first.getSubscriptionId(), request)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "subscription " + first.getSubscriptionId() + " has no subscribe workflow"));
  }

  private DuplicateSubscriptionException duplicate(
      SubscriptionRecord live, ServiceStructure service) {
    Subscription existing = operations.read(tx -> store.view(tx, live));
    List<Plan> options =
        service.activePlans().stream()
            .filter(p -> policy.evaluate(existing.plan(), p).allowed())
            .toList();
    return new DuplicateSubscriptionException(existing, options);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public List<Subscription> subscriptions(String userId) {
    SubscriptionOperations.checkUser(userId);
    return operations.read(
        tx -> List.copyOf(store.views(tx, store.subscriptionsOf(tx, userId)).values()));
  }

  @Override
  public Page<SubscriptionTransition> history(
      String userId, UUID subscriptionId, PageRequest page) {
    if (page == null) {
      throw ValidationException.of("page", "must be given");
    }
    SubscriptionRecord s = operations.own(userId, subscriptionId);
    return dsl.transactionResult(
        cfg ->
            new Page<>(
                store.subscriptionTransitions(cfg.dsl(), s.getSubscriptionId(), page),
                page.page(),
                page.size(),
                store.subscriptionTransitionCount(cfg.dsl(), s.getSubscriptionId())));
  }

  @Override
  public Subscription subscription(String userId, UUID subscriptionId) {
    SubscriptionRecord s = operations.own(userId, subscriptionId);
    return operations.read(tx -> store.view(tx, s));
  }

  // ---------------------------------------------------------------- cancel

  @Override
  public Subscription cancel(String userId, UUID subscriptionId) {
    return operations.finishHere(launchCancel(userId, subscriptionId));
  }

  @Override
  public Operation startCancel(String userId, UUID subscriptionId) {
    return operations.inBackground(launchCancel(userId, subscriptionId));
  }

  private Launch launchCancel(String userId, UUID subscriptionId) {
    SubscriptionRecord s = operations.own(userId, subscriptionId);
    // One cancel per subscription: its key is fixed, and so is what it asks.
    Request request = Request.of(CancelWorkflow.KIND, "cancel", subscriptionId);
    Optional<Launch> earlier = operations.earlier(subscriptionId, request);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    return operations.launch(
        subscriptionId,
        request,
        tx -> {
          SubscriptionRecord locked =
              store.lockSubscription(tx, s.getSubscriptionId()).orElseThrow();
          operations.requireCancellable(tx, locked);
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
          return operations.start(
              tx,
              request,
              subscriptionId,
              CancelWorkflow.DEPROVISION,
              locked.getPlanId(),
              null,
              clock.instant());
        },
        () -> {});
  }

  // ---------------------------------------------------------------- over time

  @Override
  public Subscription cancelAtPeriodEnd(String userId, UUID subscriptionId) {
    return scheduleCancel(userId, subscriptionId, true);
  }

  @Override
  public Subscription resume(String userId, UUID subscriptionId) {
    return scheduleCancel(userId, subscriptionId, false);
  }

  private Subscription scheduleCancel(String userId, UUID subscriptionId, boolean cancel) {
    operations.own(userId, subscriptionId);
    return operations.view(
        operations.changeIdle(
            subscriptionId,
            (tx, locked) -> {
              if (locked.getStatus() != SubscriptionStatus.ACTIVE) {
                throw new SubscriptionConflictException(
                    subscriptionId,
                    "it is " + locked.getStatus() + "; only an active subscription's end can move");
              }
              Instant now = clock.instant();
              if (locked.getCancelAtPeriodEnd() != cancel) {
                store.cancelAtPeriodEnd(tx, subscriptionId, cancel, now);
              }
              if (!cancel && locked.getScheduledPlanId() != null) {
                store.scheduleChange(tx, subscriptionId, null, now);
              }
            }));
  }

  @Override
  public Subscription reactivate(String userId, UUID subscriptionId) {
    return operations.finishHere(launchReactivate(userId, subscriptionId));
  }

  @Override
  public Operation startReactivate(String userId, UUID subscriptionId) {
    return operations.inBackground(launchReactivate(userId, subscriptionId));
  }

  /** A renewal attempt now, of the subscription's owner's asking, in place of the next retry. */
  private Launch launchReactivate(String userId, UUID subscriptionId) {
    SubscriptionRecord s = operations.own(userId, subscriptionId);
    Request request = Request.of(RenewWorkflow.KIND, RenewWorkflow.key(s), subscriptionId);
    return operations.launch(
        subscriptionId,
        request,
        tx -> {
          SubscriptionRecord locked = store.lockSubscription(tx, subscriptionId).orElseThrow();
          if (locked.getStatus() != SubscriptionStatus.PAST_DUE
              && locked.getStatus() != SubscriptionStatus.SUSPENDED) {
            throw new SubscriptionConflictException(
                subscriptionId, "it is " + locked.getStatus() + " and owes nothing");
          }
          if (!RenewWorkflow.key(locked).equals(request.key())) {
            throw new SubscriptionConflictException(
                subscriptionId, "a renewal attempt ended meanwhile; try again");
          }
          return operations.start(
              tx,
              request,
              subscriptionId,
              RenewWorkflow.firstStep(locked),
              locked.getPlanId(),
              RenewWorkflow.renewedPlan(locked),
              clock.instant());
        },
        () -> {});
  }

  private ServiceStructure activeService(String slug) {
    return catalog.activeService(slug).orElseThrow(() -> CatalogNotFoundException.service(slug));
  }
}
