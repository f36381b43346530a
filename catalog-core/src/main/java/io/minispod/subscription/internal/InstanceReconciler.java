package io.minispod.subscription.internal;

import static io.minispod.catalog.internal.Columns.at;
import static io.minispod.catalog.internal.db.Tables.INSTANCE;
import static io.minispod.catalog.internal.db.Tables.INSTANCE_RECONCILE_CLAIM;
import static io.minispod.catalog.internal.db.Tables.SUBSCRIPTION;

import io.minispod.MinisPodException;
import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.Plan;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ObservedInstance;
import io.minispod.provisioner.Provisioner;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.ReconcileReport;
import io.minispod.subscription.SubscriptionConflictException;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.subscription.internal.SubscriptionOperations.Launch;
import io.minispod.subscription.internal.SubscriptionOperations.Request;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import io.minispod.subscription.internal.workflow.WorkflowStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the platform match the database, level-triggered, as a Kubernetes controller does: each
 * round lists what the provisioner has, then
 *
 * <ul>
 *   <li>a live subscription's instance that the platform lost, has only in part, or runs with other
 *       resources than its plan's is repaired by a {@link RepairWorkflow} (serialised with the
 *       subscription's other workflows, so it never races a cancel or an upgrade; an instance a
 *       workflow is changing is left for a later round);
 *   <li>an instance on the platform that no live subscription owns (no row at all, or a failed or
 *       deleted one that no workflow is working on) is deprovisioned.
 * </ul>
 *
 * <p>A live instance that needs no repair, keeps data and whose plan has backups is backed up when
 * its {@link BackupSchedule} says it is due; a backup that fails is counted as a failure and asked
 * for again next round.
 *
 * <p>Every instance is claimed in the database before it is acted on ({@code
 * instance_reconcile_claim}), so with any number of nodes each instance is handled by one node per
 * round. Each action is logged and counted in the round's {@link ReconcileReport}.
 */
final class InstanceReconciler {

  private static final Logger log = LoggerFactory.getLogger(InstanceReconciler.class);

  /** Live instances read, and claims made, per statement. */
  private static final int PAGE = 500;

  private final DSLContext dsl;
  private final SubscriptionStore store;
  private final WorkflowStore workflows;
  private final SubscriptionOperations operations;
  private final InstanceSpecFactory specs;
  private final CatalogPort catalog;
  private final Provisioner provisioner;
  private final Clock clock;
  private final String nodeId;
  private final Duration claimFor;
  private final BackupSchedule backups;

  /** A reconciler whose rounds also take the scheduled backups of the instances they claim. */
  InstanceReconciler(
      DSLContext dsl,
      SubscriptionStore store,
      WorkflowStore workflows,
      SubscriptionOperations operations,
      InstanceSpecFactory specs,
      CatalogPort catalog,
      Provisioner provisioner,
      Clock clock,
      String nodeId,
      Duration round,
      BackupSchedule backups) {
    this.dsl = dsl;
    this.store = store;
    this.workflows = workflows;
    this.operations = operations;
    this.specs = specs;
    this.catalog = catalog;
    this.provisioner = provisioner;
    this.clock = clock;
    this.nodeId = nodeId;
    this.claimFor = round.dividedBy(2);
    this.backups = backups;
  }

  /** The counts of one round, as it goes. */
  private static final class Tally {
    long checked;
    long reprovisioned;
    long resized;
    long removed;
    long skipped;
    long failed;

    ReconcileReport report() {
      return new ReconcileReport(checked, reprovisioned, resized, removed, skipped, failed);
    }
  }

