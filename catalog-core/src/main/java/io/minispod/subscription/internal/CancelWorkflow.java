package io.minispod.subscription.internal;

import io.minispod.billing.BillingLine;
import io.minispod.billing.LineStatus;
import io.minispod.billing.Money;
import io.minispod.billing.RefundRequest;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.subscription.CancellationPolicy;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.subscription.internal.workflow.Step;
import io.minispod.subscription.internal.workflow.StepResult;
import io.minispod.subscription.internal.workflow.WorkflowKind;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cancel: {@code DEPROVISION} the instance, refund what the cancellation policy grants, release
 * the quota and end the subscription. A cancel is never compensated: it is retried until it is
 * done. A cancel that the subscription's time asked for (at the end of a period scheduled to be the
 * last, or at the end of a suspension's grace period; see {@link Renewals}) refunds nothing.
 */
final class CancelWorkflow implements WorkflowKind {

  static final String KIND = "CANCEL";
  static final String DEPROVISION = "DEPROVISION";

  private final WorkflowSupport support;
  private final CancellationPolicy policy;

  CancelWorkflow(WorkflowSupport support, CancellationPolicy policy) {
    this.support = support;
    this.policy = policy;
  }

  @Override
  public String name() {
    return KIND;
  }

  @Override
  public Map<String, Step> steps() {
    return Map.of(DEPROVISION, this::deprovision);
  }

  /** A cancel is never compensated ({@link #compensates()}), so it has no undo step. */
  @Override
  public Step undo() {
    throw new IllegalStateException("a cancel is retried until it is done, never undone");
  }

  @Override
  public boolean compensates() {
    return false;
  }

  private StepResult deprovision(WorkflowRecord w) {
    SubscriptionStore.Current current = support.current(w);
    SubscriptionRecord s = current.subscription();
    Optional<InstanceRecord> instance = current.instance();
    instance.ifPresent(i -> support.deprovision(i, s));
    refund(w, s);
    return StepResult.finish(
        (tx, held) -> {
          Instant now = held.now();
          support.quota().inTransaction(tx).release(s.getAllocationId());
          instance.ifPresent(
              i -> {
                support
                    .subscriptions()
                    .moveInstance(tx, i.getInstanceId(), InstanceStatus.DELETED, "cancelled", now);
                support.subscriptions().releaseDomains(tx, i.getInstanceId(), now);
              });
          support
              .subscriptions()
              .end(tx, s.getSubscriptionId(), SubscriptionStatus.CANCELLED, null, null, now);
          return support.workflows().finish(tx, held, WorkflowStatus.SUCCEEDED);
        },
        () -> support.quotaChanged(s.getPlanId()));
  }

  /**
   * Refunds what the cancellation policy grants of what was actually paid, newest payment first:
   * each payment gives at most what billing says is left of it (an upgrade's proration charge gives
   * its due, not its gross amount; one fully covered by its credit gives nothing). A retry counts
   * the refunds this cancel already made by their keys, so it never refunds twice; a refund the
   * gateway declined for good is left in the ledger and the cancel ends without it.
   */
  private void refund(WorkflowRecord w, SubscriptionRecord s) {
    if (w.getIdempotencyKey().equals(Renewals.CANCEL_AT_PERIOD_END)
        || w.getIdempotencyKey().equals(Renewals.CANCEL_AFTER_SUSPENSION)) {
      // Its time ran out: the period paid for is over (or was never paid), so nothing is refunded.
      return;
    }
    Subscription view =
        support.dsl().transactionResult(cfg -> support.subscriptions().view(cfg.dsl(), s));
    long remaining =
        Math.min(policy.refundOnCancel(view, w.getCreatedAt().toInstant()), s.getAmountPaid());
    List<BillingLine> paid =
        support.billing().referenceLines(s.getSubscriptionId().toString()).stream()
            .filter(line -> line.status() == LineStatus.PAID && line.amount().isPositive())
            .sorted(Comparator.comparing(BillingLine::createdAt).reversed())
            .toList();
    for (BillingLine line : paid) {
      if (remaining <= 0) {
        return;
      }
      String key = "workflow:" + w.getWorkflowId() + ":refund:" + line.id();
      Optional<BillingLine> made = support.billing().lineByIdempotencyKey(key);
      if (made.isPresent() && made.get().status() == LineStatus.DECLINED) {
        // Final: the gateway will not refund this payment. The cancel goes on without it; the
        // declined refund stays in the ledger for whoever settles it by hand.
        continue;
      }
      long amount =
          made.isPresent()
              ? made.get().amount().negate().minorUnits()
              : Math.min(remaining, support.billing().refundable(line.id()).minorUnits());
      if (amount > 0 && (made.isEmpty() || made.get().status() != LineStatus.REFUNDED)) {
        // The same request again for one under way or failed: billing settles it or retries it.
        support
            .billing()
            .refund(
                new RefundRequest(
                    line.id(), Money.of(amount, line.amount().currency()), key, "cancellation"));
      }
      remaining -= amount;
    }
  }
}
