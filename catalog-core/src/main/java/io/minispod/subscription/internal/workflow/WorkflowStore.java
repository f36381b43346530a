package io.minispod.subscription.internal.workflow;

import static io.minispod.catalog.internal.Columns.at;
import static io.minispod.catalog.internal.Columns.truncate;
import static io.minispod.catalog.internal.db.Tables.WORKFLOW;
import static io.minispod.catalog.internal.db.Tables.WORKFLOW_ERROR_DETAIL;

import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.UpdateSetMoreStep;

/**
 * The persisted workflows. A workflow row names the next step to run and carries a lease: the node
 * named in {@code lease_owner} runs it until {@code lease_expires_at}; after that, any node may
 * claim it, and every claim increments {@code lease_generation}, the claim's fencing token. Every
 * change made while running a step is fenced by the lease and its generation, so an attempt that
 * lost its lease (it stalled past the expiry and the workflow was claimed again, even by the same
 * node) changes nothing.
 */
public final class WorkflowStore {

  /**
   * Starts a workflow, leased to the node that starts it so that it can run the first step at once.
   *
   * @return the new workflow
   */
  public WorkflowRecord start(
      DSLContext tx,
      String kind,
      UUID subscriptionId,
      String idempotencyKey,
      String requestFingerprint,
      String first,
      UUID fromPlanId,
      UUID toPlanId,
      String owner,
      Instant now,
      Duration lease) {
    return tx.insertInto(WORKFLOW)
        .set(WORKFLOW.WORKFLOW_ID, UUID.randomUUID())
        .set(WORKFLOW.KIND, kind)
        .set(WORKFLOW.SUBSCRIPTION_ID, subscriptionId)
        .set(WORKFLOW.IDEMPOTENCY_KEY, idempotencyKey)
        .set(WORKFLOW.REQUEST_FINGERPRINT, requestFingerprint)
        .set(WORKFLOW.STEP, first)
        .set(WORKFLOW.STATUS, WorkflowStatus.RUNNING)
        .set(WORKFLOW.FROM_PLAN_ID, fromPlanId)
        .set(WORKFLOW.TO_PLAN_ID, toPlanId)
        .set(WORKFLOW.ATTEMPTS, 0)
        .set(WORKFLOW.NEXT_ATTEMPT_AT, at(now))
        .set(WORKFLOW.LEASE_OWNER, owner)
        .set(WORKFLOW.LEASE_EXPIRES_AT, at(now.plus(lease)))
        .set(WORKFLOW.LEASE_GENERATION, 1L)
        .set(WORKFLOW.CREATED_AT, at(now))
        .set(WORKFLOW.UPDATED_AT, at(now))
        .returning()
        .fetchSingle();
  }

  /**
   * A workflow to queue for any node's runner.
   *
   * @param kind its kind
   * @param subscriptionId the subscription it changes
   * @param idempotencyKey what makes it unique among the subscription's workflows of its kind
   * @param requestFingerprint what it was asked, or {@code null}
   * @param first its first step
   * @param fromPlanId the plan the subscription is on
   * @param toPlanId the plan it moves to (the same for no change), or {@code null}
   */
  public record Queued(
      String kind,
      UUID subscriptionId,
      String idempotencyKey,
      String requestFingerprint,
      String first,
      UUID fromPlanId,
      UUID toPlanId) {}

  /**
   * Queues workflows, leased to nobody and due now, for whichever node's runner claims them first.
   * A workflow whose key was used before, or whose subscription has one running, is not queued.
   *
   * @return how many were queued
   */
  public int queue(DSLContext tx, List<Queued> workflows, Instant now) {
    if (workflows.isEmpty()) {
      return 0;
    }
    var insert =
        tx.insertInto(
            WORKFLOW,
            WORKFLOW.WORKFLOW_ID,
            WORKFLOW.KIND,
            WORKFLOW.SUBSCRIPTION_ID,
            WORKFLOW.IDEMPOTENCY_KEY,
            WORKFLOW.REQUEST_FINGERPRINT,
            WORKFLOW.STEP,
            WORKFLOW.STATUS,
            WORKFLOW.FROM_PLAN_ID,
            WORKFLOW.TO_PLAN_ID,
            WORKFLOW.ATTEMPTS,
            WORKFLOW.NEXT_ATTEMPT_AT,
            WORKFLOW.CREATED_AT,
            WORKFLOW.UPDATED_AT);
    for (Queued w : workflows) {
      insert =
          insert.values(
              UUID.randomUUID(),
              w.kind(),
              w.subscriptionId(),
              w.idempotencyKey(),
              w.requestFingerprint(),
              w.first(),
              WorkflowStatus.RUNNING,
              w.fromPlanId(),
              w.toPlanId(),
              0,
              at(now),
              at(now),
              at(now));
    }
    return insert.onConflictDoNothing().execute();
  }

