package io.minispod.subscription.internal;

import io.minispod.billing.UpgradeCharge;
import io.minispod.billing.UpgradeRequest;
import io.minispod.catalog.Plan;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.quota.QuotaItem;
import io.minispod.subscription.internal.workflow.Step;
import io.minispod.subscription.internal.workflow.StepResult;
import io.minispod.subscription.internal.workflow.WorkflowKind;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An upgrade, started with what the new plan needs beyond the old one held apart: {@code CHARGE}
 * the prorated difference, then {@code RESIZE} the instance and, in one transaction, release the
 * hold, swap the subscription's quota to the new plan and move the subscription to it. Its undo
 * refunds the charge, puts the instance back to the old plan's size and releases the hold, which
 * never needs capacity: the subscription never gave up its old plan's quota.
 *
 * <p>When the instance's current plan has backups ({@link InstanceBackups}), {@code RESIZE} first
 * backs the instance up ({@code BEFORE_UPGRADE}), with the workflow's id as the backup's key: a
 * {@code RESIZE} retried after a failed resize or a crash finds that backup taken and takes no
 * second one. A backup that fails fails the step as a failed resize would (retried when the
 * provisioner says trying again may help), before anything is resized.
 *
 * <p>An upgrade started before holds were kept (no hold recorded) had swapped its quota at its
 * start; it commits without a swap and its undo swaps back, as it did then.
 */
final class UpgradeWorkflow implements WorkflowKind {

  static final String KIND = "UPGRADE";
  static final String CHARGE = "CHARGE";
  static final String RESIZE = "RESIZE";

  private final WorkflowSupport support;
  private final QuotaFootprint footprint;
  private final InstanceBackups backups;

  /** An upgrade that backs an instance up before resizing it, where its plan has backups. */
  UpgradeWorkflow(WorkflowSupport support, QuotaFootprint footprint, InstanceBackups backups) {
    this.support = support;
    this.footprint = footprint;
    this.backups = backups;
  }

  @Override
  public String name() {
    return KIND;
  }

  @Override
  public Map<String, Step> steps() {
    return Map.of(CHARGE, this::charge, RESIZE, this::resize);
  }

  @Override
  public Step undo() {
    return this::undo;
  }

  private StepResult charge(WorkflowRecord w) {
    SubscriptionRecord s = support.subscription(w);
    Plan from = support.plan(s, w.getFromPlanId());
    Plan to = support.plan(s, w.getToPlanId());
    UpgradeCharge charge =
        support
            .billing()
            .chargeUpgrade(
                new UpgradeRequest(
                    s.getUserId(),
                    support.reference(s, from),
                    support.reference(s, to),
                    SubscriptionStore.period(s),
                    to.price().amount(),
                    w.getCreatedAt().toInstant(),
                    "upgrade:" + w.getWorkflowId(),
                    "upgrade from " + from.name() + " to " + to.name()));
    return StepResult.next(
        (tx, held) ->
            support
                .workflows()
                .charged(
                    tx,
                    held,
                    charge.charge().id(),
                    charge.quote().due().minorUnits(),
                    RESIZE,
                    support.lease()));
  }

  private StepResult resize(WorkflowRecord w) {
    SubscriptionStore.Current current = support.current(w);
    SubscriptionRecord s = current.subscription();
    InstanceRecord instance = current.instance().orElseThrow();
    Plan to = support.plan(s, w.getToPlanId());
    backups.beforeUpgrade(s, instance, support.plan(s, w.getFromPlanId()), w.getWorkflowId());
    support.provisioner().resize(support.specs().spec(s, instance, to));
    List<QuotaItem> newItems = footprint.items(s.getUserId(), to);
    return StepResult.finish(
        (tx, held) -> {
          Instant now = held.now();
          if (w.getHoldAllocationId() != null) {
            // Released first, in the same transaction: what the hold kept is what the swap takes.
            support.quota().inTransaction(tx).release(w.getHoldAllocationId());
            support.quota().inTransaction(tx).swap(s.getAllocationId(), newItems);
          }
          support
              .subscriptions()
              .changePlan(
                  tx, s.getSubscriptionId(), to.id(), s.getAmountPaid() + w.getAmountDue(), now);
          support.subscriptions().resizeInstance(tx, instance.getInstanceId(), to.resources(), now);
          return support.workflows().finish(tx, held, WorkflowStatus.SUCCEEDED);
        },
        () -> support.quotaChanged(w.getFromPlanId(), w.getToPlanId()));
  }

  private StepResult undo(WorkflowRecord w) {
    SubscriptionStore.Current current = support.current(w);
    SubscriptionRecord s = current.subscription();
    Optional<InstanceRecord> instance = current.instance();
    support.refundCharge(w);
    Plan from = support.plan(s, w.getFromPlanId());
    if (instance.isPresent() && w.getChargeLineId() != null) {
      // Paid, so the resize may have begun: put the instance back to the old plan's size.
      support.restoreSize(s, instance.get(), from);
    }
    List<QuotaItem> oldItems = footprint.items(s.getUserId(), from);
    return StepResult.finish(
        (tx, held) -> {
          if (w.getHoldAllocationId() != null) {
            support.quota().inTransaction(tx).release(w.getHoldAllocationId());
          } else {
            support.quota().inTransaction(tx).swap(s.getAllocationId(), oldItems);
          }
          return support.workflows().finish(tx, held, WorkflowStatus.FAILED);
        },
        () -> support.quotaChanged(w.getFromPlanId(), w.getToPlanId(), s.getPlanId()));
  }
}
