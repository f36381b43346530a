package io.minispod.subscription.internal.workflow;

import org.jooq.DSLContext;

/**
 * What a step did, for the runner to record: a change to commit in one transaction fenced by the
 * lease, whether the next step follows right away, and what to do once the change is committed.
 *
 * @param record the change; its last statement updates the held workflow and says if it could
 * @param continues whether another step follows at once (otherwise the workflow ended)
 * @param afterCommit run once the change committed (never when the lease was lost)
 */
public record StepResult(Record record, boolean continues, Runnable afterCommit) {

  /** Records a step's outcome in the caller's transaction. */
  @FunctionalInterface
  public interface Record {
    /**
     * Records the outcome.
     *
     * @param tx the transaction
     * @param held the workflow as this node holds it
     * @return whether the lease was still this node's (and so whether the change was made)
     */
    boolean apply(DSLContext tx, Held held);
  }

  /**
   * A step after which the workflow goes on with the step the record names.
   *
   * @param record the change, which moves the workflow to its next step
   * @return the result
   */
  public static StepResult next(Record record) {
    return new StepResult(record, true, () -> {});
  }

  /**
   * A step that ends the workflow.
   *
   * @param record the change, which finishes the workflow
   * @return the result
   */
  public static StepResult finish(Record record) {
    return new StepResult(record, false, () -> {});
  }

  /**
   * A step that ends the workflow, with something to do once that committed.
   *
   * @param record the change, which finishes the workflow
   * @param afterCommit run after the commit, such as telling the catalog its quota changed
   * @return the result
   */
  public static StepResult finish(Record record, Runnable afterCommit) {
    return new StepResult(record, false, afterCommit);
  }
}
