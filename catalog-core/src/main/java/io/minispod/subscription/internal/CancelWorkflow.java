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
 * done.
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
    SubscriptionRecord s = support.subscription(w);
    Optional<InstanceRecord> instance = support.instanceOf(s);
    instance.ifPresent(i -> support.deprovision(i, s));
    refund(w, s);
    return StepResult.finish(
        (tx, held) -> {
          Instant now = held.now();
          support.quota().inTransaction(tx).release(s.getAllocationId());
          instance.ifPresent(
              i ->
                  support
                      .subscriptions()
                      .moveInstance(
                          tx, i.getInstanceId(), InstanceStatus.DELETED, "cancelled", now));
          support
              .subscriptions()
              .end(tx, s.getSubscriptionId(), SubscriptionStatus.CANCELLED, null, null, now);
          return support.workflows().finish(tx, held, WorkflowStatus.SUCCEEDED);
        },
        () -> support.quotaChanged(s.getPlanId()));
  }

  /** Refunds what the cancellation policy grants, newest payment first. */
  private void refund(WorkflowRecord w, SubscriptionRecord s) {
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
      long amount = Math.min(remaining, line.amount().minorUnits());
      support
          .billing()
          .refund(
              new RefundRequest(
                  line.id(),
                  Money.of(amount, line.amount().currency()),
                  "workflow:" + w.getWorkflowId() + ":refund:" + line.id(),
                  "cancellation"));
      remaining -= amount;
    }
  }
}
