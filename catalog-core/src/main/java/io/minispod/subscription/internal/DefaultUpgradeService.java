package io.minispod.subscription.internal;

import io.minispod.FieldErrors;
import io.minispod.billing.BillingPeriod;
import io.minispod.billing.BillingService;
import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.Plan;
import io.minispod.catalog.ServiceStructure;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.provisioner.Provisioner;
import io.minispod.quota.Allocation;
import io.minispod.quota.AllocationRequest;
import io.minispod.quota.PoolAvailability;
import io.minispod.quota.QuotaItem;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.InvalidPlanException;
import io.minispod.subscription.Operation;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionConflictException;
import io.minispod.subscription.UpgradeDecision;
import io.minispod.subscription.UpgradeOption;
import io.minispod.subscription.UpgradePolicy;
import io.minispod.subscription.UpgradeService;
import io.minispod.subscription.internal.SubscriptionOperations.Launch;
import io.minispod.subscription.internal.SubscriptionOperations.Request;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Answers upgrade options and starts upgrade workflows, run on the caller's thread. */
final class DefaultUpgradeService implements UpgradeService {

  private final CatalogPort catalog;
  private final SubscriptionStore store;
  private final SubscriptionOperations operations;
  private final QuotaFootprint footprint;
  private final QuotaManager quota;
  private final BillingService billing;
  private final UpgradePolicy policy;
  private final Provisioner provisioner;
  private final Clock clock;

  DefaultUpgradeService(
      CatalogPort catalog,
      SubscriptionStore store,
      SubscriptionOperations operations,
      QuotaFootprint footprint,
      QuotaManager quota,
      BillingService billing,
      UpgradePolicy policy,
      Provisioner provisioner,
      Clock clock) {
    this.catalog = catalog;
    this.store = store;
    this.operations = operations;
    this.footprint = footprint;
    this.quota = quota;
    this.billing = billing;
    this.policy = policy;
    this.provisioner = provisioner;
    this.clock = clock;
  }

  @Override
  public List<UpgradeOption> options(String userId, UUID subscriptionId) {
    SubscriptionRecord s = operations.own(userId, subscriptionId);
    ServiceStructure service = catalog.service(s.getServiceId());
    Plan current = catalog.plan(s.getServiceId(), s.getPlanId());
    BillingPeriod period = SubscriptionStore.period(s);
    Instant now = clock.instant();
    boolean storageCanGrow = provisioner.canGrowStorage();
    Map<Plan, UpgradeDecision> allowed = new LinkedHashMap<>();
    for (Plan p : service.activePlans()) {
      UpgradeDecision decision = policy.evaluate(current, p);
      boolean possible =
          decision.atTermEnd()
              ? !shrinksStorage(current, p)
              : storageCanGrow || !growsStorage(current, p);
      if (decision.allowed() && possible) {
        allowed.put(p, decision);
      }
    }
    Map<UUID, PoolAvailability> availability = new HashMap<>();
    if (!allowed.isEmpty()) {
      quota
          .availability(allowed.keySet().stream().map(p -> Plan.poolKey(p.id())).toList())
          .forEach(
              a -> availability.put(UUID.fromString(a.poolKey().substring("plan:".length())), a));
    }
    Instant changeAt = period.contains(now) ? now : period.start();
    List<UpgradeOption> options = new ArrayList<>();
    allowed.forEach(
        (p, decision) ->
            options.add(
                new UpgradeOption(
                    p,
                    decision.atTermEnd()
                        ? null
                        : billing.quoteUpgrade(
                            userId,
                            subscriptionId.toString(),
                            period,
                            p.price().amount(),
                            changeAt),
                    availability.get(p.id()).available(),
                    decision.atTermEnd() ? period.end() : null)));
    return options;
  }

  /** Whether moving to {@code target} would ask the platform to shrink the instance's volume. */
  private static boolean shrinksStorage(Plan current, Plan target) {
    return target.resources().storageGiB() < current.resources().storageGiB();
  }

  /**
   * Schedules a change for the end of the term as a workflow of its own, so that it is serialised
   * with the subscription's other operations and answered like them; nothing is held or charged.
   */
  private Launch launchScheduledChange(
      UUID subscriptionId, Request request, Plan current, Plan target) {
    Request scheduling =
        new Request(ScheduleChangeWorkflow.KIND, request.key(), request.fingerprint());
    Optional<Launch> earlier = operations.earlier(subscriptionId, scheduling);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    return operations.launch(
        subscriptionId,
        scheduling,
        tx -> {
          SubscriptionRecord locked = store.lockSubscription(tx, subscriptionId).orElseThrow();
          operations.requireIdle(tx, locked);
          if (!locked.getPlanId().equals(current.id())) {
            throw new SubscriptionConflictException(
                subscriptionId, "its plan changed while the change was being prepared");
          }
          return operations.start(
              tx,
              scheduling,
              subscriptionId,
              ScheduleChangeWorkflow.RECORD,
              current.id(),
              target.id(),
              clock.instant());
        },
        () -> {});
  }

