package io.minispod.subscription.internal;

import static io.minispod.catalog.internal.Columns.at;
import static io.minispod.catalog.internal.Columns.truncate;
import static io.minispod.catalog.internal.db.Tables.INSTANCE;
import static io.minispod.catalog.internal.db.Tables.INSTANCE_DOMAIN;
import static io.minispod.catalog.internal.db.Tables.INSTANCE_ENV;
import static io.minispod.catalog.internal.db.Tables.INSTANCE_TRANSITION;
import static io.minispod.catalog.internal.db.Tables.SUBSCRIPTION;
import static io.minispod.catalog.internal.db.Tables.SUBSCRIPTION_TRANSITION;
import static io.minispod.catalog.internal.db.Tables.USAGE_SAMPLE;
import static io.minispod.catalog.internal.db.Tables.WORKFLOW;
import static io.minispod.catalog.internal.db.Tables.WORKFLOW_DOMAIN_CHANGE;
import static io.minispod.catalog.internal.db.Tables.WORKFLOW_ENV_CHANGE;
import static org.jooq.impl.DSL.coalesce;

import io.minispod.ErrorCode;
import io.minispod.billing.BillingPeriod;
import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.PageRequest;
import io.minispod.catalog.Plan;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.InstanceTransitionRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.ResourceUsage;
import io.minispod.subscription.HealthCheck;
import io.minispod.subscription.Instance;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.InstanceSummary;
import io.minispod.subscription.InstanceTransition;
import io.minispod.subscription.PastDue;
import io.minispod.subscription.ScheduledChange;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionConflictException;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.subscription.SubscriptionTransition;
import io.minispod.subscription.UpgradeRecommendation;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.Record1;
import org.jooq.ResultQuery;
import org.jooq.UpdateConditionStep;
import org.jooq.UpdateSetMoreStep;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes subscriptions and instances; every method works in the caller's transaction.
 * Services and plans come from the catalog's port (its caches), never from its tables.
 */
final class SubscriptionStore {

  private static final Logger log = LoggerFactory.getLogger(SubscriptionStore.class);

  private static final List<SubscriptionStatus> LIVE =
      Arrays.stream(SubscriptionStatus.values()).filter(SubscriptionStatus::isLive).toList();

  private static final Set<InstanceStatus> RECOMMENDABLE =
      Set.of(InstanceStatus.RUNNING, InstanceStatus.DEGRADED);

  private final CatalogPort catalog;

  SubscriptionStore(CatalogPort catalog) {
    this.catalog = catalog;
  }

  // ---------------------------------------------------------------- subscriptions

  void insertSubscription(
      DSLContext tx,
      UUID id,
      String userId,
      Plan plan,
      BillingPeriod period,
      String idempotencyKey,
      String requestFingerprint,
      Instant now) {
    tx.insertInto(SUBSCRIPTION)
        .set(SUBSCRIPTION.SUBSCRIPTION_ID, id)
        .set(SUBSCRIPTION.USER_ID, userId)
        .set(SUBSCRIPTION.SERVICE_ID, plan.serviceId())
        .set(SUBSCRIPTION.PLAN_ID, plan.id())
        .set(SUBSCRIPTION.STATUS, SubscriptionStatus.PENDING)
        .set(SUBSCRIPTION.PERIOD_START, at(period.start()))
        .set(SUBSCRIPTION.PERIOD_END, at(period.end()))
        .set(SUBSCRIPTION.AMOUNT_PAID, 0L)
        .set(SUBSCRIPTION.CURRENCY, plan.price().amount().currency().getCurrencyCode())
        .set(SUBSCRIPTION.IDEMPOTENCY_KEY, idempotencyKey)
        .set(SUBSCRIPTION.REQUEST_FINGERPRINT, requestFingerprint)
        .set(SUBSCRIPTION.VERSION, 0)
        .set(SUBSCRIPTION.CREATED_AT, at(now))
        .set(SUBSCRIPTION.UPDATED_AT, at(now))
        .execute();
    log.info("Subscription {} of {} to plan {} requested", id, userId, plan.id());
  }

  /** Records a subscription's allocation; false if the subscription is gone. */
  boolean attachAllocation(DSLContext tx, UUID subscriptionId, UUID allocationId) {
    return tx.update(SUBSCRIPTION)
            .set(SUBSCRIPTION.ALLOCATION_ID, allocationId)
            .where(SUBSCRIPTION.SUBSCRIPTION_ID.eq(subscriptionId))
            .and(SUBSCRIPTION.STATUS.eq(SubscriptionStatus.PENDING))
            .execute()
        == 1;
  }

  /** Removes a subscription whose workflow never started (its quota was refused or lost). */
  void deleteUnstarted(DSLContext dsl, UUID subscriptionId) {
    dsl.deleteFrom(SUBSCRIPTION)
        .where(SUBSCRIPTION.SUBSCRIPTION_ID.eq(subscriptionId))
        .andNotExists(
            DSL.selectOne().from(WORKFLOW).where(WORKFLOW.SUBSCRIPTION_ID.eq(subscriptionId)))
        .execute();
  }

  /**
   * Removes subscriptions a node left unstarted (it died between claiming the service and starting
   * the workflow) once they are older than {@code before}; their quota holds expire on their own.
   * Returns how many were removed.
   */
  int deleteAbandoned(DSLContext dsl, Instant before) {
    int removed =
        dsl.deleteFrom(SUBSCRIPTION)
            .where(SUBSCRIPTION.STATUS.eq(SubscriptionStatus.PENDING))
            .and(SUBSCRIPTION.CREATED_AT.lt(at(before)))
            .andNotExists(
                DSL.selectOne()
                    .from(WORKFLOW)
                    .where(WORKFLOW.SUBSCRIPTION_ID.eq(SUBSCRIPTION.SUBSCRIPTION_ID)))
            .execute();
    if (removed > 0) {
      log.info("Removed {} subscriptions abandoned before their workflow started", removed);
    }
    return removed;
  }

