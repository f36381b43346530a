package io.minispod.catalog;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.billing.BillingLine;
import io.minispod.billing.BillingPeriod;
import io.minispod.billing.BillingReference;
import io.minispod.billing.BillingService;
import io.minispod.billing.ChargeRequest;
import io.minispod.billing.LineStatus;
import io.minispod.billing.Money;
import io.minispod.billing.PaymentFailedException;
import io.minispod.billing.RefundRequest;
import io.minispod.billing.UpgradeCharge;
import io.minispod.billing.UpgradeRequest;
import io.minispod.catalog.WorkflowStore.Kind;
import io.minispod.catalog.WorkflowStore.Status;
import io.minispod.catalog.WorkflowStore.Step;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.catalog.provisioning.InstanceRef;
import io.minispod.catalog.provisioning.InstanceSpec;
import io.minispod.catalog.provisioning.ProvisionedInstance;
import io.minispod.catalog.provisioning.Provisioner;
import io.minispod.catalog.provisioning.ProvisioningException;
import io.minispod.quota.QuotaManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the persisted subscribe, upgrade and cancel workflows, one step at a time.
 *
 * <p>A step calls the outside world (the payment gateway, the provisioner) and then, in one
 * transaction fenced by the workflow's lease, records what happened and names the next step. Both
 * outside calls are idempotent (payments by key, provisioning by design), so a step that is run
 * again after a crash does its work once. A step that fails for good hands over to {@link
 * Step#UNDO}, which refunds, deprovisions and releases quota until nothing of the workflow is left;
 * undoing is retried until it succeeds.
 */
final class SubscriptionWorkflows {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionWorkflows.class);

  private final Services services;

  SubscriptionWorkflows(Services services) {
    this.services = services;
  }

  /** Everything the steps need, shared with the services that start workflows. */
  record Services(
      DSLContext dsl,
      Catalog catalog,
      SubscriptionStore subscriptions,
      WorkflowStore workflows,
      QuotaManager quota,
      BillingService billing,
      Provisioner provisioner,
      InstanceSpecs specs,
      Clock clock,
      String nodeId,
      Duration lease,
      Backoff backoff,
      CancellationPolicy cancellation,
      StepObserver observer) {

    Instant now() {
      return clock.instant();
    }
  }

  /**
   * Observes the workflow from inside: tests use it to stop a node between two steps (a simulated
   * crash) and prove that another node finishes the work.
   */
  interface StepObserver {
    StepObserver NONE = new StepObserver() {};

    /** Called after a step's outside calls, right before its transaction. */
    default void beforeCommit(Kind kind, Step step) {}

    /**
     * Called after a step's transaction committed ({@code step} is {@code null} after the workflow
     * was started).
     */
    default void committed(Kind kind, Step step) {}
  }

  // ---------------------------------------------------------------- running

  /**
   * Runs a workflow this node holds the lease of, step after step, until it ends, waits for a retry
   * or the lease is lost.
   */
  void run(UUID workflowId) {
    while (true) {
      Optional<WorkflowRecord> workflow = services.workflows().find(services.dsl(), workflowId);
      if (workflow.isEmpty() || !ownedByUs(workflow.get())) {
        return;
      }
      if (!runStep(workflow.get())) {
        return;
      }
    }
  }

  /** Runs a workflow this node has just started (and so holds), from the record it inserted. */
  void run(WorkflowRecord started) {
    if (runStep(started)) {
      run(started.getWorkflowId());
    }
  }

  /** Claims and runs the due workflows of every node, such as those a crashed node left. */
  int runDue(int limit) {
    List<UUID> claimed =
        services
            .dsl()
            .transactionResult(
                cfg ->
                    services
                        .workflows()
                        .claimDue(
                            cfg.dsl(), services.nodeId(), services.now(), services.lease(), limit));
    for (UUID id : claimed) {
      try {
        run(id);
      } catch (RuntimeException e) {
        log.warn("Workflow {} stopped on an unexpected error; it will be retried", id, e);
      }
    }
    return claimed.size();
  }

  private boolean ownedByUs(WorkflowRecord w) {
    return Status.RUNNING.name().equals(w.getStatus())
        && services.nodeId().equals(w.getLeaseOwner())
        && w.getLeaseExpiresAt() != null
        && w.getLeaseExpiresAt().toInstant().isAfter(services.now());
  }

  /** Runs the workflow's current step; returns whether another step follows right away. */
  private boolean runStep(WorkflowRecord w) {
    Kind kind = Kind.valueOf(w.getKind());
    Step step = Step.valueOf(w.getStep());
    try {
      return switch (step) {
        case CHARGE -> kind == Kind.SUBSCRIBE ? chargeFirstPeriod(w) : chargeUpgrade(w);
        case PROVISION -> provision(w);
        case RESIZE -> resize(w);
        case DEPROVISION -> deprovision(w);
        case UNDO -> undo(w);
      };
    } catch (PaymentFailedException e) {
      return failed(w, e.declined(), ErrorCode.PAYMENT_FAILED, e.getMessage());
    } catch (ProvisioningException e) {
      return failed(w, !e.retryable(), ErrorCode.PROVISIONING_FAILED, e.getMessage());
    } catch (MinisPodException e) {
      return failed(w, e.code() != ErrorCode.INTERNAL_ERROR, e.code(), e.getMessage());
    } catch (RuntimeException e) {
      log.warn("Workflow {} step {} failed unexpectedly", w.getWorkflowId(), step, e);
      return failed(w, false, ErrorCode.INTERNAL_ERROR, "unexpected failure in step " + step);
    }
  }

  /**
   * A step failed: try it again later while that may help, otherwise compensate (a failing
   * compensation or cancellation is always tried again).
   */
  private boolean failed(WorkflowRecord w, boolean permanent, ErrorCode code, String message) {
    Step step = Step.valueOf(w.getStep());
    int attempts = w.getAttempts() + 1;
    boolean mustFinish = step == Step.UNDO || Kind.valueOf(w.getKind()) == Kind.CANCEL;
    if (mustFinish || (!permanent && services.backoff().mayRetry(attempts))) {
      Instant next = services.backoff().next(services.now(), attempts);
      log.warn(
          "Workflow {} step {} attempt {} failed ({}); retrying at {}",
          w.getWorkflowId(),
          step,
          attempts,
          message,
          next);
      commit(w, (tx, held) -> services.workflows().retryLater(tx, held, attempts, next, message));
      return false;
    }
    log.warn("Workflow {} step {} failed for good ({}); undoing", w.getWorkflowId(), step, message);
    return commit(
        w,
        (tx, held) -> services.workflows().undo(tx, held, code.name(), message, services.lease()));
  }

  /**
   * Applies a step's outcome in one transaction fenced by the lease, then tells the observer.
   * Returns whether the lease was still ours (and so whether the change was made).
   */
  private boolean commit(WorkflowRecord w, StepOutcome outcome) {
    Kind kind = Kind.valueOf(w.getKind());
    services.observer().beforeCommit(kind, Step.valueOf(w.getStep()));
    WorkflowStore.Held held =
        new WorkflowStore.Held(w.getWorkflowId(), services.nodeId(), services.now());
    try {
      services
          .dsl()
          .transaction(
              cfg -> {
                if (!outcome.record(cfg.dsl(), held)) {
                  throw new LeaseLost();
                }
              });
    } catch (LeaseLost lost) {
      log.warn("Workflow {} lease was lost; another node carries on", w.getWorkflowId());
      return false;
    }
    services.observer().committed(kind, Step.valueOf(w.getStep()));
    return true;
  }

  /**
   * Records a step's outcome; its last statement updates the held workflow and says if it could.
   */
  @FunctionalInterface
  private interface StepOutcome {
    boolean record(DSLContext tx, WorkflowStore.Held held);
  }

  /** Rolls a step's transaction back when the workflow's lease turned out to be lost. */
  private static final class LeaseLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseLost() {
      super(null, null, false, false);
    }
  }

  // ---------------------------------------------------------------- subscribe

  private boolean chargeFirstPeriod(WorkflowRecord w) {
    SubscriptionRecord s = subscription(w);
    Plan plan = plan(s, s.getPlanId());
    BillingPeriod period = period(s);
    String subdomain = services.specs().newSubdomain(plan);
    BillingLine line =
        services
            .billing()
            .charge(
                new ChargeRequest(
                    s.getUserId(),
                    reference(s, plan),
                    Money.of(plan.price().amount(), plan.price().currency()),
                    period,
                    "subscription:" + s.getSubscriptionId() + ":charge",
                    plan.name() + " plan, first period"));
    return commit(
        w,
        (tx, held) -> {
          Instant now = held.now();
          services
              .subscriptions()
              .activate(tx, s.getSubscriptionId(), line.amount().minorUnits(), now);
          services
              .subscriptions()
              .insertInstance(tx, UUID.randomUUID(), s, subdomain, plan.resources(), now);
          return services
              .workflows()
              .charged(
                  tx,
                  held,
                  line.id(),
                  line.amount().minorUnits(),
                  Step.PROVISION,
                  services.lease());
        });
  }

  private boolean provision(WorkflowRecord w) {
    SubscriptionRecord s = subscription(w);
    InstanceRecord instance = instance(s);
    // A provisioning instance has no environment of its owner's yet: updateEnv only takes
    // running instances, so there is nothing to read.
    InstanceSpec spec = services.specs().spec(s, instance, plan(s, s.getPlanId()), Map.of());
    ProvisionedInstance provisioned = services.provisioner().provision(spec);
    commit(
        w,
        (tx, held) -> {
          Instant now = held.now();
          services
              .subscriptions()
              .provisioned(
                  tx, instance.getInstanceId(), provisioned.url(), provisioned.namespace(), now);
          return services.workflows().finish(tx, held, Status.SUCCEEDED);
        });
    return false; // the workflow is finished
  }

  // ---------------------------------------------------------------- upgrade

  private boolean chargeUpgrade(WorkflowRecord w) {
    SubscriptionRecord s = subscription(w);
    Plan from = plan(s, w.getFromPlanId());
    Plan to = plan(s, w.getToPlanId());
    UpgradeCharge charge =
        services
            .billing()
            .chargeUpgrade(
                new UpgradeRequest(
                    s.getUserId(),
                    reference(s, from),
                    reference(s, to),
                    period(s),
                    Money.of(to.price().amount(), to.price().currency()),
                    w.getCreatedAt().toInstant(),
                    "upgrade:" + w.getWorkflowId(),
                    "upgrade from " + from.name() + " to " + to.name()));
    return commit(
        w,
        (tx, held) -> {
          return services
              .workflows()
              .charged(
                  tx,
                  held,
                  charge.charge().id(),
                  charge.quote().due().minorUnits(),
                  Step.RESIZE,
                  services.lease());
        });
  }

  private boolean resize(WorkflowRecord w) {
    SubscriptionRecord s = subscription(w);
    InstanceRecord instance = instance(s);
    Plan to = plan(s, w.getToPlanId());
    services.provisioner().resize(services.specs().spec(s, instance, to));
    commit(
        w,
        (tx, held) -> {
          Instant now = held.now();
          services
              .subscriptions()
              .changePlan(
                  tx, s.getSubscriptionId(), to.id(), s.getAmountPaid() + w.getAmountDue(), now);
          services
              .subscriptions()
              .resizeInstance(tx, instance.getInstanceId(), to.resources(), now);
          return services.workflows().finish(tx, held, Status.SUCCEEDED);
        });
    return false; // the workflow is finished
  }

  // ---------------------------------------------------------------- cancel

  private boolean deprovision(WorkflowRecord w) {
    SubscriptionRecord s = subscription(w);
    Optional<InstanceRecord> instance =
        services.subscriptions().instanceOf(services.dsl(), s.getSubscriptionId());
    instance.ifPresent(
        i -> services.provisioner().deprovision(new InstanceRef(i.getInstanceId(), s.getUserId())));
    refundOnCancel(w, s);
    if (commit(
        w,
        (tx, held) -> {
          Instant now = held.now();
          services.quota().inTransaction(tx).release(s.getAllocationId());
          instance.ifPresent(
              i ->
                  services
                      .subscriptions()
                      .moveInstance(
                          tx, i.getInstanceId(), InstanceStatus.DELETED, "cancelled", now));
          services
              .subscriptions()
              .end(tx, s.getSubscriptionId(), SubscriptionStatus.CANCELLED, null, null, now);
          return services.workflows().finish(tx, held, Status.SUCCEEDED);
        })) {
      quotaChanged(s.getPlanId());
    }
    return false;
  }

  // ---------------------------------------------------------------- undo

  private boolean undo(WorkflowRecord w) {
    SubscriptionRecord s = subscription(w);
    Kind kind = Kind.valueOf(w.getKind());
    Optional<InstanceRecord> instance =
        services.subscriptions().instanceOf(services.dsl(), s.getSubscriptionId());
    refundCharge(w);
    if (kind == Kind.SUBSCRIBE) {
      instance.ifPresent(
          i ->
              services
                  .provisioner()
                  .deprovision(new InstanceRef(i.getInstanceId(), s.getUserId())));
    } else if (instance.isPresent() && w.getChargeLineId() != null) {
      // Paid, so the resize may have begun: put the instance back to the old plan's size.
      restoreSize(s, instance.get(), plan(s, w.getFromPlanId()));
    }
    Plan from = kind == Kind.UPGRADE ? plan(s, w.getFromPlanId()) : null;
    List<io.minispod.quota.QuotaItem> oldItems =
        from == null ? List.of() : services.specs().quotaItems(s.getUserId(), from);
    if (commit(
        w,
        (tx, held) -> {
          Instant now = held.now();
          if (kind == Kind.SUBSCRIBE) {
            services.quota().inTransaction(tx).release(s.getAllocationId());
            instance.ifPresent(
                i ->
                    services
                        .subscriptions()
                        .moveInstance(
                            tx,
                            i.getInstanceId(),
                            InstanceStatus.FAILED,
                            w.getErrorMessage(),
                            now));
            services
                .subscriptions()
                .end(
                    tx,
                    s.getSubscriptionId(),
                    SubscriptionStatus.FAILED,
                    w.getErrorCode(),
                    w.getErrorMessage(),
                    now);
          } else {
            services.quota().inTransaction(tx).swap(s.getAllocationId(), oldItems);
          }
          return services.workflows().finish(tx, held, Status.FAILED);
        })) {
      quotaChanged(w.getFromPlanId(), w.getToPlanId(), s.getPlanId());
    }
    return false;
  }

  /** Refunds what the cancellation policy grants, newest payment first. */
  private void refundOnCancel(WorkflowRecord w, SubscriptionRecord s) {
    Subscription view =
        services.dsl().transactionResult(cfg -> services.subscriptions().view(cfg.dsl(), s));
    long remaining =
        Math.min(
            services.cancellation().refundOnCancel(view, w.getCreatedAt().toInstant()),
            s.getAmountPaid());
    List<BillingLine> paid =
        services.billing().referenceLines(s.getSubscriptionId().toString()).stream()
            .filter(line -> line.status() == LineStatus.PAID && line.amount().isPositive())
            .sorted(java.util.Comparator.comparing(BillingLine::createdAt).reversed())
            .toList();
    for (BillingLine line : paid) {
      if (remaining <= 0) {
        return;
      }
      long amount = Math.min(remaining, line.amount().minorUnits());
      services
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

  /** Refunds what the workflow's charge line took, if it took anything. */
  private void refundCharge(WorkflowRecord w) {
    if (w.getChargeLineId() == null) {
      return;
    }
    BillingLine line = services.billing().line(w.getChargeLineId());
    if (line.status() == LineStatus.PAID && line.amount().isPositive()) {
      services
          .billing()
          .refund(
              new RefundRequest(
                  line.id(),
                  null,
                  "workflow:" + w.getWorkflowId() + ":refund",
                  w.getErrorMessage()));
    }
  }

  /** Puts an instance back to its old plan's size where the platform allows it. */
  private void restoreSize(SubscriptionRecord s, InstanceRecord instance, Plan from) {
    try {
      services.provisioner().resize(services.specs().spec(s, instance, from));
    } catch (ProvisioningException e) {
      if (e.retryable()) {
        throw e;
      }
      log.warn(
          "Instance {} keeps part of its new size after a failed upgrade: {}",
          instance.getInstanceId(),
          e.getMessage());
    }
  }

  // ---------------------------------------------------------------- helpers

  private void quotaChanged(UUID... planIds) {
    services
        .catalog()
        .quotaChanged(Arrays.stream(planIds).filter(Objects::nonNull).distinct().toList());
  }

  private SubscriptionRecord subscription(WorkflowRecord w) {
    return services
        .subscriptions()
        .subscription(services.dsl(), w.getSubscriptionId())
        .orElseThrow();
  }

  private InstanceRecord instance(SubscriptionRecord s) {
    return services.subscriptions().instanceOf(services.dsl(), s.getSubscriptionId()).orElseThrow();
  }

  private Plan plan(SubscriptionRecord s, UUID planId) {
    return services.specs().plan(s.getServiceId(), planId);
  }

  private static BillingPeriod period(SubscriptionRecord s) {
    return new BillingPeriod(s.getPeriodStart().toInstant(), s.getPeriodEnd().toInstant());
  }

  private BillingReference reference(SubscriptionRecord s, Plan plan) {
    return BillingReference.of(
        s.getSubscriptionId().toString(),
        Map.of("service", services.specs().serviceSlug(plan), "plan", plan.slug()));
  }
}
