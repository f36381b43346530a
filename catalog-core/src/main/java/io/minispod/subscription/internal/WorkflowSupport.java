package io.minispod.subscription.internal;

import io.minispod.billing.BillingLine;
import io.minispod.billing.BillingReference;
import io.minispod.billing.BillingService;
import io.minispod.billing.LineStatus;
import io.minispod.billing.RefundRequest;
import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.Plan;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.Provisioner;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.internal.workflow.StepResult;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import io.minispod.subscription.internal.workflow.WorkflowStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.slf4j.LoggerFactory;

/**
 * What the steps of the subscription workflows share: where they read and write, the outside world
 * they call, and the reads and refunds more than one kind makes.
 *
 * @param dsl the database
 * @param catalog the catalog's port
 * @param subscriptions the subscription and instance tables
 * @param workflows the workflow table
 * @param quota the quota manager
 * @param billing charges and refunds
 * @param provisioner where instances run
 * @param specs what the provisioner is told
 * @param lease how long a step's lease lasts
 */
record WorkflowSupport(
    DSLContext dsl,
    CatalogPort catalog,
    SubscriptionStore subscriptions,
    WorkflowStore workflows,
    QuotaManager quota,
    BillingService billing,
    Provisioner provisioner,
    InstanceSpecFactory specs,
    Duration lease) {

  SubscriptionRecord subscription(WorkflowRecord w) {
    return subscriptions.subscription(dsl, w.getSubscriptionId()).orElseThrow();
  }

  /** The workflow's subscription and its instance, read together. */
  SubscriptionStore.Current current(WorkflowRecord w) {
    return subscriptions.current(dsl, w.getSubscriptionId()).orElseThrow();
  }

  Optional<InstanceRecord> instanceOf(SubscriptionRecord s) {
    return subscriptions.instanceOf(dsl, s.getSubscriptionId());
  }

  Plan plan(SubscriptionRecord s, UUID planId) {
    return catalog.plan(s.getServiceId(), planId);
  }

  BillingReference reference(SubscriptionRecord s, Plan plan) {
    return BillingReference.of(
        s.getSubscriptionId().toString(),
        Map.of(
            "service", catalog.service(plan.serviceId()).definition().slug(), "plan", plan.slug()));
  }

  void deprovision(InstanceRecord instance, SubscriptionRecord s) {
    provisioner.deprovision(new InstanceRef(instance.getInstanceId(), s.getUserId()));
  }

  /** Refunds what the workflow's charge line took, if it took anything. */
  void refundCharge(WorkflowRecord w) {
    if (w.getChargeLineId() == null) {
      return;
    }
    BillingLine line = billing.line(w.getChargeLineId());
    if (line.status() == LineStatus.PAID && line.amount().isPositive()) {
      billing.refund(
          new RefundRequest(
              line.id(), null, "workflow:" + w.getWorkflowId() + ":refund", w.getErrorMessage()));
    }
  }

  /**
   * A step that makes the platform match what the database says of the workflow's subscription (the
   * provisioner's "make it so": its current plan and its owner's stored environment and custom
   * domain), then ends the workflow, releasing a custom domain the instance no longer uses.
   */
  StepResult provisionAsStored(WorkflowRecord w) {
    SubscriptionStore.Current current = current(w);
    SubscriptionRecord s = current.subscription();
    InstanceRecord instance = current.instance().orElseThrow();
    provisioner.provision(specs.spec(s, instance, plan(s, s.getPlanId())));
    return StepResult.finish(
        (tx, held) -> {
          subscriptions.settleDomains(tx, instance.getInstanceId());
          return workflows.finish(tx, held, WorkflowStatus.SUCCEEDED);
        });
  }

  /**
   * Puts an instance back to a plan's size after a failed change, where the platform allows it: a
   * refusal for good (a volume that cannot shrink back) is logged and the instance keeps part of
   * its new size; a failure worth a retry is thrown, so the compensation is retried.
   */
  void restoreSize(SubscriptionRecord s, InstanceRecord instance, Plan plan) {
    try {
      provisioner.resize(specs.spec(s, instance, plan));
    } catch (ProvisioningException e) {
      if (e.retryable()) {
        throw e;
      }
      LoggerFactory.getLogger(WorkflowSupport.class)
          .warn(
              "Instance {} keeps part of its new size after a failed plan change: {}",
              instance.getInstanceId(),
              e.getMessage());
    }
  }

  /** Tells the catalog that these plans' quota usage changed (nulls and repeats are skipped). */
  void quotaChanged(UUID... planIds) {
    catalog.quotaChanged(Arrays.stream(planIds).filter(Objects::nonNull).distinct().toList());
  }
}