  Optional<SubscriptionRecord> subscription(DSLContext tx, UUID id) {
    return tx.selectFrom(SUBSCRIPTION).where(SUBSCRIPTION.SUBSCRIPTION_ID.eq(id)).fetchOptional();
  }

  /**
   * A subscription as a step or an answer reads it: its row and its instance, if it has one.
   *
   * @param subscription the subscription's row
   * @param instance its instance's row
   */
  record Current(SubscriptionRecord subscription, Optional<InstanceRecord> instance) {}

  /** A subscription and its instance, read in one statement. */
  Optional<Current> current(DSLContext tx, UUID id) {
    return tx.select(SUBSCRIPTION.fields())
        .select(INSTANCE.fields())
        .from(SUBSCRIPTION)
        .leftJoin(INSTANCE)
        .on(INSTANCE.SUBSCRIPTION_ID.eq(SUBSCRIPTION.SUBSCRIPTION_ID))
        .where(SUBSCRIPTION.SUBSCRIPTION_ID.eq(id))
        .fetchOptional(
            row ->
                new Current(
                    row.into(SUBSCRIPTION),
                    row.get(INSTANCE.INSTANCE_ID) == null
                        ? Optional.empty()
                        : Optional.of(row.into(INSTANCE))));
  }

  Optional<SubscriptionRecord> lockSubscription(DSLContext tx, UUID id) {
    return tx.selectFrom(SUBSCRIPTION)
        .where(SUBSCRIPTION.SUBSCRIPTION_ID.eq(id))
        .forUpdate()
        .fetchOptional();
  }

  Optional<SubscriptionRecord> byIdempotencyKey(DSLContext tx, String userId, String key) {
    return tx.selectFrom(SUBSCRIPTION)
        .where(SUBSCRIPTION.USER_ID.eq(userId))
        .and(SUBSCRIPTION.IDEMPOTENCY_KEY.eq(key))
        .fetchOptional();
  }

  Optional<SubscriptionRecord> liveSubscription(DSLContext tx, String userId, UUID serviceId) {
    return tx.selectFrom(SUBSCRIPTION)
        .where(SUBSCRIPTION.USER_ID.eq(userId))
        .and(SUBSCRIPTION.SERVICE_ID.eq(serviceId))
        .and(SUBSCRIPTION.STATUS.in(LIVE))
        .fetchOptional();
  }

  /**
   * A user's subscriptions, failed ones left out: a failed attempt keeps nothing, not even a
   * listing.
   */
  List<SubscriptionRecord> subscriptionsOf(DSLContext tx, String userId) {
    return tx.selectFrom(SUBSCRIPTION)
        .where(SUBSCRIPTION.USER_ID.eq(userId))
        .and(SUBSCRIPTION.STATUS.ne(SubscriptionStatus.FAILED))
        .orderBy(SUBSCRIPTION.CREATED_AT.desc(), SUBSCRIPTION.SUBSCRIPTION_ID)
        .fetch();
  }

  void activate(DSLContext tx, UUID id, long amountPaid, Instant now) {
    move(
        tx,
        id,
        SubscriptionStatus.ACTIVE,
        "paid and set up",
        tx.update(SUBSCRIPTION)
            .set(SUBSCRIPTION.STATUS, SubscriptionStatus.ACTIVE)
            .set(SUBSCRIPTION.AMOUNT_PAID, amountPaid),
        now);
    log.info("Subscription {} moved to ACTIVE", id);
  }

  void changePlan(DSLContext tx, UUID id, UUID planId, long amountPaid, Instant now) {
    changed(
        tx.update(SUBSCRIPTION)
            .set(SUBSCRIPTION.PLAN_ID, planId)
            .set(SUBSCRIPTION.AMOUNT_PAID, amountPaid),
        id,
        now);
    log.info("Subscription {} moved to plan {}", id, planId);
  }

  /** Rolls a subscription into the period a renewal paid for: active again, with nothing owed. */
  void renewed(DSLContext tx, UUID id, BillingPeriod next, long amountPaid, Instant now) {
    move(
        tx,
        id,
        SubscriptionStatus.ACTIVE,
        "renewal paid",
        tx.update(SUBSCRIPTION)
            .set(SUBSCRIPTION.STATUS, SubscriptionStatus.ACTIVE)
            .set(SUBSCRIPTION.PERIOD_START, at(next.start()))
            .set(SUBSCRIPTION.PERIOD_END, at(next.end()))
            .set(SUBSCRIPTION.AMOUNT_PAID, amountPaid)
            .set(SUBSCRIPTION.RENEWAL_FAILURES, 0)
            .setNull(SUBSCRIPTION.PAST_DUE_SINCE)
            .setNull(SUBSCRIPTION.NEXT_RENEWAL_ATTEMPT_AT)
            .setNull(SUBSCRIPTION.SUSPENDED_AT),
        now);
    log.info("Subscription {} renewed for {}", id, next);
  }

