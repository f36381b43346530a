package io.minispod.subscription.internal.workflow;

import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A workflow as one claim of one node holds it at one instant. Every change to a held workflow is
 * made only while the lease is still that claim's, in the same statement that makes it, so an
 * attempt whose lease was lost (it stalled past the expiry and the workflow was claimed again, by
 * another node or by the same one) changes nothing.
 *
 * @param workflowId the workflow
 * @param owner the node holding the lease
 * @param generation the fencing token of the claim: every claim of the workflow increments it
 * @param now the instant the change is made at
 * @param moved where the statement that moves the workflow to its next step leaves the row it
 *     returned, so that the runner goes on from it without reading the workflow again
 */
public record Held(UUID workflowId, String owner, long generation, Instant now, Moved moved) {

  /**
   * A claim's hold of a workflow, with nothing moved yet.
   *
   * @param workflowId the workflow
   * @param owner the node holding the lease
   * @param generation the fencing token of the claim
   * @param now the instant the change is made at
   */
  public Held(UUID workflowId, String owner, long generation, Instant now) {
    this(workflowId, owner, generation, now, new Moved());
  }

  /** The workflow as a change moved it to its next step, still held by the same claim. */
  public static final class Moved {
    private WorkflowRecord workflow;

    void to(WorkflowRecord moved) {
      this.workflow = moved;
    }

    Optional<WorkflowRecord> workflow() {
      return Optional.ofNullable(workflow);
    }
  }
}
