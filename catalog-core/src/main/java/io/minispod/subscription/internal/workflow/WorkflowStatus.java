package io.minispod.subscription.internal.workflow;

/** Where a workflow stands: running (its next step is due or leased), or ended either way. */
public enum WorkflowStatus {
  /** Its current step is due, leased, or waiting for a retry. */
  RUNNING,
  /** Every step was done. */
  SUCCEEDED,
  /** A step failed for good and the undo step compensated what had been done. */
  FAILED
}