  /**
   * Records a declined renewal with a retry left: past due, the next attempt at {@code retryAt}.
   */
  void pastDue(DSLContext tx, UUID id, int failures, Instant since, Instant retryAt, Instant now) {
    move(
        tx,
        id,
        SubscriptionStatus.PAST_DUE,
        "renewal payment declined (" + failures + ")",
        tx.update(SUBSCRIPTION)
            .set(SUBSCRIPTION.STATUS, SubscriptionStatus.PAST_DUE)
            .set(SUBSCRIPTION.RENEWAL_FAILURES, failures)
            .set(SUBSCRIPTION.PAST_DUE_SINCE, at(since))
            .set(SUBSCRIPTION.NEXT_RENEWAL_ATTEMPT_AT, at(retryAt)),
        now);
    log.info(
        "Subscription {} is past due after {} declined renewal(s); next try at {}",
        id,
        failures,
        retryAt);
  }

  /**
   * Records the last declined renewal: suspended until {@code graceEnds}, when it is cancelled
   * unless paid for before.
   */
  void suspend(DSLContext tx, UUID id, int failures, Instant graceEnds, Instant now) {
    move(
        tx,
        id,
        SubscriptionStatus.SUSPENDED,
        "every retry of the renewal payment declined",
        tx.update(SUBSCRIPTION)
            .set(SUBSCRIPTION.STATUS, SubscriptionStatus.SUSPENDED)
            .set(SUBSCRIPTION.RENEWAL_FAILURES, failures)
            .set(SUBSCRIPTION.PAST_DUE_SINCE, coalesce(SUBSCRIPTION.PAST_DUE_SINCE, at(now)))
            .set(SUBSCRIPTION.SUSPENDED_AT, at(now))
            .set(SUBSCRIPTION.NEXT_RENEWAL_ATTEMPT_AT, at(graceEnds)),
        now);
    log.info("Subscription {} is suspended until {}", id, graceEnds);
  }

  /** Schedules a plan change for the end of the term, or withdraws it ({@code planId} null). */
  void scheduleChange(DSLContext tx, UUID id, UUID planId, Instant now) {
    changed(tx.update(SUBSCRIPTION).set(SUBSCRIPTION.SCHEDULED_PLAN_ID, planId), id, now);
    log.info(
        "Subscription {} {}",
        id,
        planId == null ? "has no change scheduled" : "moves to plan " + planId + " at term end");
  }

  /** Schedules, or takes back, the cancel of a subscription at the end of its paid period. */
  void cancelAtPeriodEnd(DSLContext tx, UUID id, boolean cancel, Instant now) {
    changed(tx.update(SUBSCRIPTION).set(SUBSCRIPTION.CANCEL_AT_PERIOD_END, cancel), id, now);
    log.info(
        "Subscription {} {} at the end of its period",
        id,
        cancel ? "cancels" : "no longer cancels");
  }

  void end(
      DSLContext tx,
      UUID id,
      SubscriptionStatus status,
      ErrorCode failureCode,
      String failureReason,
      Instant now) {
    move(
        tx,
        id,
        status,
        failureCode == null ? "cancelled" : failureCode + ": " + failureReason,
        tx.update(SUBSCRIPTION)
            .set(SUBSCRIPTION.STATUS, status)
            .set(SUBSCRIPTION.FAILURE_CODE, failureCode)
            .set(SUBSCRIPTION.FAILURE_REASON, truncate(failureReason, 500)),
        now);
    log.info("Subscription {} moved to {} {}", id, status, failureCode == null ? "" : failureCode);
  }

  /**
   * Runs an update of one subscription's row that also counts its version and dates the change: the
   * tail every change of a subscription shares.
   */
  private static void changed(UpdateSetMoreStep<SubscriptionRecord> update, UUID id, Instant now) {
    versioned(update, id, now).execute();
  }

  private static UpdateConditionStep<SubscriptionRecord> versioned(
      UpdateSetMoreStep<SubscriptionRecord> update, UUID id, Instant now) {
    return update
        .set(SUBSCRIPTION.VERSION, SUBSCRIPTION.VERSION.plus(1))
        .set(SUBSCRIPTION.UPDATED_AT, at(now))
        .where(SUBSCRIPTION.SUBSCRIPTION_ID.eq(id));
  }

  /**
   * Moves a subscription to {@code to} with {@code update} (which sets the status and what goes
   * with it), as {@link #changed} does, and records the transition from the status it had; none
   * when it had that status already. One statement: the update runs in a {@code WITH} clause, and
   * the transition is inserted from the row as the statement's snapshot holds it, before the
   * update.
   */
  private static void move(
      DSLContext tx,
      UUID id,
      SubscriptionStatus to,
      String reason,
      UpdateSetMoreStep<SubscriptionRecord> update,
      Instant now) {
    tx.with(
            DSL.name("moved")
                .as(versioned(update, id, now).returningResult(SUBSCRIPTION.SUBSCRIPTION_ID)))
        .insertInto(
            SUBSCRIPTION_TRANSITION,
            SUBSCRIPTION_TRANSITION.SUBSCRIPTION_ID,
            SUBSCRIPTION_TRANSITION.FROM_STATUS,
            SUBSCRIPTION_TRANSITION.TO_STATUS,
            SUBSCRIPTION_TRANSITION.REASON,
            SUBSCRIPTION_TRANSITION.RECORDED_AT)
        .select(
            DSL.select(
                    SUBSCRIPTION.SUBSCRIPTION_ID,
                    SUBSCRIPTION.STATUS,
                    DSL.val(to, SUBSCRIPTION_TRANSITION.TO_STATUS),
                    DSL.val(truncate(reason, 300), SUBSCRIPTION_TRANSITION.REASON),
                    DSL.val(at(now), SUBSCRIPTION_TRANSITION.RECORDED_AT))
                .from(SUBSCRIPTION)
                .where(SUBSCRIPTION.SUBSCRIPTION_ID.eq(id))
                .and(SUBSCRIPTION.STATUS.ne(to)))
        .execute();
  }

