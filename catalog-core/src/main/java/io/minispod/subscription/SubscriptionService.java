package io.minispod.subscription;

import io.minispod.catalog.Page;
import io.minispod.catalog.PageRequest;
import java.util.List;
import java.util.UUID;

/**
 * Subscribing to plans: a user subscribes once per service, pays, and gets a running instance;
 * nothing is ever held, charged or provisioned twice, and a failure gives everything back.
 *
 * <p>Ids that belong to another user are reported as not found, never as forbidden, so callers
 * learn nothing about other users' subscriptions.
 */
public interface SubscriptionService {

  /**
   * Subscribes a user to a plan: checks for a live subscription to the service, takes the plan's
   * quota, the user's instance slot and the cluster's resources (all or nothing), charges the first
   * period, and provisions the instance.
   *
   * @param userId who subscribes
   * @param serviceSlug the service
   * @param planSlug the plan of that service
   * @param idempotencyKey unique per intended subscription; a retry with the same key returns the
   *     first result (or its error) and creates, holds and charges nothing more
   * @return the subscription, {@link SubscriptionStatus#ACTIVE} with its instance running, or with
   *     its instance still {@link InstanceStatus#PROVISIONING} when the provisioner asked to retry
   * @throws io.minispod.ValidationException for blank or over-long arguments
   * @throws CatalogNotFoundException if no active service has that slug
   * @throws InvalidPlanException if the service has no such plan or it is inactive
   * @throws DuplicateSubscriptionException if the user already has a live subscription to it
   * @throws PlanQuotaExceededException if the plan is full
   * @throws InsufficientResourcesException if the user's or the cluster's limits would be exceeded
   * @throws io.minispod.billing.PaymentFailedException (or a {@code PAYMENT_FAILED} error on a
   *     retry) if the payment was declined; nothing is kept
   * @throws io.minispod.MinisPodException with {@code PROVISIONING_FAILED} if the instance could
   *     not be provisioned; the payment was refunded and the quota released
   */
  Subscription subscribe(String userId, String serviceSlug, String planSlug, String idempotencyKey);

  /**
   * The user's subscriptions, newest first, cancelled ones included. Failed attempts (payment
   * declined, provisioning failed) keep nothing and are not listed.
   *
   * @param userId whose
   * @return the subscriptions
   */
  List<Subscription> subscriptions(String userId);

  /**
   * One of the user's subscriptions.
   *
   * @param userId whose
   * @param subscriptionId which
   * @return the subscription with its plan, instance and billing period
   * @throws CatalogNotFoundException if the user has no such subscription (or it failed)
   */
  Subscription subscription(String userId, UUID subscriptionId);

  /**
   * A subscription's status transitions, newest first: set up, past due, suspended, active again,
   * cancelled or failed, each with when and why.
   *
   * @param userId whose
   * @param subscriptionId which
   * @param page which page
   * @return the page
   * @throws CatalogNotFoundException if the user has no such subscription
   * @throws io.minispod.ValidationException if the page is missing
   */
  Page<SubscriptionTransition> history(String userId, UUID subscriptionId, PageRequest page);

  /**
   * Cancels a subscription: deprovisions its instance and releases its quota. What is refunded is
   * up to the {@link CancellationPolicy} (nothing by default). Cancelling twice is harmless.
   *
   * @param userId whose
   * @param subscriptionId which
   * @return the subscription, {@link SubscriptionStatus#CANCELLED} once the instance is gone
   * @throws CatalogNotFoundException if the user has no such subscription
   * @throws SubscriptionConflictException if it is not active or another operation is in progress
   */
  Subscription cancel(String userId, UUID subscriptionId);

  /**
   * Starts a subscribe as {@link #subscribe} does and returns at once: what can be refused before
   * anything is charged (bad arguments, an unknown plan, a duplicate, full quota) is thrown here,
   * and everything after (payment, provisioning, their failures) is followed through the returned
   * operation ({@link OperationService}).
   *
   * @param userId who subscribes
   * @param serviceSlug the service
   * @param planSlug the plan of that service
   * @param idempotencyKey unique per intended subscription; the same key with the same request
   *     returns the first request's operation, with a different request it is refused
   * @return the operation, usually still {@link OperationStatus#RUNNING}
   * @throws SubscriptionConflictException if the key was first used for a different request
   * @see #subscribe for the other errors thrown here
   */
  Operation startSubscribe(
      String userId, String serviceSlug, String planSlug, String idempotencyKey);

  /**
   * Starts a cancel as {@link #cancel} does and returns at once with its operation. Starting it
   * again returns the same operation.
   *
   * @param userId whose
   * @param subscriptionId which
   * @return the operation
   * @throws CatalogNotFoundException if the user has no such subscription
   * @throws SubscriptionConflictException if it is not active or another operation is in progress
   */
  Operation startCancel(String userId, UUID subscriptionId);

  /**
   * Schedules the cancel of an active subscription at the end of its current period: it is not
   * renewed, its instance runs until then, and then it is cancelled with nothing refunded.
   * Scheduling it again changes nothing.
   *
   * @param userId whose
   * @param subscriptionId which
   * @return the subscription, with {@link Subscription#cancelAtPeriodEnd()} true
   * @throws CatalogNotFoundException if the user has no such subscription
   * @throws SubscriptionConflictException if it is not active
   */
  Subscription cancelAtPeriodEnd(String userId, UUID subscriptionId);

  /**
   * Takes back a cancel scheduled for the end of the period, before it happens: the subscription
   * renews as before. Resuming a subscription with nothing scheduled changes nothing.
   *
   * @param userId whose
   * @param subscriptionId which
   * @return the subscription
   * @throws CatalogNotFoundException if the user has no such subscription
   * @throws SubscriptionConflictException if it is no longer active (the cancel happened)
   */
  Subscription resume(String userId, UUID subscriptionId);

  /**
   * Pays now what a {@link SubscriptionStatus#PAST_DUE past-due} or {@link
   * SubscriptionStatus#SUSPENDED suspended} subscription owes: the next period at the plan's
   * current price. On success it is active again and a suspended subscription's instance is
   * started; a decline counts as one of the dunning schedule's attempts.
   *
   * @param userId whose
   * @param subscriptionId which
   * @return the subscription, {@link SubscriptionStatus#ACTIVE} again
   * @throws CatalogNotFoundException if the user has no such subscription
   * @throws SubscriptionConflictException if it owes nothing or another operation is in progress
   * @throws io.minispod.billing.PaymentFailedException if the payment was declined or failed
   */
  Subscription reactivate(String userId, UUID subscriptionId);

  /**
   * Starts a {@link #reactivate reactivation} and returns at once with its operation.
   *
   * @param userId whose
   * @param subscriptionId which
   * @return the operation
   * @throws CatalogNotFoundException if the user has no such subscription
   * @throws SubscriptionConflictException if it owes nothing or another operation is in progress
   */
  Operation startReactivate(String userId, UUID subscriptionId);
}