  /**
   * Runs one round: lists the platform, then claims and compares every live instance, page by page,
   * and every listed instance the database does not have as live.
   *
   * @return what this node did
   */
  ReconcileReport runRound() {
    Map<UUID, ObservedInstance> observed;
    try {
      observed =
          provisioner.instances().stream()
              .collect(Collectors.toMap(ObservedInstance::instanceId, Function.identity()));
    } catch (RuntimeException e) {
      log.warn("Instance reconciler: listing the platform failed; the next round tries again", e);
      return new ReconcileReport(0, 0, 0, 0, 0, 1);
    }
    Tally tally = new Tally();
    Set<UUID> live = new HashSet<>();
    List<InstanceRecord> page;
    UUID after = null;
    while (!(page = liveInstances(after)).isEmpty()) {
      after = page.get(page.size() - 1).getInstanceId();
      List<UUID> ids = page.stream().map(InstanceRecord::getInstanceId).toList();
      live.addAll(ids);
      Set<UUID> claimed = claim(ids);
      for (InstanceRecord instance : page) {
        if (claimed.contains(instance.getInstanceId())) {
          tally.checked++;
          reconcileLive(instance, observed.get(instance.getInstanceId()), tally);
        }
      }
    }
    // In id order, as the live pages are: two nodes claiming at once lock the rows in one order.
    List<UUID> unowned =
        observed.keySet().stream().filter(id -> !live.contains(id)).sorted().toList();
    for (int from = 0; from < unowned.size(); from += PAGE) {
      for (UUID id : claim(unowned.subList(from, Math.min(unowned.size(), from + PAGE)))) {
        tally.checked++;
        removeIfOrphan(observed.get(id), tally);
      }
    }
    ReconcileReport report = tally.report();
    if (report.reprovisioned() + report.resized() + report.removed() + report.failed() > 0) {
      log.info("Instance reconciler round: {}", report);
    }
    return report;
  }

  private void reconcileLive(InstanceRecord instance, ObservedInstance seen, Tally tally) {
    if (seen != null && seen.state() == ObservedInstance.State.DELETING) {
      tally.skipped++;
      return;
    }
    Optional<SubscriptionRecord> subscription =
        store.subscription(dsl, instance.getSubscriptionId());
    if (subscription.isEmpty()) {
      tally.skipped++;
      return;
    }
    SubscriptionRecord s = subscription.get();
    Plan plan = catalog.plan(s.getServiceId(), s.getPlanId());
    InstanceSpec planned = specs.spec(s, instance, plan);
    String why;
    if (seen == null) {
      why = "missing";
    } else if (seen.state() == ObservedInstance.State.INCOMPLETE) {
      why = "incomplete";
    } else if (seen.driftedFrom(planned)) {
      why = "running with " + seen.resources() + " instead of " + planned.app().resources();
    } else {
      if (planned.hasData()) {
        backUpIfDue(s, instance, plan, tally);
      }
      return;
    }
    boolean resize = seen != null && seen.state() == ObservedInstance.State.COMPLETE;
    switch (repair(s, instance, why)) {
      case DONE -> {
        if (resize) {
          tally.resized++;
        } else {
          tally.reprovisioned++;
        }
      }
      case BUSY -> tally.skipped++;
      case FAILED -> tally.failed++;
    }
  }

  /** Takes a scheduled backup if one is due, unless a workflow is changing the instance. */
  private void backUpIfDue(SubscriptionRecord s, InstanceRecord instance, Plan plan, Tally tally) {
    if (workflows.running(dsl, s.getSubscriptionId()).isPresent()) {
      return;
    }
    try {
      backups.backUpIfDue(s, instance, plan);
    } catch (RuntimeException e) {
      tally.failed++;
      log.warn(
          "Scheduled backup of instance {} failed; the next round tries again: {}",
          instance.getInstanceId(),
          e.getMessage());
    }
  }

  private enum Outcome {
    DONE,
    BUSY,
    FAILED
  }