  /** A page of a subscription's status transitions, newest first. */
  List<SubscriptionTransition> subscriptionTransitions(
      DSLContext tx, UUID subscriptionId, PageRequest page) {
    return tx.selectFrom(SUBSCRIPTION_TRANSITION)
        .where(SUBSCRIPTION_TRANSITION.SUBSCRIPTION_ID.eq(subscriptionId))
        .orderBy(
            SUBSCRIPTION_TRANSITION.RECORDED_AT.desc(),
            SUBSCRIPTION_TRANSITION.TRANSITION_ID.desc())
        .limit(page.size())
        .offset(page.offset())
        .fetch(
            t ->
                new SubscriptionTransition(
                    t.getFromStatus(),
                    t.getToStatus(),
                    t.getRecordedAt().toInstant(),
                    t.getReason()));
  }

  /** How many status transitions a subscription has. */
  long subscriptionTransitionCount(DSLContext tx, UUID subscriptionId) {
    return tx.fetchCount(
        SUBSCRIPTION_TRANSITION, SUBSCRIPTION_TRANSITION.SUBSCRIPTION_ID.eq(subscriptionId));
  }

  // ---------------------------------------------------------------- instances

  void insertInstance(
      DSLContext tx,
      UUID id,
      SubscriptionRecord subscription,
      String subdomain,
      Resources resources,
      Instant now) {
    writeWithTransition(
        tx,
        id,
        tx.insertInto(INSTANCE)
            .set(INSTANCE.INSTANCE_ID, id)
            .set(INSTANCE.SUBSCRIPTION_ID, subscription.getSubscriptionId())
            .set(INSTANCE.USER_ID, subscription.getUserId())
            .set(INSTANCE.SUBDOMAIN, subdomain)
            .set(INSTANCE.STATUS, InstanceStatus.PROVISIONING)
            .set(INSTANCE.CPU_MILLICORES, resources.cpuMillicores())
            .set(INSTANCE.MEMORY_MIB, resources.memoryMiB())
            .set(INSTANCE.STORAGE_GIB, resources.storageGiB())
            .set(INSTANCE.HEALTH_STREAK, 0)
            .set(INSTANCE.CREATED_AT, at(now))
            .set(INSTANCE.UPDATED_AT, at(now))
            .returningResult(INSTANCE.INSTANCE_ID),
        null,
        InstanceStatus.PROVISIONING,
        "subscription paid",
        now);
  }

  Optional<InstanceRecord> instanceOf(DSLContext tx, UUID subscriptionId) {
    return tx.selectFrom(INSTANCE)
        .where(INSTANCE.SUBSCRIPTION_ID.eq(subscriptionId))
        .fetchOptional();
  }

  Optional<InstanceRecord> instance(DSLContext tx, UUID instanceId) {
    return tx.selectFrom(INSTANCE).where(INSTANCE.INSTANCE_ID.eq(instanceId)).fetchOptional();
  }

  /** A user's instances, those of failed subscriptions left out. */
  List<InstanceRecord> instancesOf(DSLContext tx, String userId) {
    return tx.selectFrom(INSTANCE)
        .where(INSTANCE.USER_ID.eq(userId))
        .and(INSTANCE.STATUS.ne(InstanceStatus.FAILED))
        .orderBy(INSTANCE.CREATED_AT.desc(), INSTANCE.INSTANCE_ID)
        .fetch();
  }

  /**
   * Moves an instance to a status, recording the transition; does nothing if it is there already.
   */
  void moveInstance(DSLContext tx, UUID instanceId, InstanceStatus to, String reason, Instant now) {
    InstanceRecord instance =
        tx.selectFrom(INSTANCE)
            .where(INSTANCE.INSTANCE_ID.eq(instanceId))
            .forUpdate()
            .fetchSingle();
    InstanceStatus from = instance.getStatus();
    if (from == to) {
      return;
    }
    // Locked, so it is still in the status just read.
    moveInstanceFrom(tx, instanceId, from, to, reason, now);
  }

  /**
   * Moves an instance from the status a caller read to another, recording the transition; does
   * nothing, and says so, if the instance is no longer in that status (compare and set).
   */
  boolean moveInstanceFrom(
      DSLContext tx,
      UUID instanceId,
      InstanceStatus from,
      InstanceStatus to,
      String reason,
      Instant now) {
    return writeWithTransition(
        tx,
        instanceId,
        tx.update(INSTANCE)
            .set(INSTANCE.STATUS, to)
            .set(INSTANCE.UPDATED_AT, at(now))
            .where(INSTANCE.INSTANCE_ID.eq(instanceId))
            .and(INSTANCE.STATUS.eq(from))
            .returningResult(INSTANCE.INSTANCE_ID),
        from,
        to,
        reason,
        now);
  }

  /** Records where a provisioning instance runs and moves it to RUNNING, in one update. */
  void provisioned(DSLContext tx, UUID instanceId, String url, String namespace, Instant now) {
    writeWithTransition(
        tx,
        instanceId,
        tx.update(INSTANCE)
            .set(INSTANCE.URL, url)
            .set(INSTANCE.NAMESPACE, namespace)
            .set(INSTANCE.STATUS, InstanceStatus.RUNNING)
            .set(INSTANCE.UPDATED_AT, at(now))
            .where(INSTANCE.INSTANCE_ID.eq(instanceId))
            .and(INSTANCE.STATUS.eq(InstanceStatus.PROVISIONING))
            .returningResult(INSTANCE.INSTANCE_ID),
        InstanceStatus.PROVISIONING,
        InstanceStatus.RUNNING,
        "provisioned",
        now);
  }