  @Override
  public Subscription withdrawScheduledChange(String userId, UUID subscriptionId) {
    operations.own(userId, subscriptionId);
    return operations.view(
        operations.changeIdle(
            subscriptionId,
            (tx, locked) -> store.scheduleChange(tx, subscriptionId, null, clock.instant())));
  }

  /** Whether moving to {@code target} would ask the platform to grow the instance's volume. */
  private static boolean growsStorage(Plan current, Plan target) {
    return target.resources().storageGiB() > current.resources().storageGiB();
  }

  @Override
  public Subscription upgrade(
      String userId, UUID subscriptionId, String targetPlanSlug, String idempotencyKey) {
    return operations.finishHere(
        launchUpgrade(userId, subscriptionId, targetPlanSlug, idempotencyKey));
  }

  @Override
  public Operation startUpgrade(
      String userId, UUID subscriptionId, String targetPlanSlug, String idempotencyKey) {
    return operations.inBackground(
        launchUpgrade(userId, subscriptionId, targetPlanSlug, idempotencyKey));
  }

  private Launch launchUpgrade(
      String userId, UUID subscriptionId, String targetPlanSlug, String idempotencyKey) {
    FieldErrors errors = new FieldErrors();
    SubscriptionOperations.checkId(errors, "planSlug", targetPlanSlug);
    SubscriptionOperations.checkId(errors, "idempotencyKey", idempotencyKey);
    errors.throwIfAny();
    SubscriptionRecord s = operations.own(userId, subscriptionId);
    Request request =
        Request.of(UpgradeWorkflow.KIND, idempotencyKey, subscriptionId, targetPlanSlug);
    Optional<Launch> earlier = operations.earlier(subscriptionId, request);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    ServiceStructure service = catalog.service(s.getServiceId());
    Plan current = catalog.plan(s.getServiceId(), s.getPlanId());
    Plan target =
        service
            .plan(targetPlanSlug)
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
    if (decision.atTermEnd()) {
      if (shrinksStorage(current, target)) {
        throw new InvalidPlanException(
            service.definition().slug(),
            targetPlanSlug,
            InvalidPlanException.STORAGE_CANNOT_SHRINK);
      }
      return launchScheduledChange(subscriptionId, request, current, target);
    }
    if (growsStorage(current, target) && !provisioner.canGrowStorage()) {
      throw new InvalidPlanException(
          service.definition().slug(), targetPlanSlug, InvalidPlanException.STORAGE_CANNOT_GROW);
    }
    List<QuotaItem> targetItems = footprint.items(userId, target);
    return operations.launch(
        subscriptionId,
        request,
        tx -> {
          SubscriptionRecord locked = store.lockSubscription(tx, subscriptionId).orElseThrow();
          operations.requireIdle(tx, locked);
          if (!SubscriptionStore.period(locked).contains(clock.instant())) {
            // Prorated against a period that is over, it would credit and charge nothing that
            // is still to come: the renewal that is due rolls the period first.
            throw new SubscriptionConflictException(
                subscriptionId, "its period ended and it is about to renew; try again shortly");
          }
          if (!locked.getPlanId().equals(current.id())) {
            throw new SubscriptionConflictException(
                subscriptionId, "its plan changed while the upgrade was being prepared");
          }
          // The subscription keeps the old plan's quota; what the new plan needs beyond it is held
          // apart until the upgrade commits, so undoing it only releases the hold. Read after the
          // lock: only a workflow of this subscription changes its allocation.
          List<QuotaItem> hold =
              QuotaFootprint.upgradeHold(
                  targetItems, quota.inTransaction(tx).allocation(locked.getAllocationId()));
          Allocation held =
              SubscriptionOperations.allocate(
                  target,
                  () ->
                      quota
                          .inTransaction(tx)
                          .allocate(
                              AllocationRequest.of(
                                  userId,
                                  "upgrade:" + subscriptionId + ":" + idempotencyKey,
                                  hold.toArray(QuotaItem[]::new))));
          WorkflowRecord started =
              operations.start(
                  tx,
                  request,
                  subscriptionId,
                  UpgradeWorkflow.CHARGE,
                  current.id(),
                  target.id(),
                  clock.instant());
          return operations.holdQuota(tx, started, held.id());
        },
        () -> catalog.quotaChanged(List.of(current.id(), target.id())));
  }
}
