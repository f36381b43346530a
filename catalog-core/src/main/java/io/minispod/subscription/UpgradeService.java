package io.minispod.subscription;

import java.util.List;
import java.util.UUID;

/**
 * Moving a subscription to another plan, as its {@link UpgradePolicy} allows (by default only
 * upwards): now, with the prorated difference charged, or, where the policy says so, at the end of
 * the term, applied by the renewal with nothing prorated.
 */
public interface UpgradeService {

  /**
   * The plans the subscription may move to, each with today's prorated price and its free quota;
   * full plans are listed too (with no quota available). Plans with more storage than the current
   * one are left out when the provisioner cannot grow storage ({@link
   * io.minispod.provisioner.Provisioner#canGrowStorage()}).
   *
   * @param userId whose subscription
   * @param subscriptionId which
   * @return the options, lowest tier first
   * @throws CatalogNotFoundException if the user has no such subscription
   */
  List<UpgradeOption> options(String userId, UUID subscriptionId);

  /**
   * Upgrades a subscription: checks the policy, swaps the old plan's quota for the new one's,
   * charges the prorated difference (nothing when it is zero) and resizes the instance. Any failure
   * restores the old plan and its quota and refunds what was charged.
   *
   * <p>When the policy allows the change only at the end of the term ({@link
   * UpgradeDecision#atTermEnd()}), nothing is charged or held now: the change is scheduled ({@link
   * Subscription#scheduledChange()}, replacing one scheduled before) and the renewal at the end of
   * the period applies it. A change that would shrink storage cannot be scheduled (volumes do not
   * shrink): {@link InvalidPlanException#STORAGE_CANNOT_SHRINK}.
   *
   * @param userId whose subscription
   * @param subscriptionId which
   * @param targetPlanSlug the plan to move to
   * @param idempotencyKey unique per intended upgrade; a retry returns the first result
   * @return the subscription on its new plan
   * @throws CatalogNotFoundException if the user has no such subscription
   * @throws InvalidPlanException if the plan is unknown, inactive, or not allowed by the policy;
   *     with reason {@link InvalidPlanException#STORAGE_CANNOT_GROW} if it has more storage and the
   *     provisioner cannot grow storage (refused before anything is held or charged)
   * @throws SubscriptionConflictException if another operation on the subscription is in progress
   *     or it is not active
   * @throws PlanQuotaExceededException if the new plan is full
   * @throws InsufficientResourcesException if the cluster cannot hold the bigger instance
   * @throws io.minispod.MinisPodException with {@code PAYMENT_FAILED} or {@code
   *     PROVISIONING_FAILED} when the payment or the resize failed; everything was restored
   */
  Subscription upgrade(
      String userId, UUID subscriptionId, String targetPlanSlug, String idempotencyKey);

  /**
   * Starts an upgrade as {@link #upgrade} does and returns at once: a refusal of the policy, full
   * quota or another operation in progress is thrown here; the charge and the resize, and their
   * failures, are followed through the returned operation ({@link OperationService}).
   *
   * @param userId whose subscription
   * @param subscriptionId which
   * @param targetPlanSlug the plan to move to
   * @param idempotencyKey unique per intended upgrade; the same key with the same request returns
   *     the first request's operation, with a different request it is refused
   * @return the operation, usually still {@link OperationStatus#RUNNING}
   * @see #upgrade for the errors thrown here
   */
  Operation startUpgrade(
      String userId, UUID subscriptionId, String targetPlanSlug, String idempotencyKey);

  /**
   * Withdraws the plan change scheduled for the end of the term, if there is one.
   *
   * @param userId whose subscription
   * @param subscriptionId which
   * @return the subscription, with no scheduled change
   * @throws CatalogNotFoundException if the user has no such subscription
   * @throws SubscriptionConflictException if an operation on the subscription is in progress (the
   *     renewal may be applying the change)
   */
  Subscription withdrawScheduledChange(String userId, UUID subscriptionId);
}