  /**
   * Gives an instance a new plan's resources; what the health monitor judged against the old ones
   * (its streaks of high usage, its upgrade recommendation) starts afresh.
   */
  void resizeInstance(DSLContext tx, UUID instanceId, Resources resources, Instant now) {
    tx.update(INSTANCE)
        .set(INSTANCE.CPU_MILLICORES, resources.cpuMillicores())
        .set(INSTANCE.MEMORY_MIB, resources.memoryMiB())
        .set(INSTANCE.STORAGE_GIB, resources.storageGiB())
        .set(INSTANCE.CPU_HIGH_STREAK, 0)
        .set(INSTANCE.MEMORY_HIGH_STREAK, 0)
        .set(INSTANCE.STORAGE_HIGH_STREAK, 0)
        .setNull(INSTANCE.RECOMMENDED_PLAN_ID)
        .setNull(INSTANCE.RECOMMENDATION_REASON)
        .set(INSTANCE.UPDATED_AT, at(now))
        .where(INSTANCE.INSTANCE_ID.eq(instanceId))
        .execute();
  }

  /** A page of an instance's status transitions, newest first. */
  List<InstanceTransition> transitions(DSLContext tx, UUID instanceId, PageRequest page) {
    return tx.selectFrom(INSTANCE_TRANSITION)
        .where(INSTANCE_TRANSITION.INSTANCE_ID.eq(instanceId))
        .orderBy(INSTANCE_TRANSITION.RECORDED_AT.desc(), INSTANCE_TRANSITION.TRANSITION_ID.desc())
        .limit(page.size())
        .offset(page.offset())
        .fetch(SubscriptionStore::transition);
  }

  /** How many status transitions an instance has. */
  long transitionCount(DSLContext tx, UUID instanceId) {
    return tx.fetchCount(INSTANCE_TRANSITION, INSTANCE_TRANSITION.INSTANCE_ID.eq(instanceId));
  }

  private static InstanceTransition transition(InstanceTransitionRecord t) {
    return new InstanceTransition(
        t.getFromStatus(), t.getToStatus(), t.getRecordedAt().toInstant(), t.getReason());
  }

  /**
   * Runs a write of one instance's row that returns its id, and records the transition of the row
   * it wrote, in one statement (the write runs in a {@code WITH} clause, the transition is inserted
   * from what it returned).
   *
   * @return whether the write wrote the row (a compare-and-set update may find it moved on)
   */
  private boolean writeWithTransition(
      DSLContext tx,
      UUID instanceId,
      ResultQuery<Record1<UUID>> write,
      InstanceStatus from,
      InstanceStatus to,
      String reason,
      Instant now) {
    CommonTableExpression<Record1<UUID>> written = DSL.name("written").as(write);
    boolean wrote =
        tx.with(written)
                .insertInto(
                    INSTANCE_TRANSITION,
                    INSTANCE_TRANSITION.INSTANCE_ID,
                    INSTANCE_TRANSITION.FROM_STATUS,
                    INSTANCE_TRANSITION.TO_STATUS,
                    INSTANCE_TRANSITION.REASON,
                    INSTANCE_TRANSITION.RECORDED_AT)
                .select(
                    DSL.select(
                            written.field(INSTANCE.INSTANCE_ID),
                            DSL.val(from, INSTANCE_TRANSITION.FROM_STATUS),
                            DSL.val(to, INSTANCE_TRANSITION.TO_STATUS),
                            DSL.val(truncate(reason, 300), INSTANCE_TRANSITION.REASON),
                            DSL.val(at(now), INSTANCE_TRANSITION.RECORDED_AT))
                        .from(written))
                .execute()
            == 1;
    if (wrote) {
      log.info("Instance {} moved from {} to {}: {}", instanceId, from, to, reason);
    }
    return wrote;
  }

  Map<String, String> env(DSLContext tx, UUID instanceId) {
    Map<String, String> env = new LinkedHashMap<>();
    tx.selectFrom(INSTANCE_ENV)
        .where(INSTANCE_ENV.INSTANCE_ID.eq(instanceId))
        .orderBy(INSTANCE_ENV.NAME)
        .forEach(r -> env.put(r.getName(), r.getValue()));
    return env;
  }

  void putEnv(DSLContext tx, UUID instanceId, Map<String, String> changes, Instant now) {
    changes.forEach(
        (name, value) -> {
          if (value == null) {
            tx.deleteFrom(INSTANCE_ENV)
                .where(INSTANCE_ENV.INSTANCE_ID.eq(instanceId))
                .and(INSTANCE_ENV.NAME.eq(name))
                .execute();
          } else {
            tx.insertInto(INSTANCE_ENV)
                .set(INSTANCE_ENV.INSTANCE_ID, instanceId)
                .set(INSTANCE_ENV.NAME, name)
                .set(INSTANCE_ENV.VALUE, value)
                .onConflict(INSTANCE_ENV.INSTANCE_ID, INSTANCE_ENV.NAME)
                .doUpdate()
                .set(INSTANCE_ENV.VALUE, value)
                .execute();
          }
        });
    tx.update(INSTANCE)
        .set(INSTANCE.UPDATED_AT, at(now))
        .where(INSTANCE.INSTANCE_ID.eq(instanceId))
        .execute();
  }

