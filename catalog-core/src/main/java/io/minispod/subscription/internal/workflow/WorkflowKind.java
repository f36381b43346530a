package io.minispod.subscription.internal.workflow;

import java.util.Map;

/**
 * One kind of persisted workflow (subscribe, upgrade, cancel, …): its steps by name and how it
 * compensates. A new kind is a new implementation registered with the {@link WorkflowRunner};
 * nothing else changes.
 */
public interface WorkflowKind {

  /**
   * The kind's stable name, stored in the workflow table.
   *
   * @return such as {@code SUBSCRIBE}
   */
  String name();

  /**
   * The kind's steps by their stored names ({@link WorkflowRunner#UNDO} is not one of them).
   *
   * @return the steps
   */
  Map<String, Step> steps();

  /**
   * The compensation: undoes whatever the workflow had done and records it as failed. The runner
   * retries it until it succeeds.
   *
   * @return the undo step
   */
  Step undo();

  /**
   * Whether a step that fails for good is compensated. A kind that must always finish (a cancel)
   * answers {@code false}, and its failing steps are retried until they succeed.
   *
   * @return {@code true} by default
   */
  default boolean compensates() {
    return true;
  }
}
