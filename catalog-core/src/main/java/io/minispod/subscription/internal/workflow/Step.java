package io.minispod.subscription.internal.workflow;

import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;

/**
 * One step of a workflow kind: it makes its calls to the outside world (each idempotent, so that a
 * step run again after a crash does its work once) and answers what to record.
 */
@FunctionalInterface
public interface Step {

  /**
   * Runs the step's outside calls.
   *
   * @param workflow the workflow as this node holds it
   * @return what to record, in one transaction fenced by the lease
   * @throws RuntimeException when a call failed; the runner's failure rule decides what follows
   */
  StepResult run(WorkflowRecord workflow);
}