  /**
   * Stores an environment change as the instance's desired environment, keeping for the workflow
   * that makes it the values it replaces (null where a variable was not set).
   */
  void recordEnvChange(
      DSLContext tx, UUID workflowId, UUID instanceId, Map<String, String> changes, Instant now) {
    Map<String, String> current = env(tx, instanceId);
    changes.forEach(
        (name, value) ->
            tx.insertInto(WORKFLOW_ENV_CHANGE)
                .set(WORKFLOW_ENV_CHANGE.WORKFLOW_ID, workflowId)
                .set(WORKFLOW_ENV_CHANGE.NAME, name)
                .set(WORKFLOW_ENV_CHANGE.VALUE, value)
                .set(WORKFLOW_ENV_CHANGE.PREVIOUS_VALUE, current.get(name))
                .execute());
    putEnv(tx, instanceId, changes, now);
  }

  // ---------------------------------------------------------------- custom domains

  /**
   * The custom domain a configuration change set and the one it replaced.
   *
   * @param domain the new custom domain, or null for none
   * @param previous the one it replaced, or null for none
   */
  record DomainChange(String domain, String previous) {}

  /**
   * Stores a change of an instance's custom domain as its desired one, keeping for the workflow
   * that makes it the one it replaces. The new host name is claimed for the instance first; the one
   * it replaces stays claimed until the change settles, so that an undo can always put it back.
   *
   * @throws SubscriptionConflictException if another instance holds the host name
   */
  void recordDomainChange(
      DSLContext tx, UUID workflowId, InstanceRecord instance, String domain, Instant now) {
    UUID instanceId = instance.getInstanceId();
    if (domain != null) {
      tx.insertInto(INSTANCE_DOMAIN)
          .set(INSTANCE_DOMAIN.DOMAIN, domain)
          .set(INSTANCE_DOMAIN.INSTANCE_ID, instanceId)
          .onConflictDoNothing()
          .execute();
      UUID holder =
          tx.select(INSTANCE_DOMAIN.INSTANCE_ID)
              .from(INSTANCE_DOMAIN)
              .where(INSTANCE_DOMAIN.DOMAIN.eq(domain))
              .fetchSingle(INSTANCE_DOMAIN.INSTANCE_ID);
      if (!holder.equals(instanceId)) {
        throw new SubscriptionConflictException(
            instance.getSubscriptionId(), "custom domain " + domain + " is already in use");
      }
    }
    tx.insertInto(WORKFLOW_DOMAIN_CHANGE)
        .set(WORKFLOW_DOMAIN_CHANGE.WORKFLOW_ID, workflowId)
        .set(WORKFLOW_DOMAIN_CHANGE.CUSTOM_DOMAIN, domain)
        .set(WORKFLOW_DOMAIN_CHANGE.PREVIOUS_DOMAIN, instance.getCustomDomain())
        .execute();
    setCustomDomain(tx, instanceId, domain, now);
    log.info(
        "Instance {} custom domain set to {} (was {})",
        instanceId,
        domain,
        instance.getCustomDomain());
  }

  /** The custom domain change a workflow made, if it made one. */
  Optional<DomainChange> domainChange(DSLContext tx, UUID workflowId) {
    return tx.selectFrom(WORKFLOW_DOMAIN_CHANGE)
        .where(WORKFLOW_DOMAIN_CHANGE.WORKFLOW_ID.eq(workflowId))
        .fetchOptional(r -> new DomainChange(r.getCustomDomain(), r.getPreviousDomain()));
  }

  /** Sets an instance's custom domain (null for none); the caller holds its claim. */
  void setCustomDomain(DSLContext tx, UUID instanceId, String domain, Instant now) {
    tx.update(INSTANCE)
        .set(INSTANCE.CUSTOM_DOMAIN, domain)
        .set(INSTANCE.UPDATED_AT, at(now))
        .where(INSTANCE.INSTANCE_ID.eq(instanceId))
        .execute();
  }

  /** Releases the host names an instance holds besides its current custom domain. */
  void settleDomains(DSLContext tx, UUID instanceId) {
    String current =
        tx.select(INSTANCE.CUSTOM_DOMAIN)
            .from(INSTANCE)
            .where(INSTANCE.INSTANCE_ID.eq(instanceId))
            .fetchSingle(INSTANCE.CUSTOM_DOMAIN);
    tx.deleteFrom(INSTANCE_DOMAIN)
        .where(INSTANCE_DOMAIN.INSTANCE_ID.eq(instanceId))
        .and(current == null ? DSL.noCondition() : INSTANCE_DOMAIN.DOMAIN.ne(current))
        .execute();
  }

  /** Takes an instance's custom domain away and releases every host name it holds (a cancel). */
  void releaseDomains(DSLContext tx, UUID instanceId, Instant now) {
    setCustomDomain(tx, instanceId, null, now);
    tx.deleteFrom(INSTANCE_DOMAIN).where(INSTANCE_DOMAIN.INSTANCE_ID.eq(instanceId)).execute();
  }

  /** The values an environment change replaced, by name (null where a variable was not set). */
  Map<String, String> replacedEnv(DSLContext tx, UUID workflowId) {
    Map<String, String> previous = new HashMap<>();
    tx.selectFrom(WORKFLOW_ENV_CHANGE)
        .where(WORKFLOW_ENV_CHANGE.WORKFLOW_ID.eq(workflowId))
        .forEach(r -> previous.put(r.getName(), r.getPreviousValue()));
    return previous;
  }

  // ---------------------------------------------------------------- health

