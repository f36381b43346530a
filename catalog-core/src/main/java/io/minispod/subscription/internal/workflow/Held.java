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
 * <p>When the change moves the workflow to another step, the statement that moves it also returns
 * the workflow as it left it, so that the runner goes on from there without reading it again.
 */
public final class Held {

  private final UUID workflowId;
  private final String owner;
  private final long generation;
  private final Instant now;
  private WorkflowRecord moved;

  /**
   * A claim's hold of a workflow.
   *
   * @param workflowId the workflow
   * @param owner the node holding the lease
   * @param generation the fencing token of the claim: every claim of the workflow increments it
   * @param now the instant the change is made at
   */
  public Held(UUID workflowId, String owner, long generation, Instant now) {
    this.workflowId = workflowId;
    this.owner = owner;
    this.generation = generation;
    this.now = now;
  }

  /**
   * The workflow.
   *
   * @return its id
   */
  public UUID workflowId() {
    return workflowId;
  }

  /**
   * The node holding the lease.
   *
   * @return its node id
   */
  public String owner() {
    return owner;
  }

  /**
   * The fencing token of the claim: every claim of the workflow increments it.
   *
   * @return the generation
   */
  public long generation() {
    return generation;
  }

  /**
   * The instant the change is made at.
   *
   * @return the instant
   */
  public Instant now() {
    return now;
  }

  /** Remembers the workflow as the change moved it to its next step, still held by this claim. */
  void movedTo(WorkflowRecord workflow) {
    this.moved = workflow;
  }

  /** The workflow as the change moved it to its next step; empty when it did not move it. */
  Optional<WorkflowRecord> moved() {
    return Optional.ofNullable(moved);
  }
}
