package io.minispod.subscription.internal;

import io.minispod.billing.BillingLine;
import io.minispod.billing.ChargeRequest;
import io.minispod.catalog.Plan;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProvisionedInstance;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.subscription.internal.workflow.Step;
import io.minispod.subscription.internal.workflow.StepResult;
import io.minispod.subscription.internal.workflow.WorkflowKind;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A subscribe: {@code CHARGE} the first period (and record the instance to be), then {@code
 * PROVISION} it. Its undo refunds the charge, removes the instance, releases the quota and marks
 * the subscription failed.
 */
final class SubscribeWorkflow implements WorkflowKind {

  static final String KIND = "SUBSCRIBE";
  static final String CHARGE = "CHARGE";
  static final String PROVISION = "PROVISION";

  private final WorkflowSupport support;

  SubscribeWorkflow(WorkflowSupport support) {
    this.support = support;
  }

  @Override
  public String name() {
    return KIND;
  }

  @Override
  public Map<String, Step> steps() {
    return Map.of(CHARGE, this::chargeFirstPeriod, PROVISION, this::provision);
  }

  @Override
  public Step undo() {
    return this::undo;
  }

  private StepResult chargeFirstPeriod(WorkflowRecord w) {
    SubscriptionRecord s = support.subscription(w);
    Plan plan = support.plan(s, s.getPlanId());
    String subdomain = support.specs().newSubdomain(plan);
    BillingLine line =
        support
            .billing()
            .charge(
                new ChargeRequest(
                    s.getUserId(),
                    support.reference(s, plan),
                    plan.price().amount(),
                    SubscriptionStore.period(s),
                    "subscription:" + s.getSubscriptionId() + ":charge",
                    plan.name() + " plan, first period"));
    return StepResult.next(
        (tx, held) -> {
          Instant now = held.now();
          support
              .subscriptions()
              .activate(tx, s.getSubscriptionId(), line.amount().minorUnits(), now);
          support
              .subscriptions()
              .insertInstance(tx, UUID.randomUUID(), s, subdomain, plan.resources(), now);
          return support
              .workflows()
              .charged(tx, held, line.id(), line.amount().minorUnits(), PROVISION, support.lease());
        });
  }

  private StepResult provision(WorkflowRecord w) {
    SubscriptionStore.Current current = support.current(w);
    SubscriptionRecord s = current.subscription();
    InstanceRecord instance = current.instance().orElseThrow();
    // A provisioning instance has no environment of its owner's yet: updateEnv only takes
    // running instances, so there is nothing to read.
    InstanceSpec spec = support.specs().spec(s, instance, support.plan(s, s.getPlanId()), Map.of());
    ProvisionedInstance provisioned = support.provisioner().provision(spec);
    return StepResult.finish(
        (tx, held) -> {
          support
              .subscriptions()
              .provisioned(
                  tx,
                  instance.getInstanceId(),
                  provisioned.url(),
                  provisioned.namespace(),
                  held.now());
          SubscribeAttempts.decided(tx, s.getUserId(), s.getIdempotencyKey(), null, held.now());
          return support.workflows().finish(tx, held, WorkflowStatus.SUCCEEDED);
        });
  }

  private StepResult undo(WorkflowRecord w) {
    SubscriptionStore.Current current = support.current(w);
    SubscriptionRecord s = current.subscription();
    Optional<InstanceRecord> instance = current.instance();
    support.refundCharge(w);
    instance.ifPresent(i -> support.deprovision(i, s));
    return StepResult.finish(
        (tx, held) -> {
          Instant now = held.now();
          support.quota().inTransaction(tx).release(s.getAllocationId());
          instance.ifPresent(
              i ->
                  support
                      .subscriptions()
                      .moveInstance(
                          tx, i.getInstanceId(), InstanceStatus.FAILED, w.getErrorMessage(), now));
          support
              .subscriptions()
              .end(
                  tx,
                  s.getSubscriptionId(),
                  SubscriptionStatus.FAILED,
                  w.getErrorCode(),
                  w.getErrorMessage(),
                  now);
          SubscribeAttempts.decided(
              tx, s.getUserId(), s.getIdempotencyKey(), w.getErrorCode(), now);
          return support.workflows().finish(tx, held, WorkflowStatus.FAILED);
        },
        () -> support.quotaChanged(w.getToPlanId(), s.getPlanId()));
  }
}