  /**
   * Claims, for this round, the running or degraded instances not checked since {@code
   * checkedBefore}: each is marked checked now, so the other nodes skip it this round.
   */
  List<InstanceRecord> claimForHealthCheck(
      DSLContext tx, Instant now, Instant checkedBefore, int limit) {
    List<InstanceRecord> due =
        tx.selectFrom(INSTANCE)
            .where(INSTANCE.STATUS.in(InstanceStatus.RUNNING, InstanceStatus.DEGRADED))
            .and(
                INSTANCE
                    .HEALTH_CHECKED_AT
                    .isNull()
                    .or(INSTANCE.HEALTH_CHECKED_AT.le(at(checkedBefore))))
            .orderBy(INSTANCE.HEALTH_CHECKED_AT.asc().nullsFirst())
            .limit(limit)
            .forUpdate()
            .skipLocked()
            .fetch();
    if (!due.isEmpty()) {
      tx.update(INSTANCE)
          .set(INSTANCE.HEALTH_CHECKED_AT, at(now))
          .where(INSTANCE.INSTANCE_ID.in(due.stream().map(InstanceRecord::getInstanceId).toList()))
          .execute();
    }
    return due;
  }

  void recordHealth(
      DSLContext tx,
      UUID instanceId,
      boolean healthy,
      String detail,
      int streak,
      ResourceUsage usage,
      Instant now) {
    var update =
        tx.update(INSTANCE)
            .set(INSTANCE.HEALTH_CHECKED_AT, at(now))
            .set(INSTANCE.HEALTH_OK, healthy)
            .set(INSTANCE.HEALTH_DETAIL, truncate(detail, 300))
            .set(INSTANCE.HEALTH_STREAK, streak);
    if (usage != null) {
      update =
          update
              .set(INSTANCE.USAGE_CPU, usage.cpuMillicores())
              .set(INSTANCE.USAGE_MEMORY, usage.memoryMiB())
              .set(INSTANCE.USAGE_STORAGE, usage.storageGiB())
              .set(INSTANCE.USAGE_AT, at(now));
    }
    update.where(INSTANCE.INSTANCE_ID.eq(instanceId)).execute();
  }

  /**
   * Records the streaks of high usage a check counted and the upgrade recommendation they give
   * ({@code recommendedPlanId} and {@code reason} both null for none), but only while the instance
   * still has the resources the check judged against: an upgrade that committed meanwhile started
   * them afresh, and wins.
   */
  void recordUsageJudgement(
      DSLContext tx,
      UUID instanceId,
      Resources judgedAgainst,
      UsageRule.Streaks streaks,
      UUID recommendedPlanId,
      String reason) {
    tx.update(INSTANCE)
        .set(INSTANCE.CPU_HIGH_STREAK, streaks.cpu())
        .set(INSTANCE.MEMORY_HIGH_STREAK, streaks.memory())
        .set(INSTANCE.STORAGE_HIGH_STREAK, streaks.storage())
        .set(INSTANCE.RECOMMENDED_PLAN_ID, recommendedPlanId)
        .set(INSTANCE.RECOMMENDATION_REASON, truncate(reason, 300))
        .where(INSTANCE.INSTANCE_ID.eq(instanceId))
        .and(INSTANCE.CPU_MILLICORES.eq(judgedAgainst.cpuMillicores()))
        .and(INSTANCE.MEMORY_MIB.eq(judgedAgainst.memoryMiB()))
        .and(INSTANCE.STORAGE_GIB.eq(judgedAgainst.storageGiB()))
        .execute();
  }

  // ---------------------------------------------------------------- usage samples

  /**
   * One health check's measured usage, as shares of the limits the instance had then.
   *
   * @param instanceId the instance
   * @param subscriptionId its subscription, whose plan the sample is filed under
   */
  record UsageSample(
      UUID instanceId, UUID subscriptionId, double cpu, double memory, double storage) {

    static UsageSample of(InstanceRecord instance, ResourceUsage usage, Resources limits) {
      return new UsageSample(
          instance.getInstanceId(),
          instance.getSubscriptionId(),
          (double) usage.cpuMillicores() / limits.cpuMillicores(),
          (double) usage.memoryMiB() / limits.memoryMiB(),
          usage.storageGiB() / limits.storageGiB());
    }
  }

  /**
   * Keeps a batch of usage samples in one statement, each under its subscription's plan as it is
   * now.
   */
  void recordUsageSamples(DSLContext dsl, List<UsageSample> samples, Instant now) {
    if (samples.isEmpty()) {
      return;
    }
    var insert =
        dsl.insertInto(
            USAGE_SAMPLE,
            USAGE_SAMPLE.INSTANCE_ID,
            USAGE_SAMPLE.PLAN_ID,
            USAGE_SAMPLE.SAMPLED_AT,
            USAGE_SAMPLE.CPU_RATIO,
            USAGE_SAMPLE.MEMORY_RATIO,
            USAGE_SAMPLE.STORAGE_RATIO);
    for (UsageSample sample : samples) {
      insert =
          insert.values(
              DSL.val(sample.instanceId()),
              DSL.field(
                  DSL.select(SUBSCRIPTION.PLAN_ID)
                      .from(SUBSCRIPTION)
                      .where(SUBSCRIPTION.SUBSCRIPTION_ID.eq(sample.subscriptionId()))),
              DSL.val(at(now)),
              DSL.val(sample.cpu()),
              DSL.val(sample.memory()),
              DSL.val(sample.storage()));
    }
    insert.execute();
  }

  /**
   * Deletes the usage samples taken before {@code before}.
   *
   * @return how many were deleted
   */
  int deleteUsageSamplesBefore(DSLContext dsl, Instant before) {
    return dsl.deleteFrom(USAGE_SAMPLE).where(USAGE_SAMPLE.SAMPLED_AT.lt(at(before))).execute();
  }

