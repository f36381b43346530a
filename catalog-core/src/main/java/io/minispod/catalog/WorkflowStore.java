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

  UUID start(
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
    UUID id = UUID.randomUUID();
    tx.insertInto(WORKFLOW)
        .set(WORKFLOW.WORKFLOW_ID, id)
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
        .execute();
    return id;
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

  /** Locks a workflow this node holds the lease of; empty when the lease was lost. */
  Optional<WorkflowRecord> lockOwned(DSLContext tx, UUID workflowId, String owner, Instant now) {
    return tx.selectFrom(WORKFLOW)
        .where(WORKFLOW.WORKFLOW_ID.eq(workflowId))
        .and(WORKFLOW.STATUS.eq(Status.RUNNING.name()))
        .and(WORKFLOW.LEASE_OWNER.eq(owner))
        .and(WORKFLOW.LEASE_EXPIRES_AT.gt(at(now)))
        .forUpdate()
        .fetchOptional();
  }

  /** Moves to the next step, with a fresh lease and attempt count. */
  void advance(DSLContext tx, UUID workflowId, Step next, Instant now, Duration lease) {
    tx.update(WORKFLOW)
        .set(WORKFLOW.STEP, next.name())
        .set(WORKFLOW.ATTEMPTS, 0)
        .set(WORKFLOW.NEXT_ATTEMPT_AT, at(now))
        .set(WORKFLOW.LEASE_EXPIRES_AT, at(now.plus(lease)))
        .set(WORKFLOW.UPDATED_AT, at(now))
        .where(WORKFLOW.WORKFLOW_ID.eq(workflowId))
        .execute();
  }

  /**
   * Records the line that charged the workflow's payment and the amount it collected, and moves to
   * the next step (as {@link #advance} does), in one update.
   */
  void charged(
      DSLContext tx,
      UUID workflowId,
      UUID chargeLineId,
      long amountDue,
      Step next,
      Instant now,
      Duration lease) {
    tx.update(WORKFLOW)
        .set(WORKFLOW.CHARGE_LINE_ID, chargeLineId)
        .set(WORKFLOW.AMOUNT_DUE, amountDue)
        .set(WORKFLOW.STEP, next.name())
        .set(WORKFLOW.ATTEMPTS, 0)
        .set(WORKFLOW.NEXT_ATTEMPT_AT, at(now))
        .set(WORKFLOW.LEASE_EXPIRES_AT, at(now.plus(lease)))
        .set(WORKFLOW.UPDATED_AT, at(now))
        .where(WORKFLOW.WORKFLOW_ID.eq(workflowId))
        .execute();
  }

  /** Starts compensating, keeping the error that made it necessary for the caller to see. */
  void undo(
      DSLContext tx,
      UUID workflowId,
      String errorCode,
      String message,
      Instant now,
      Duration lease) {
    tx.update(WORKFLOW)
        .set(WORKFLOW.ERROR_CODE, errorCode)
        .set(WORKFLOW.ERROR_MESSAGE, truncate(message, 500))
        .where(WORKFLOW.WORKFLOW_ID.eq(workflowId))
        .execute();
    advance(tx, workflowId, Step.UNDO, now, lease);
  }

  /** Gives the lease back and schedules the same step again. */
  void retryLater(
      DSLContext tx, UUID workflowId, int attempts, Instant at, String message, Instant now) {
    tx.update(WORKFLOW)
        .set(WORKFLOW.ATTEMPTS, attempts)
        .set(WORKFLOW.NEXT_ATTEMPT_AT, at(at))
        .setNull(WORKFLOW.LEASE_OWNER)
        .setNull(WORKFLOW.LEASE_EXPIRES_AT)
        .set(WORKFLOW.ERROR_MESSAGE, truncate(message, 500))
        .set(WORKFLOW.UPDATED_AT, at(now))
        .where(WORKFLOW.WORKFLOW_ID.eq(workflowId))
        .execute();
  }

  void finish(DSLContext tx, UUID workflowId, Status status, Instant now) {
    tx.update(WORKFLOW)
        .set(WORKFLOW.STATUS, status.name())
        .setNull(WORKFLOW.LEASE_OWNER)
        .setNull(WORKFLOW.LEASE_EXPIRES_AT)
        .set(WORKFLOW.UPDATED_AT, at(now))
        .where(WORKFLOW.WORKFLOW_ID.eq(workflowId))
        .execute();
  }
}
