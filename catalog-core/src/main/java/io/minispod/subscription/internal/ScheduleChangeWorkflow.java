package io.minispod.subscription.internal;

import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.subscription.internal.workflow.Step;
import io.minispod.subscription.internal.workflow.StepResult;
import io.minispod.subscription.internal.workflow.WorkflowKind;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import java.util.Map;

/**
 * A plan change the {@link io.minispod.subscription.UpgradePolicy} allows at the end of the term:
 * {@code RECORD} it on the subscription, replacing one scheduled before. Nothing is held, charged
 * or resized now; the {@link RenewWorkflow renewal} that starts the next period applies it. A
 * workflow of its own so that it is serialised with the subscription's other operations, keyed and
 * answered like an upgrade.
 */
final class ScheduleChangeWorkflow implements WorkflowKind {

  static final String KIND = "SCHEDULE_CHANGE";
  static final String RECORD = "RECORD";

  private final WorkflowSupport support;

  ScheduleChangeWorkflow(WorkflowSupport support) {
    this.support = support;
  }

  @Override
  public String name() {
    return KIND;
  }

  @Override
  public Map<String, Step> steps() {
    return Map.of(RECORD, this::record);
  }

  /** Recording is never compensated: it is retried until it is done. */
  @Override
  public Step undo() {
    throw new IllegalStateException("scheduling a change is retried until it is done");
  }

  @Override
  public boolean compensates() {
    return false;
  }

  private StepResult record(WorkflowRecord w) {
    return StepResult.finish(
        (tx, held) -> {
          support
              .subscriptions()
              .scheduleChange(tx, w.getSubscriptionId(), w.getToPlanId(), held.now());
          return support.workflows().finish(tx, held, WorkflowStatus.SUCCEEDED);
        });
  }
}