  /** Starts a repair of a live instance, unless a workflow is changing it, and runs it here. */
  private Outcome repair(SubscriptionRecord s, InstanceRecord instance, String why) {
    UUID subscriptionId = s.getSubscriptionId();
    Request request =
        Request.of(RepairWorkflow.KIND, UUID.randomUUID().toString(), instance.getInstanceId());
    Launch launch;
    try {
      launch =
          operations.launch(
              subscriptionId,
              request,
              tx -> {
                operations.requireIdle(
                    tx, store.lockSubscription(tx, subscriptionId).orElseThrow());
                InstanceStatus now =
                    store.instance(tx, instance.getInstanceId()).orElseThrow().getStatus();
                if (now != InstanceStatus.RUNNING && now != InstanceStatus.DEGRADED) {
                  throw new SubscriptionConflictException(subscriptionId, "its instance is " + now);
                }
                return operations.start(
                    tx,
                    request,
                    subscriptionId,
                    RepairWorkflow.APPLY,
                    s.getPlanId(),
                    null,
                    clock.instant());
              },
              () -> {});
    } catch (SubscriptionConflictException busy) {
      log.debug("Instance {} is busy ({}); left for a later round", instance.getInstanceId(), busy);
      return Outcome.BUSY;
    }
    log.warn(
        "Instance {} of subscription {} is {} on the platform; repairing it (workflow {})",
        instance.getInstanceId(),
        subscriptionId,
        why,
        launch.workflow().getWorkflowId());
    try {
      operations.finishHere(launch);
    } catch (MinisPodException e) {
      log.warn("Repair of instance {} failed: {}", instance.getInstanceId(), e.getMessage());
      return Outcome.FAILED;
    }
    WorkflowRecord after = workflows.find(dsl, launch.workflow().getWorkflowId()).orElseThrow();
    return after.getStatus() == WorkflowStatus.SUCCEEDED ? Outcome.DONE : Outcome.FAILED;
  }

  /**
   * Deprovisions an instance of the platform that no live subscription owns, read afresh: no row,
   * or a failed or deleted one that no workflow is working on.
   */
  private void removeIfOrphan(ObservedInstance seen, Tally tally) {
    Optional<InstanceRecord> row = store.instance(dsl, seen.instanceId());
    if (row.isPresent()) {
      InstanceStatus status = row.get().getStatus();
      boolean dead = status == InstanceStatus.FAILED || status == InstanceStatus.DELETED;
      if (!dead || workflows.running(dsl, row.get().getSubscriptionId()).isPresent()) {
        tally.skipped++;
        return;
      }
    }
    if (seen.state() == ObservedInstance.State.DELETING) {
      tally.skipped++;
      return;
    }
    try {
      provisioner.deprovision(seen.ref());
      tally.removed++;
      log.warn(
          "Instance {} of owner {} ran on the platform with no live subscription ({}); removed",
          seen.instanceId(),
          seen.ownerId(),
          row.map(r -> "its row is " + r.getStatus()).orElse("no row"));
    } catch (RuntimeException e) {
      tally.failed++;
      log.warn("Removing orphan instance {} failed: {}", seen.instanceId(), e.getMessage());
    }
  }

  /** A page of the instances of active and past-due subscriptions that should run, by id. */
  private List<InstanceRecord> liveInstances(UUID after) {
    return dsl.select(INSTANCE.fields())
        .from(INSTANCE)
        .join(SUBSCRIPTION)
        .on(SUBSCRIPTION.SUBSCRIPTION_ID.eq(INSTANCE.SUBSCRIPTION_ID))
        .where(INSTANCE.STATUS.in(InstanceStatus.RUNNING, InstanceStatus.DEGRADED))
        // A past-due subscription's instance keeps running while its payment is retried.
        .and(SUBSCRIPTION.STATUS.in(SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE))
        .and(after == null ? DSL.noCondition() : INSTANCE.INSTANCE_ID.gt(after))
        .orderBy(INSTANCE.INSTANCE_ID)
        .limit(PAGE)
        .fetchInto(INSTANCE);
  }

  /**
   * Claims instances for this round: those no node claimed within half a round. Returns the ones
   * this node got.
   */
  private Set<UUID> claim(List<UUID> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    Instant now = clock.instant();
    var claims = INSTANCE_RECONCILE_CLAIM;
    List<UUID> claimed = new ArrayList<>();
    dsl.transaction(
        cfg -> {
          for (UUID id : ids) {
            cfg.dsl()
                .insertInto(claims)
                .set(claims.INSTANCE_ID, id)
                .set(claims.CLAIMED_BY, nodeId)
                .set(claims.CLAIMED_AT, at(now))
                .onConflict(claims.INSTANCE_ID)
                .doUpdate()
                .set(claims.CLAIMED_BY, nodeId)
                .set(claims.CLAIMED_AT, at(now))
                .where(claims.CLAIMED_AT.le(at(now.minus(claimFor))))
                .returningResult(claims.INSTANCE_ID)
                .fetchOptional()
                .ifPresent(r -> claimed.add(r.value1()));
          }
        });
    return new HashSet<>(claimed);
  }
}
