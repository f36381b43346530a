package io.minispod.broker;

import static io.minispod.broker.internal.db.Tables.SERVICE_INSTANCE;

import io.minispod.broker.internal.db.tables.records.ServiceInstanceRecord;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * The mapping of platform-chosen instance ids to subscriptions. Each write is one statement; the
 * attempt number fences writes against a concurrent restart of the same id.
 */
final class InstanceStore {

  /**
   * One instance id as stored.
   *
   * @param instanceId the platform's id
   * @param attempt which provisioning of the id this is, from 1
   * @param ownerId the subscription's user
   * @param serviceId the service it was provisioned from
   * @param planId the plan it was provisioned with
   * @param fingerprint what the provision asked for
   * @param subscriptionId the subscription, or {@code null} before the subscribe started
   * @param operationId the operation last started on it, or {@code null}
   * @param operationPlanId the plan that operation asked for, or {@code null}
   */
  record Row(
      String instanceId,
      int attempt,
      String ownerId,
      UUID serviceId,
      UUID planId,
      String fingerprint,
      UUID subscriptionId,
      UUID operationId,
      UUID operationPlanId) {

    /** A first provisioning, not stored yet. */
    static Row fresh(
        String instanceId, String ownerId, UUID serviceId, UUID planId, String fingerprint) {
      return new Row(instanceId, 1, ownerId, serviceId, planId, fingerprint, null, null, null);
    }
  }

  private final DSLContext dsl;
  private final Clock clock;

  InstanceStore(DSLContext dsl, Clock clock) {
    this.dsl = dsl;
    this.clock = clock;
  }

  Optional<Row> find(String instanceId) {
    return dsl.selectFrom(SERVICE_INSTANCE)
        .where(SERVICE_INSTANCE.INSTANCE_ID.eq(instanceId))
        .fetchOptional()
        .map(InstanceStore::row);
  }

  /** Inserts the row unless the id is stored already; either way, returns what is stored. */
  Row insertOrFind(Row fresh) {
    OffsetDateTime now = now();
    dsl.insertInto(SERVICE_INSTANCE)
        .set(SERVICE_INSTANCE.INSTANCE_ID, fresh.instanceId())
        .set(SERVICE_INSTANCE.ATTEMPT, fresh.attempt())
        .set(SERVICE_INSTANCE.OWNER_ID, fresh.ownerId())
        .set(SERVICE_INSTANCE.SERVICE_ID, fresh.serviceId())
        .set(SERVICE_INSTANCE.PLAN_ID, fresh.planId())
        .set(SERVICE_INSTANCE.REQUEST_FINGERPRINT, fresh.fingerprint())
        .set(SERVICE_INSTANCE.CREATED_AT, now)
        .set(SERVICE_INSTANCE.UPDATED_AT, now)
        .onConflictDoNothing()
        .execute();
    return find(fresh.instanceId())
        .orElseThrow(
            () -> new IllegalStateException("instance " + fresh.instanceId() + " vanished"));
  }

  /**
   * Starts the id over for a new provisioning after its earlier instance failed or was
   * deprovisioned.
   *
   * @return the new row, or empty if another request restarted (or forgot) it first
   */
  Optional<Row> restart(Row old, Row wanted) {
    int rows =
        dsl.update(SERVICE_INSTANCE)
            .set(SERVICE_INSTANCE.ATTEMPT, old.attempt() + 1)
            .set(SERVICE_INSTANCE.OWNER_ID, wanted.ownerId())
            .set(SERVICE_INSTANCE.SERVICE_ID, wanted.serviceId())
            .set(SERVICE_INSTANCE.PLAN_ID, wanted.planId())
            .set(SERVICE_INSTANCE.REQUEST_FINGERPRINT, wanted.fingerprint())
            .setNull(SERVICE_INSTANCE.SUBSCRIPTION_ID)
            .setNull(SERVICE_INSTANCE.OPERATION_ID)
            .setNull(SERVICE_INSTANCE.OPERATION_PLAN_ID)
            .set(SERVICE_INSTANCE.UPDATED_AT, now())
            .where(SERVICE_INSTANCE.INSTANCE_ID.eq(old.instanceId()))
            .and(SERVICE_INSTANCE.ATTEMPT.eq(old.attempt()))
            .execute();
    return rows == 1 ? find(old.instanceId()) : Optional.empty();
  }

  /** Records the operation just started on the row's attempt (and its subscription). */
  void started(Row row, UUID subscriptionId, UUID operationId, UUID operationPlanId) {
    dsl.update(SERVICE_INSTANCE)
        .set(SERVICE_INSTANCE.SUBSCRIPTION_ID, subscriptionId)
        .set(SERVICE_INSTANCE.OPERATION_ID, operationId)
        .set(SERVICE_INSTANCE.OPERATION_PLAN_ID, operationPlanId)
        .set(SERVICE_INSTANCE.UPDATED_AT, now())
        .where(SERVICE_INSTANCE.INSTANCE_ID.eq(row.instanceId()))
        .and(SERVICE_INSTANCE.ATTEMPT.eq(row.attempt()))
        .execute();
  }

  /** Forgets an attempt whose subscribe was refused before any subscription existed. */
  void forget(Row row) {
    dsl.deleteFrom(SERVICE_INSTANCE)
        .where(SERVICE_INSTANCE.INSTANCE_ID.eq(row.instanceId()))
        .and(SERVICE_INSTANCE.ATTEMPT.eq(row.attempt()))
        .and(SERVICE_INSTANCE.SUBSCRIPTION_ID.isNull())
        .execute();
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private static Row row(ServiceInstanceRecord r) {
    return new Row(
        r.getInstanceId(),
        r.getAttempt(),
        r.getOwnerId(),
        r.getServiceId(),
        r.getPlanId(),
        r.getRequestFingerprint(),
        r.getSubscriptionId(),
        r.getOperationId(),
        r.getOperationPlanId());
  }
}
