package io.minispod.subscription.internal.workflow;

/**
 * Observes workflows from inside: tests use it to stop a node between two steps (a simulated crash)
 * and prove that another node finishes the work.
 */
public interface StepObserver {

  /** Observes nothing. */
  StepObserver NONE = new StepObserver() {};

  /**
   * Called after a step's outside calls, right before its transaction ({@code step} is {@code null}
   * right before the transaction that starts the workflow).
   *
   * @param kind the workflow's kind
   * @param step the step's name
   */
  default void beforeCommit(String kind, String step) {}

  /**
   * Called after a step's transaction committed ({@code step} is {@code null} after the workflow
   * was started).
   *
   * @param kind the workflow's kind
   * @param step the step's name
   */
  default void committed(String kind, String step) {}
}