  // ---------------------------------------------------------------- views

  /**
   * Subscriptions as their owners see them: their instances in one query, their services and plans
   * from the catalog's caches.
   */
  Map<UUID, Subscription> views(DSLContext tx, List<SubscriptionRecord> subscriptions) {
    if (subscriptions.isEmpty()) {
      return Map.of();
    }
    List<UUID> ids = subscriptions.stream().map(SubscriptionRecord::getSubscriptionId).toList();
    Map<UUID, InstanceSummary> instances = new HashMap<>();
    tx.selectFrom(INSTANCE)
        .where(INSTANCE.SUBSCRIPTION_ID.in(ids))
        .forEach(i -> instances.put(i.getSubscriptionId(), summary(i)));
    Map<UUID, Subscription> views = new LinkedHashMap<>();
    for (SubscriptionRecord s : subscriptions) {
      views.put(s.getSubscriptionId(), view(s, instances.get(s.getSubscriptionId())));
    }
    return views;
  }

  /** A subscription as its owner sees it, with its instance as given. */
  Subscription view(SubscriptionRecord s, InstanceSummary instance) {
    ServiceDefinition definition = catalog.service(s.getServiceId()).definition();
    Plan plan = catalog.plan(s.getServiceId(), s.getPlanId());
    return view(s, definition.slug(), definition.name(), plan, instance);
  }

  /** A subscription as its owner sees it, from its row and what it refers to. */
  private Subscription view(
      SubscriptionRecord s,
      String serviceSlug,
      String serviceName,
      Plan plan,
      InstanceSummary instance) {
    return new Subscription(
        s.getSubscriptionId(),
        s.getUserId(),
        serviceSlug,
        serviceName,
        plan,
        s.getStatus(),
        period(s),
        s.getAmountPaid(),
        instance,
        s.getFailureCode() == null ? null : s.getFailureCode() + ": " + s.getFailureReason(),
        s.getCreatedAt().toInstant(),
        renewsAt(s),
        s.getCancelAtPeriodEnd(),
        s.getScheduledPlanId() == null
            ? null
            : new ScheduledChange(
                catalog.plan(s.getServiceId(), s.getScheduledPlanId()),
                s.getPeriodEnd().toInstant()),
        pastDue(s));
  }

  /** When the subscription's next period is charged, or null when it will not renew. */
  private static Instant renewsAt(SubscriptionRecord s) {
    return switch (s.getStatus()) {
      case ACTIVE -> s.getCancelAtPeriodEnd() ? null : s.getPeriodEnd().toInstant();
      case PAST_DUE -> s.getNextRenewalAttemptAt().toInstant();
      default -> null;
    };
  }

  private static PastDue pastDue(SubscriptionRecord s) {
    return switch (s.getStatus()) {
      case PAST_DUE ->
          new PastDue(
              s.getPastDueSince().toInstant(),
              s.getNextRenewalAttemptAt().toInstant(),
              s.getRenewalFailures());
      case SUSPENDED -> new PastDue(s.getPastDueSince().toInstant(), null, s.getRenewalFailures());
      default -> null;
    };
  }

  /** A subscription's current billing period, from its row. */
  static BillingPeriod period(SubscriptionRecord s) {
    return new BillingPeriod(s.getPeriodStart().toInstant(), s.getPeriodEnd().toInstant());
  }

  static InstanceSummary summary(InstanceRecord i) {
    return new InstanceSummary(i.getInstanceId(), i.getStatus(), i.getUrl());
  }

  Subscription view(DSLContext tx, SubscriptionRecord subscription) {
    return view(
        subscription,
        instanceOf(tx, subscription.getSubscriptionId())
            .map(SubscriptionStore::summary)
            .orElse(null));
  }

  /** A subscription as its owner sees it, from its row and its instance's as read together. */
  Subscription view(Current current) {
    return view(
        current.subscription(), current.instance().map(SubscriptionStore::summary).orElse(null));
  }

  Instance instanceView(DSLContext tx, InstanceRecord i) {
    SubscriptionRecord s = subscription(tx, i.getSubscriptionId()).orElseThrow();
    // Only a running instance has a current recommendation, and never for the plan it is on.
    UpgradeRecommendation recommendation =
        i.getRecommendedPlanId() == null
                || !RECOMMENDABLE.contains(i.getStatus())
                || i.getRecommendedPlanId().equals(s.getPlanId())
            ? null
            : new UpgradeRecommendation(
                catalog.plan(s.getServiceId(), i.getRecommendedPlanId()).slug(),
                i.getRecommendationReason());
    return new Instance(
        i.getInstanceId(),
        i.getSubscriptionId(),
        catalog.service(s.getServiceId()).definition().slug(),
        catalog.plan(s.getServiceId(), s.getPlanId()).slug(),
        i.getStatus(),
        i.getUrl(),
        new Resources(i.getCpuMillicores(), i.getMemoryMib(), i.getStorageGib()),
        i.getUsageAt() == null
            ? null
            : new ResourceUsage(i.getUsageCpu(), i.getUsageMemory(), i.getUsageStorage()),
        i.getHealthCheckedAt() == null || i.getHealthOk() == null
            ? null
            : new HealthCheck(
                i.getHealthCheckedAt().toInstant(), i.getHealthOk(), i.getHealthDetail()),
        env(tx, i.getInstanceId()),
        i.getCustomDomain(),
        recommendation,
        i.getCreatedAt().toInstant(),
        List.of());
  }
}
