package io.minispod.subscription.internal;

import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.subscription.internal.SubscriptionStore.DomainChange;
import io.minispod.subscription.internal.workflow.Step;
import io.minispod.subscription.internal.workflow.StepResult;
import io.minispod.subscription.internal.workflow.WorkflowKind;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A change of an instance's configuration (its environment, its custom domain, or both; the kind's
 * name dates from when the environment was all it changed), started with the change stored as the
 * instance's desired configuration: {@code APPLY} makes the platform match it (the provisioner's
 * "make it so", with the subscription's current plan) and then releases a custom domain the
 * instance gave up. Its undo puts the replaced values back, on the platform and in the store.
 * Serialised with the subscription's other workflows like any kind, so it never races a cancel or
 * an upgrade's resize.
 */
final class UpdateEnvWorkflow implements WorkflowKind {

  static final String KIND = "UPDATE_ENV";
  static final String APPLY = "APPLY";

  private static final Logger log = LoggerFactory.getLogger(UpdateEnvWorkflow.class);

  private final WorkflowSupport support;

  UpdateEnvWorkflow(WorkflowSupport support) {
    this.support = support;
  }

  @Override
  public String name() {
    return KIND;
  }

  @Override
  public Map<String, Step> steps() {
    return Map.of(APPLY, support::provisionAsStored);
  }

  @Override
  public Step undo() {
    return this::undo;
  }

  private StepResult undo(WorkflowRecord w) {
    SubscriptionStore.Current current = support.current(w);
    SubscriptionRecord s = current.subscription();
    InstanceRecord instance = current.instance().orElseThrow();
    SubscriptionStore store = support.subscriptions();
    Map<String, String> replaced = store.replacedEnv(support.dsl(), w.getWorkflowId());
    Map<String, String> restored =
        new HashMap<>(store.env(support.dsl(), instance.getInstanceId()));
    replaced.forEach(
        (name, previous) -> {
          if (previous == null) {
            restored.remove(name);
          } else {
            restored.put(name, previous);
          }
        });
    Optional<DomainChange> domainChange = store.domainChange(support.dsl(), w.getWorkflowId());
    String restoredDomain =
        domainChange.map(DomainChange::previous).orElse(instance.getCustomDomain());
    try {
      support
          .provisioner()
          .provision(
              support
                  .specs()
                  .spec(s, instance, support.plan(s, s.getPlanId()), restored)
                  .withCustomDomain(restoredDomain));
    } catch (ProvisioningException e) {
      if (e.retryable()) {
        throw e;
      }
      log.warn(
          "Instance {} keeps part of a failed configuration change: {}",
          instance.getInstanceId(),
          e.getMessage());
    }
    return StepResult.finish(
        (tx, held) -> {
          store.putEnv(tx, instance.getInstanceId(), replaced, held.now());
          // The replaced domain stayed claimed by the instance, so it can always be put back.
          store.setCustomDomain(tx, instance.getInstanceId(), restoredDomain, held.now());
          store.settleDomains(tx, instance.getInstanceId());
          return support.workflows().finish(tx, held, WorkflowStatus.FAILED);
        });
  }
}