  /** A workflow by id. */
  public Optional<WorkflowRecord> find(DSLContext tx, UUID workflowId) {
    return tx.selectFrom(WORKFLOW).where(WORKFLOW.WORKFLOW_ID.eq(workflowId)).fetchOptional();
  }

  /** The workflow of a kind that a subscription's request with an idempotency key started. */
  public Optional<WorkflowRecord> find(
      DSLContext tx, UUID subscriptionId, String kind, String idempotencyKey) {
    return tx.selectFrom(WORKFLOW)
        .where(WORKFLOW.SUBSCRIPTION_ID.eq(subscriptionId))
        .and(WORKFLOW.KIND.eq(kind))
        .and(WORKFLOW.IDEMPOTENCY_KEY.eq(idempotencyKey))
        .fetchOptional();
  }

  /** The workflow running for a subscription, if one is. */
  public Optional<WorkflowRecord> running(DSLContext tx, UUID subscriptionId) {
    return tx.selectFrom(WORKFLOW)
        .where(WORKFLOW.SUBSCRIPTION_ID.eq(subscriptionId))
        .and(WORKFLOW.STATUS.eq(WorkflowStatus.RUNNING))
        .fetchOptional();
  }

  /**
   * Claims due workflows whose lease is free or expired: each is leased to {@code owner} until
   * {@code now + lease} under a new generation (its fencing token). Rows another node is claiming
   * at this moment are skipped, not waited for.
   *
   * @return the claimed workflows as they are now
   */
  public List<WorkflowRecord> claimDue(
      DSLContext tx, String owner, Instant now, Duration lease, int limit) {
    List<UUID> due =
        tx.select(WORKFLOW.WORKFLOW_ID)
            .from(WORKFLOW)
            .where(WORKFLOW.STATUS.eq(WorkflowStatus.RUNNING))
            .and(WORKFLOW.NEXT_ATTEMPT_AT.le(at(now)))
            .and(WORKFLOW.LEASE_EXPIRES_AT.isNull().or(WORKFLOW.LEASE_EXPIRES_AT.le(at(now))))
            .orderBy(WORKFLOW.NEXT_ATTEMPT_AT)
            .limit(limit)
            .forUpdate()
            .skipLocked()
            .fetch(WORKFLOW.WORKFLOW_ID);
    if (due.isEmpty()) {
      return List.of();
    }
    return tx.update(WORKFLOW)
        .set(WORKFLOW.LEASE_OWNER, owner)
        .set(WORKFLOW.LEASE_EXPIRES_AT, at(now.plus(lease)))
        .set(WORKFLOW.LEASE_GENERATION, WORKFLOW.LEASE_GENERATION.plus(1))
        .set(WORKFLOW.UPDATED_AT, at(now))
        .where(WORKFLOW.WORKFLOW_ID.in(due))
        .returning()
        .fetch();
  }

  private static Condition heldBy(Held held) {
    return WORKFLOW
        .WORKFLOW_ID
        .eq(held.workflowId())
        .and(WORKFLOW.STATUS.eq(WorkflowStatus.RUNNING))
        .and(WORKFLOW.LEASE_OWNER.eq(held.owner()))
        .and(WORKFLOW.LEASE_GENERATION.eq(held.generation()))
        .and(WORKFLOW.LEASE_EXPIRES_AT.gt(at(held.now())));
  }

  /**
   * Extends the lease of a step in progress to {@code now + lease}, while the claim still holds the
   * workflow (its generation unchanged, so nobody claimed it since, even if it expired meanwhile).
   *
   * @return false when the workflow was claimed again or ended
   */
  public boolean renew(DSLContext tx, Held held, Duration lease) {
    return tx.update(WORKFLOW)
            .set(WORKFLOW.LEASE_EXPIRES_AT, at(held.now().plus(lease)))
            .where(WORKFLOW.WORKFLOW_ID.eq(held.workflowId()))
            .and(WORKFLOW.STATUS.eq(WorkflowStatus.RUNNING))
            .and(WORKFLOW.LEASE_OWNER.eq(held.owner()))
            .and(WORKFLOW.LEASE_GENERATION.eq(held.generation()))
            .execute()
        == 1;
  }

