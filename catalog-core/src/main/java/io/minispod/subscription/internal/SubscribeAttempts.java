package io.minispod.subscription.internal;

import static io.minispod.catalog.internal.Columns.at;
import static io.minispod.catalog.internal.db.Tables.SUBSCRIBE_ATTEMPT;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.catalog.Plan;
import java.time.Instant;
import java.util.UUID;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribe attempts the conversion figures count: one row per subscribe request (a user's
 * idempotency key), written when the request starts its workflow or is refused, its outcome
 * recorded when the workflow ends. A retry of the same key writes over its row, never a second one.
 */
final class SubscribeAttempts {

  private static final Logger log = LoggerFactory.getLogger(SubscribeAttempts.class);

  private SubscribeAttempts() {}

  /**
   * Records a request that started its subscribe workflow, in the transaction that starts it; its
   * outcome is not known yet.
   */
  static void started(
      DSLContext tx, String userId, String key, Plan plan, UUID subscriptionId, Instant now) {
    tx.insertInto(SUBSCRIBE_ATTEMPT)
        .set(SUBSCRIBE_ATTEMPT.USER_ID, userId)
        .set(SUBSCRIBE_ATTEMPT.IDEMPOTENCY_KEY, key)
        .set(SUBSCRIBE_ATTEMPT.SERVICE_ID, plan.serviceId())
        .set(SUBSCRIBE_ATTEMPT.PLAN_SLUG, plan.slug())
        .set(SUBSCRIBE_ATTEMPT.PLAN_ID, plan.id())
        .set(SUBSCRIBE_ATTEMPT.SUBSCRIPTION_ID, subscriptionId)
        .set(SUBSCRIBE_ATTEMPT.CREATED_AT, at(now))
        .onConflict(SUBSCRIBE_ATTEMPT.USER_ID, SUBSCRIBE_ATTEMPT.IDEMPOTENCY_KEY)
        .doUpdate()
        .set(SUBSCRIBE_ATTEMPT.PLAN_ID, plan.id())
        .set(SUBSCRIBE_ATTEMPT.SUBSCRIPTION_ID, subscriptionId)
        .setNull(SUBSCRIBE_ATTEMPT.SUCCEEDED)
        .setNull(SUBSCRIBE_ATTEMPT.FAILURE_CODE)
        .setNull(SUBSCRIBE_ATTEMPT.DECIDED_AT)
        .execute();
  }

  /**
   * Records a request refused before its workflow started (nothing else of it is kept), on its own.
   * A failure to record it is logged, never thrown: the caller is about to throw the refusal.
   *
   * @param planId the plan asked for, or {@code null} for an unknown plan
   * @param refusal why it was refused
   * @return the refusal, for the caller to throw
   */
  static RuntimeException refused(
      DSLContext dsl,
      String userId,
      String key,
      UUID serviceId,
      String planSlug,
      UUID planId,
      RuntimeException refusal,
      Instant now) {
    ErrorCode code = refusal instanceof MinisPodException e ? e.code() : ErrorCode.INTERNAL_ERROR;
    try {
      dsl.insertInto(SUBSCRIBE_ATTEMPT)
          .set(SUBSCRIBE_ATTEMPT.USER_ID, userId)
          .set(SUBSCRIBE_ATTEMPT.IDEMPOTENCY_KEY, key)
          .set(SUBSCRIBE_ATTEMPT.SERVICE_ID, serviceId)
          .set(SUBSCRIBE_ATTEMPT.PLAN_SLUG, planSlug)
          .set(SUBSCRIBE_ATTEMPT.PLAN_ID, planId)
          .set(SUBSCRIBE_ATTEMPT.SUCCEEDED, false)
          .set(SUBSCRIBE_ATTEMPT.FAILURE_CODE, code)
          .set(SUBSCRIBE_ATTEMPT.CREATED_AT, at(now))
          .set(SUBSCRIBE_ATTEMPT.DECIDED_AT, at(now))
          .onConflict(SUBSCRIBE_ATTEMPT.USER_ID, SUBSCRIBE_ATTEMPT.IDEMPOTENCY_KEY)
          .doUpdate()
          .set(SUBSCRIBE_ATTEMPT.SUCCEEDED, false)
          .set(SUBSCRIBE_ATTEMPT.FAILURE_CODE, code)
          .set(SUBSCRIBE_ATTEMPT.DECIDED_AT, at(now))
          .execute();
    } catch (RuntimeException e) {
      log.warn("The refused subscribe attempt {} of user {} was not recorded", key, userId, e);
    }
    return refusal;
  }

  /**
   * Records how a started request ended, in the workflow's last commit.
   *
   * @param failure the workflow's error, or {@code null} when it succeeded
   */
  static void decided(DSLContext tx, String userId, String key, ErrorCode failure, Instant now) {
    tx.update(SUBSCRIBE_ATTEMPT)
        .set(SUBSCRIBE_ATTEMPT.SUCCEEDED, failure == null)
        .set(SUBSCRIBE_ATTEMPT.FAILURE_CODE, failure)
        .set(SUBSCRIBE_ATTEMPT.DECIDED_AT, at(now))
        .where(SUBSCRIBE_ATTEMPT.USER_ID.eq(userId))
        .and(SUBSCRIBE_ATTEMPT.IDEMPOTENCY_KEY.eq(key))
        .execute();
  }
}
