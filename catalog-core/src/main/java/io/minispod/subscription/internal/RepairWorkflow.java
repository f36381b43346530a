package io.minispod.subscription.internal;

import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.subscription.internal.workflow.Step;
import io.minispod.subscription.internal.workflow.StepResult;
import io.minispod.subscription.internal.workflow.WorkflowKind;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A repair the instance reconciler starts when the platform no longer matches a live subscription
 * (its instance is missing, incomplete, or runs with other resources than its plan's): {@code
 * APPLY} makes the platform match again, through the provisioner's "make it so" with the current
 * plan and the owner's environment. Being a workflow, it is serialised with the subscription's
 * other workflows (a cancel or an upgrade never races it) and fenced like them. Its undo changes
 * nothing: the instance stays as the platform has it, and the next round tries again.
 */
final class RepairWorkflow implements WorkflowKind {

  static final String KIND = "REPAIR";
  static final String APPLY = "APPLY";

  private static final Logger log = LoggerFactory.getLogger(RepairWorkflow.class);

  private final WorkflowSupport support;

  RepairWorkflow(WorkflowSupport support) {
    this.support = support;
  }

  @Override
  public String name() {
    return KIND;
  }

  @Override
  public Map<String, Step> steps() {
    return Map.of(APPLY, support::provisionAsStored);
  }

  @Override
  public Step undo() {
    return this::undo;
  }

  private StepResult undo(WorkflowRecord w) {
    log.warn(
        "Repair of subscription {}'s instance failed ({}); the next reconciler round tries again",
        w.getSubscriptionId(),
        w.getErrorMessage());
    return StepResult.finish(
        (tx, held) -> support.workflows().finish(tx, held, WorkflowStatus.FAILED));
  }
}
