package io.minispod.catalog;

import static io.minispod.catalog.SubscriptionStore.at;
import static io.minispod.catalog.SubscriptionStore.truncate;
import static io.minispod.catalog.internal.db.Tables.WORKFLOW;

import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;

/**
 * The persisted workflows. A workflow row names the next step to run and carries a lease: the node
 * named in {@code lease_owner} runs it until {@code lease_expires_at}; after that, any node may
 * claim it. Every change made while running a step is fenced by the lease, so a node that lost its
 * lease (it stalled past the expiry and another node took over) changes nothing.
 */
final class WorkflowStore {

  /** The kinds of workflow. */
  enum Kind {
    SUBSCRIBE,
    UPGRADE,
    CANCEL
  }

  /** The steps of the workflows; {@link #UNDO} compensates whatever the kind had done. */
  enum Step {
    CHARGE,
    PROVISION,
    RESIZE,
    DEPROVISION,
    UNDO
  }

  /** The outcomes of a workflow. */
  enum Status {
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  WorkflowRecord start(
      DSLContext tx,
      Kind kind,
      UUID subscriptionId,
      String idempotencyKey,
      Step first,
      UUID fromPlanId,
      UUID toPlanId,
      String owner,
      Instant now,
      Duration lease) {
    return tx.insertInto(WORKFLOW)
        .set(WORKFLOW.WORKFLOW_ID, UUID.randomUUID())
        .set(WORKFLOW.KIND, kind.name())
        .set(WORKFLOW.SUBSCRIPTION_ID, subscriptionId)
        .set(WORKFLOW.IDEMPOTENCY_KEY, idempotencyKey)
        .set(WORKFLOW.STEP, first.name())
        .set(WORKFLOW.STATUS, Status.RUNNING.name())
        .set(WORKFLOW.FROM_PLAN_ID, fromPlanId)
        .set(WORKFLOW.TO_PLAN_ID, toPlanId)
        .set(WORKFLOW.ATTEMPTS, 0)
        .set(WORKFLOW.NEXT_ATTEMPT_AT, at(now))
        .set(WORKFLOW.LEASE_OWNER, owner)
        .set(WORKFLOW.LEASE_EXPIRES_AT, at(now.plus(lease)))
        .set(WORKFLOW.CREATED_AT, at(now))
        .set(WORKFLOW.UPDATED_AT, at(now))
        .returning()
        .fetchSingle();
  }

  Optional<WorkflowRecord> find(DSLContext tx, UUID workflowId) {
    return tx.selectFrom(WORKFLOW).where(WORKFLOW.WORKFLOW_ID.eq(workflowId)).fetchOptional();
  }

  Optional<WorkflowRecord> find(
      DSLContext tx, UUID subscriptionId, Kind kind, String idempotencyKey) {
    return tx.selectFrom(WORKFLOW)
        .where(WORKFLOW.SUBSCRIPTION_ID.eq(subscriptionId))
        .and(WORKFLOW.KIND.eq(kind.name()))
        .and(WORKFLOW.IDEMPOTENCY_KEY.eq(idempotencyKey))
        .fetchOptional();
  }

  Optional<WorkflowRecord> running(DSLContext tx, UUID subscriptionId) {
    return tx.selectFrom(WORKFLOW)
        .where(WORKFLOW.SUBSCRIPTION_ID.eq(subscriptionId))
        .and(WORKFLOW.STATUS.eq(Status.RUNNING.name()))
        .fetchOptional();
  }

  /**
   * Claims due workflows whose lease is free or expired: each is leased to {@code owner} until
   * {@code now + lease}. Rows another node is claiming at this moment are skipped, not waited for.
   */
  List<UUID> claimDue(DSLContext tx, String owner, Instant now, Duration lease, int limit) {
    List<UUID> due =
        tx.select(WORKFLOW.WORKFLOW_ID)
            .from(WORKFLOW)
            .where(WORKFLOW.STATUS.eq(Status.RUNNING.name()))
            .and(WORKFLOW.NEXT_ATTEMPT_AT.le(at(now)))
            .and(WORKFLOW.LEASE_EXPIRES_AT.isNull().or(WORKFLOW.LEASE_EXPIRES_AT.le(at(now))))
            .orderBy(WORKFLOW.NEXT_ATTEMPT_AT)
            .limit(limit)
            .forUpdate()
            .skipLocked()
            .fetch(WORKFLOW.WORKFLOW_ID);
    if (!due.isEmpty()) {
      tx.update(WORKFLOW)
          .set(WORKFLOW.LEASE_OWNER, owner)
          .set(WORKFLOW.LEASE_EXPIRES_AT, at(now.plus(lease)))
          .set(WORKFLOW.UPDATED_AT, at(now))
          .where(WORKFLOW.WORKFLOW_ID.in(due))
          .execute();
    }
    return due;
  }

