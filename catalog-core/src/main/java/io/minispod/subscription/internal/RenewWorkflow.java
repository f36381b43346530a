package io.minispod.subscription.internal;

import io.minispod.ErrorCode;
import io.minispod.billing.BillingLine;
import io.minispod.billing.BillingPeriod;
import io.minispod.billing.ChargeRequest;
import io.minispod.catalog.Plan;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.provisioner.InstanceRef;
import io.minispod.quota.Allocation;
import io.minispod.quota.AllocationRequest;
import io.minispod.quota.QuotaItem;
import io.minispod.subscription.DunningPolicy;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.subscription.internal.workflow.Step;
import io.minispod.subscription.internal.workflow.StepResult;
import io.minispod.subscription.internal.workflow.WorkflowKind;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * A renewal: {@code CHARGE} the period after the current one at the plan's current price and roll
 * the subscription's period forward, then, for an instance stopped by a suspension, {@code START}
 * it again. With a plan change scheduled for the end of the term, the renewal applies it: {@code
 * HOLD} what the new plan needs beyond the subscription's allocation, {@code CHARGE} the new plan's
 * price, then {@code RESIZE} the instance (backed up first where the plan has backups) and, in one
 * commit, swap the quota, move the plan and roll the period. Nothing is prorated.
 *
 * <p>One renewal workflow is one attempt at paying one period: its idempotency key names the
 * period, the attempt and any scheduled plan ({@link #key}), and so does the billing line's key, so
 * a renewal that is run again after a crash charges nothing more, and no period is ever charged
 * twice. A declined charge is compensated by the dunning rules: the subscription becomes {@link
 * io.minispod.subscription.SubscriptionStatus#PAST_DUE} with the next attempt scheduled by the
 * {@link DunningPolicy}, or, when no retry is left, {@link
 * io.minispod.subscription.SubscriptionStatus#SUSPENDED} with its instance stopped until the grace
 * period ends. A scheduled change that cannot be applied (its plan is full, the cluster cannot take
 * it, the resize fails for good) is dropped, with anything it charged refunded: the next round
 * renews the current plan.
 */
final class RenewWorkflow implements WorkflowKind {

  static final String KIND = "RENEW";
  static final String HOLD = "HOLD";
  static final String CHARGE = "CHARGE";
  static final String RESIZE = "RESIZE";
  static final String START = "START";

  private final WorkflowSupport support;
  private final QuotaFootprint footprint;
  private final InstanceBackups backups;
  private final DunningPolicy dunning;

  RenewWorkflow(
      WorkflowSupport support,
      QuotaFootprint footprint,
      InstanceBackups backups,
      DunningPolicy dunning) {
    this.support = support;
    this.footprint = footprint;
    this.backups = backups;
    this.dunning = dunning;
  }

  /**
   * The idempotency key of the next renewal attempt of a subscription as it is now: its period, the
   * attempt's number (1 for the first at that period, 2 for the first retry, …) and the plan a
   * scheduled change moves it to.
   */
  static String key(SubscriptionRecord s) {
    String key = periodOf(SubscriptionStore.period(s)) + "attempt:" + (s.getRenewalFailures() + 1);
    return changes(s) ? key + ":plan:" + s.getScheduledPlanId() : key;
  }

  /** The first step of the next renewal attempt of a subscription as it is now. */
  static String firstStep(SubscriptionRecord s) {
    return changes(s) ? HOLD : CHARGE;
  }

  /** The plan the next renewal attempt renews: the scheduled one, or the current one. */
  static UUID renewedPlan(SubscriptionRecord s) {
    return changes(s) ? s.getScheduledPlanId() : s.getPlanId();
  }

  private static boolean changes(SubscriptionRecord s) {
    return s.getScheduledPlanId() != null && !s.getScheduledPlanId().equals(s.getPlanId());
  }

  /** What the keys of every attempt at paying the period after {@code current} begin with. */
  private static String periodOf(BillingPeriod current) {
    return "period:" + current.end() + ":";
  }

  @Override
  public String name() {
    return KIND;
  }

  @Override
  public Map<String, Step> steps() {
    return Map.of(HOLD, this::hold, CHARGE, this::charge, RESIZE, this::resize, START, this::start);
  }

  @Override
  public Step undo() {
    return this::undo;
  }

  /** Holds what the scheduled plan needs beyond what the subscription's allocation has. */
  private StepResult hold(WorkflowRecord w) {
    SubscriptionRecord s = support.subscription(w);
    Plan target = support.plan(s, w.getToPlanId());
    List<QuotaItem> items = footprint.items(s.getUserId(), target);
    Allocation current =
        support
            .dsl()
            .transactionResult(
                cfg -> support.quota().inTransaction(cfg.dsl()).allocation(s.getAllocationId()));
    List<QuotaItem> hold = QuotaFootprint.upgradeHold(items, current);
    Allocation held =
        SubscriptionOperations.allocate(
            target,
            () ->
                support
                    .quota()
                    .allocate(
                        AllocationRequest.of(
                            s.getUserId(),
                            "renewal-change:" + w.getWorkflowId(),
                            hold.toArray(QuotaItem[]::new))));
    return StepResult.next(
        (tx, lease) -> {
          support.workflows().holdQuota(tx, w.getWorkflowId(), held.id());
          return support.workflows().advance(tx, lease, CHARGE, support.lease());
        });
  }

  private StepResult charge(WorkflowRecord w) {
    SubscriptionRecord s = support.subscription(w);
    BillingPeriod current = SubscriptionStore.period(s);
    if (!s.getStatus().isLive() || !w.getIdempotencyKey().startsWith(periodOf(current))) {
      // The period this attempt was for is paid already, or the subscription ended: nothing to do.
      return StepResult.finish(
          (tx, held) -> support.workflows().finish(tx, held, WorkflowStatus.SUCCEEDED));
    }
    Plan plan = support.plan(s, w.getToPlanId());
    BillingPeriod next = nextPeriod(s, plan, current);
    BillingLine line =
        support
            .billing()
            .chargeRenewal(
                new ChargeRequest(
                    s.getUserId(),
                    support.reference(s, plan),
                    plan.price().amount(),
                    next,
                    "subscription:" + s.getSubscriptionId() + ":" + w.getIdempotencyKey(),
                    plan.name() + " plan, renewal"));
    long paid = line.amount().minorUnits();
    if (!plan.id().equals(s.getPlanId())) {
      return StepResult.next(
          (tx, held) ->
              support.workflows().charged(tx, held, line.id(), paid, RESIZE, support.lease()));
    }
    boolean stopped = isStopped(s);
    return new StepResult(
        (tx, held) -> {
          support.subscriptions().renewed(tx, s.getSubscriptionId(), next, paid, held.now());
          return stopped
              ? support.workflows().charged(tx, held, line.id(), paid, START, support.lease())
              : support.workflows().finish(tx, held, WorkflowStatus.SUCCEEDED);
        },
        stopped,
        () -> {});
  }

  /** Applies a scheduled change that is paid for: the instance resized, then everything at once. */
  private StepResult resize(WorkflowRecord w) {
    SubscriptionStore.Current current = support.current(w);
    SubscriptionRecord s = current.subscription();
    InstanceRecord instance = current.instance().orElseThrow();
    Plan target = support.plan(s, w.getToPlanId());
    backups.beforeUpgrade(s, instance, support.plan(s, w.getFromPlanId()), w.getWorkflowId());
    support.provisioner().resize(support.specs().spec(s, instance, target));
    List<QuotaItem> newItems = footprint.items(s.getUserId(), target);
    BillingPeriod next = nextPeriod(s, target, SubscriptionStore.period(s));
    boolean stopped = isStopped(s);
    return new StepResult(
        (tx, held) -> {
          Instant now = held.now();
          // Released first, in the same transaction: what the hold kept is what the swap takes.
          support.quota().inTransaction(tx).release(w.getHoldAllocationId());
          support.quota().inTransaction(tx).swap(s.getAllocationId(), newItems);
          support.subscriptions().renewed(tx, s.getSubscriptionId(), next, w.getAmountDue(), now);
          support
              .subscriptions()
              .changePlan(tx, s.getSubscriptionId(), target.id(), w.getAmountDue(), now);
          support.subscriptions().scheduleChange(tx, s.getSubscriptionId(), null, now);
          support
              .subscriptions()
              .resizeInstance(tx, instance.getInstanceId(), target.resources(), now);
          return stopped
              ? support.workflows().advance(tx, held, START, support.lease())
              : support.workflows().finish(tx, held, WorkflowStatus.SUCCEEDED);
        },
        stopped,
        () -> support.quotaChanged(w.getFromPlanId(), w.getToPlanId()));
  }

  /** Starts the instance of a subscription that was suspended and is paid for again. */
  private StepResult start(WorkflowRecord w) {
    SubscriptionStore.Current current = support.current(w);
    SubscriptionRecord s = current.subscription();
    Optional<InstanceRecord> instance = current.instance();
    instance.ifPresent(i -> support.provisioner().start(ref(i, s)));
    return StepResult.finish(
        (tx, held) -> {
          instance.ifPresent(
              i ->
                  support
                      .subscriptions()
                      .moveInstanceFrom(
                          tx,
                          i.getInstanceId(),
                          InstanceStatus.STOPPED,
                          InstanceStatus.RUNNING,
                          "paid again",
                          held.now()));
          return support.workflows().finish(tx, held, WorkflowStatus.SUCCEEDED);
        });
  }

  private StepResult undo(WorkflowRecord w) {
    SubscriptionRecord s = support.subscription(w);
    boolean changing = !w.getToPlanId().equals(w.getFromPlanId());
    if (changing
        && !(w.getChargeLineId() == null && w.getErrorCode() == ErrorCode.PAYMENT_FAILED)) {
      return dropChange(w, s);
    }
    return declined(w, s);
  }

  /**
   * After a declined charge (or any other failure of a plain renewal): the next attempt on the
   * dunning schedule, or, with none left, the subscription suspended and its instance stopped. A
   * declined reactivation of a suspended subscription changes nothing else.
   */
  private StepResult declined(WorkflowRecord w, SubscriptionRecord s) {
    int failures = s.getRenewalFailures() + 1;
    boolean suspended = s.getStatus() == SubscriptionStatus.SUSPENDED;
    Optional<Duration> retry = suspended ? Optional.empty() : dunning.retryAfter(failures);
    Optional<InstanceRecord> instance =
        suspended || retry.isPresent() ? Optional.empty() : support.instanceOf(s);
    instance.ifPresent(i -> support.provisioner().stop(ref(i, s)));
    return StepResult.finish(
        (tx, held) -> {
          Instant now = held.now();
          releaseHold(tx, w);
          Instant since = s.getPastDueSince() == null ? now : s.getPastDueSince().toInstant();
          if (suspended) {
            support
                .subscriptions()
                .suspend(
                    tx,
                    s.getSubscriptionId(),
                    failures,
                    s.getNextRenewalAttemptAt().toInstant(),
                    now);
          } else if (retry.isPresent()) {
            support
                .subscriptions()
                .pastDue(tx, s.getSubscriptionId(), failures, since, since.plus(retry.get()), now);
          } else {
            support
                .subscriptions()
                .suspend(tx, s.getSubscriptionId(), failures, now.plus(dunning.gracePeriod()), now);
            instance.ifPresent(
                i ->
                    support
                        .subscriptions()
                        .moveInstance(
                            tx,
                            i.getInstanceId(),
                            InstanceStatus.STOPPED,
                            "suspended: renewal payment declined",
                            now));
          }
          return support.workflows().finish(tx, held, WorkflowStatus.FAILED);
        });
  }

  /**
   * A scheduled change that cannot be applied: anything charged for it refunded, the instance put
   * back to its plan if the resize may have begun, the hold released and the change dropped. The
   * period is not rolled: the next round renews the current plan.
   */
  private StepResult dropChange(WorkflowRecord w, SubscriptionRecord s) {
    support.refundCharge(w);
    if (w.getChargeLineId() != null) {
      // Paid, so the resize may have begun: put the instance back to its plan's size.
      support
          .instanceOf(s)
          .ifPresent(i -> support.restoreSize(s, i, support.plan(s, s.getPlanId())));
    }
    return StepResult.finish(
        (tx, held) -> {
          releaseHold(tx, w);
          support.subscriptions().scheduleChange(tx, s.getSubscriptionId(), null, held.now());
          return support.workflows().finish(tx, held, WorkflowStatus.FAILED);
        },
        () -> support.quotaChanged(w.getToPlanId()));
  }

  private void releaseHold(DSLContext tx, WorkflowRecord w) {
    if (w.getHoldAllocationId() != null) {
      support.quota().inTransaction(tx).release(w.getHoldAllocationId());
    }
  }

  /** The period after {@code current} in the subscription's cycle, anchored where it began. */
  private BillingPeriod nextPeriod(SubscriptionRecord s, Plan plan, BillingPeriod current) {
    return support
        .billing()
        .cycleStartingAt(s.getCreatedAt().toInstant(), plan.price().interval())
        .following(current);
  }

  private boolean isStopped(SubscriptionRecord s) {
    return support.instanceOf(s).map(i -> i.getStatus() == InstanceStatus.STOPPED).orElse(false);
  }

  private static InstanceRef ref(InstanceRecord instance, SubscriptionRecord s) {
    return new InstanceRef(instance.getInstanceId(), s.getUserId());
  }
}