  /**
   * Records the quota an operation holds until it commits (an upgrade's hold for its new plan).
   *
   * @return the workflow as it is now
   */
  public WorkflowRecord holdQuota(DSLContext tx, UUID workflowId, UUID allocationId) {
    return tx.update(WORKFLOW)
        .set(WORKFLOW.HOLD_ALLOCATION_ID, allocationId)
        .where(WORKFLOW.WORKFLOW_ID.eq(workflowId))
        .returning()
        .fetchSingle();
  }

  /**
   * Moves to the next step with a fresh lease and attempt count; false when the lease was lost.
   *
   * @return whether the held workflow was updated
   */
  public boolean advance(DSLContext tx, Held held, String next, Duration lease) {
    return moveOn(tx.update(WORKFLOW).set(WORKFLOW.STEP, next), held, lease);
  }

  /**
   * Records the line that charged the workflow's payment and the amount it collected, and moves to
   * the next step with a fresh lease and attempt count; false when the lease was lost.
   */
  public boolean charged(
      DSLContext tx, Held held, UUID chargeLineId, long amountDue, String next, Duration lease) {
    return moveOn(
        tx.update(WORKFLOW)
            .set(WORKFLOW.CHARGE_LINE_ID, chargeLineId)
            .set(WORKFLOW.AMOUNT_DUE, amountDue)
            .set(WORKFLOW.STEP, next),
        held,
        lease);
  }

  /**
   * Starts compensating, keeping the error that made it necessary for the caller to see; false when
   * the lease was lost.
   */
  boolean undo(DSLContext tx, Held held, StepFailure failure, Duration lease) {
    boolean moved =
        moveOn(
            tx.update(WORKFLOW)
                .set(WORKFLOW.ERROR_CODE, failure.code())
                .set(WORKFLOW.ERROR_MESSAGE, truncate(failure.message(), 500))
                .set(WORKFLOW.STEP, WorkflowRunner.UNDO),
            held,
            lease);
    if (moved) {
      failure
          .details()
          .forEach(
              (name, value) ->
                  tx.insertInto(WORKFLOW_ERROR_DETAIL)
                      .set(WORKFLOW_ERROR_DETAIL.WORKFLOW_ID, held.workflowId())
                      .set(WORKFLOW_ERROR_DETAIL.NAME, truncate(name, 100))
                      .set(WORKFLOW_ERROR_DETAIL.VALUE, truncate(String.valueOf(value), 1000))
                      .onConflictDoNothing()
                      .execute());
    }
    return moved;
  }

  /**
   * The details of the error that ended a workflow, as text.
   *
   * @return the details by name, empty when it did not fail or recorded none
   */
  public Map<String, String> errorDetails(DSLContext tx, UUID workflowId) {
    return tx.select(WORKFLOW_ERROR_DETAIL.NAME, WORKFLOW_ERROR_DETAIL.VALUE)
        .from(WORKFLOW_ERROR_DETAIL)
        .where(WORKFLOW_ERROR_DETAIL.WORKFLOW_ID.eq(workflowId))
        .fetchMap(WORKFLOW_ERROR_DETAIL.NAME, WORKFLOW_ERROR_DETAIL.VALUE);
  }

  /**
   * Completes a move to another step: a fresh lease and attempt count, fenced by the lease. The
   * workflow as moved is handed to {@code held}, for the runner to go on from.
   */
  private static boolean moveOn(
      UpdateSetMoreStep<WorkflowRecord> update, Held held, Duration lease) {
    Optional<WorkflowRecord> moved =
        update
            .set(WORKFLOW.ATTEMPTS, 0)
            .set(WORKFLOW.NEXT_ATTEMPT_AT, at(held.now()))
            .set(WORKFLOW.LEASE_EXPIRES_AT, at(held.now().plus(lease)))
            .set(WORKFLOW.UPDATED_AT, at(held.now()))
            .where(heldBy(held))
            .returning()
            .fetchOptional();
    moved.ifPresent(held.moved()::to);
    return moved.isPresent();
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
  public boolean finish(DSLContext tx, Held held, WorkflowStatus status) {
    return tx.update(WORKFLOW)
            .set(WORKFLOW.STATUS, status)
            .setNull(WORKFLOW.LEASE_OWNER)
            .setNull(WORKFLOW.LEASE_EXPIRES_AT)
            .set(WORKFLOW.UPDATED_AT, at(held.now()))
            .where(heldBy(held))
            .execute()
        == 1;
  }
}