  /**
   * A workflow as one node holds it at one instant. Every change to a held workflow is made only
   * while the lease is still that node's, in the same statement that makes it, so a node that lost
   * its lease (it stalled past the expiry and another node took over) changes nothing.
   *
   * @param workflowId the workflow
   * @param owner the node holding the lease
   * @param now the instant the change is made at
   */
  record Held(UUID workflowId, String owner, Instant now) {}

  private static Condition heldBy(Held held) {
    return WORKFLOW
        .WORKFLOW_ID
        .eq(held.workflowId())
        .and(WORKFLOW.STATUS.eq(Status.RUNNING.name()))
        .and(WORKFLOW.LEASE_OWNER.eq(held.owner()))
        .and(WORKFLOW.LEASE_EXPIRES_AT.gt(at(held.now())));
  }

  /**
   * Records the line that charged the workflow's payment and the amount it collected, and moves to
   * the next step with a fresh lease and attempt count; false when the lease was lost.
   */
  boolean charged(
      DSLContext tx, Held held, UUID chargeLineId, long amountDue, Step next, Duration lease) {
    return tx.update(WORKFLOW)
            .set(WORKFLOW.CHARGE_LINE_ID, chargeLineId)
            .set(WORKFLOW.AMOUNT_DUE, amountDue)
            .set(WORKFLOW.STEP, next.name())
            .set(WORKFLOW.ATTEMPTS, 0)
            .set(WORKFLOW.NEXT_ATTEMPT_AT, at(held.now()))
            .set(WORKFLOW.LEASE_EXPIRES_AT, at(held.now().plus(lease)))
            .set(WORKFLOW.UPDATED_AT, at(held.now()))
            .where(heldBy(held))
            .execute()
        == 1;
  }

  /**
   * Starts compensating, keeping the error that made it necessary for the caller to see; false when
   * the lease was lost.
   */
  boolean undo(DSLContext tx, Held held, String errorCode, String message, Duration lease) {
    return tx.update(WORKFLOW)
            .set(WORKFLOW.ERROR_CODE, errorCode)
            .set(WORKFLOW.ERROR_MESSAGE, truncate(message, 500))
            .set(WORKFLOW.STEP, Step.UNDO.name())
            .set(WORKFLOW.ATTEMPTS, 0)
            .set(WORKFLOW.NEXT_ATTEMPT_AT, at(held.now()))
            .set(WORKFLOW.LEASE_EXPIRES_AT, at(held.now().plus(lease)))
            .set(WORKFLOW.UPDATED_AT, at(held.now()))
            .where(heldBy(held))
            .execute()
        == 1;
  }

  /** Gives the lease back and schedules the same step again; false when the lease was lost. */
  boolean retryLater(DSLContext tx, Held held, int attempts, Instant at, String message) {
    return tx.update(WORKFLOW)
            .set(WORKFLOW.ATTEMPTS, attempts)
            .set(WORKFLOW.NEXT_ATTEMPT_AT, at(at))
            .setNull(WORKFLOW.LEASE_OWNER)
            .setNull(WORKFLOW.LEASE_EXPIRES_AT)
            .set(WORKFLOW.ERROR_MESSAGE, truncate(message, 500))
            .set(WORKFLOW.UPDATED_AT, at(held.now()))
            .where(heldBy(held))
            .execute()
        == 1;
  }

  /** Ends the workflow; false when the lease was lost. */
  boolean finish(DSLContext tx, Held held, Status status) {
    return tx.update(WORKFLOW)
            .set(WORKFLOW.STATUS, status.name())
            .setNull(WORKFLOW.LEASE_OWNER)
            .setNull(WORKFLOW.LEASE_EXPIRES_AT)
            .set(WORKFLOW.UPDATED_AT, at(held.now()))
            .where(heldBy(held))
            .execute()
        == 1;
  }
}
