package io.minispod.subscription.internal;

import static io.minispod.catalog.internal.Columns.at;
import static io.minispod.catalog.internal.db.Tables.SUBSCRIPTION;
import static io.minispod.catalog.internal.db.Tables.WORKFLOW;

import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.subscription.internal.SubscriptionOperations.Request;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import io.minispod.subscription.internal.workflow.WorkflowStore;
import io.minispod.subscription.internal.workflow.WorkflowStore.Queued;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Finds the subscriptions that time has made due and queues the workflow each needs, for any node's
 * runner to claim: a {@link RenewWorkflow renewal} when an active period ended or a past-due retry
 * is due, and a {@link CancelWorkflow cancel} when a period scheduled to be the last one ended or a
 * suspension's grace period ran out.
 *
 * <p>Each call looks at one batch of subscriptions, locked with {@code SKIP LOCKED} so that several
 * nodes take disjoint batches, and skips subscriptions with a workflow running (it is queued the
 * next round, when that one ended). Memory does not grow with the number due: callers loop over
 * batches.
 */
final class Renewals {

  /** The key of a cancel because the period scheduled to be the last one ended. */
  static final String CANCEL_AT_PERIOD_END = "cancel:at-period-end";

  /** The key of a cancel because a suspension's grace period ran out. */
  static final String CANCEL_AFTER_SUSPENSION = "cancel:suspension-ended";

  private final DSLContext dsl;
  private final SubscriptionStore store;
  private final WorkflowStore workflows;
  private final Clock clock;

  Renewals(DSLContext dsl, SubscriptionStore store, WorkflowStore workflows, Clock clock) {
    this.dsl = dsl;
    this.store = store;
    this.workflows = workflows;
    this.clock = clock;
  }

  /**
   * Queues the workflows of one batch of due subscriptions.
   *
   * @param limit the most subscriptions to look at
   * @return how many workflows were queued
   */
  int queueDue(int limit) {
    return dsl.transactionResult(
        cfg -> {
          DSLContext tx = cfg.dsl();
          Instant now = clock.instant();
          List<SubscriptionRecord> due = lockDue(tx, now, limit);
          List<Queued> renewals = new ArrayList<>();
          int cancels = 0;
          for (SubscriptionRecord s : due) {
            if (s.getStatus() == SubscriptionStatus.SUSPENDED) {
              cancels += cancel(tx, s, CANCEL_AFTER_SUSPENSION, now);
            } else if (s.getCancelAtPeriodEnd()) {
              cancels += cancel(tx, s, CANCEL_AT_PERIOD_END, now);
            } else {
              // Keyed and fingerprinted as its owner's reactivation would be, so that the two meet.
              Request request =
                  Request.of(RenewWorkflow.KIND, RenewWorkflow.key(s), s.getSubscriptionId());
              renewals.add(
                  new Queued(
                      request.kind(),
                      s.getSubscriptionId(),
                      request.key(),
                      request.fingerprint(),
                      RenewWorkflow.firstStep(s),
                      s.getPlanId(),
                      RenewWorkflow.renewedPlan(s)));
            }
          }
          return workflows.queue(tx, renewals, now) + cancels;
        });
  }

  /**
   * Active subscriptions whose period ended, and past-due and suspended ones whose next attempt (or
   * the end of whose grace period) is due, with no workflow running: locked, skipping those another
   * node has locked.
   */
  private static List<SubscriptionRecord> lockDue(DSLContext tx, Instant now, int limit) {
    return tx.selectFrom(SUBSCRIPTION)
        .where(
            SUBSCRIPTION
                .STATUS
                .eq(SubscriptionStatus.ACTIVE)
                .and(SUBSCRIPTION.PERIOD_END.le(at(now)))
                .or(
                    SUBSCRIPTION
                        .STATUS
                        .in(SubscriptionStatus.PAST_DUE, SubscriptionStatus.SUSPENDED)
                        .and(SUBSCRIPTION.NEXT_RENEWAL_ATTEMPT_AT.le(at(now)))))
        .andNotExists(
            DSL.selectOne()
                .from(WORKFLOW)
                .where(WORKFLOW.SUBSCRIPTION_ID.eq(SUBSCRIPTION.SUBSCRIPTION_ID))
                .and(WORKFLOW.STATUS.eq(WorkflowStatus.RUNNING)))
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .fetch();
  }

  /** Queues a cancel the subscription's own time asked for; its instance shows it at once. */
  private int cancel(DSLContext tx, SubscriptionRecord s, String key, Instant now) {
    int queued =
        workflows.queue(
            tx,
            List.of(
                new Queued(
                    CancelWorkflow.KIND,
                    s.getSubscriptionId(),
                    key,
                    null,
                    CancelWorkflow.DEPROVISION,
                    s.getPlanId(),
                    null)),
            now);
    if (queued == 1) {
      String reason =
          key.equals(CANCEL_AT_PERIOD_END)
              ? "cancelled at the end of its period"
              : "cancelled after its suspension";
      store
          .instanceOf(tx, s.getSubscriptionId())
          .filter(i -> i.getStatus() != InstanceStatus.DELETED)
          .ifPresent(
              i ->
                  store.moveInstance(
                      tx, i.getInstanceId(), InstanceStatus.DEPROVISIONING, reason, now));
    }
    return queued;
  }
}
