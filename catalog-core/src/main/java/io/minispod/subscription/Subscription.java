package io.minispod.subscription;

import io.minispod.billing.BillingPeriod;
import io.minispod.catalog.Plan;
import java.time.Instant;
import java.util.UUID;

/**
 * A user's subscription to a plan of a service, as its owner sees it.
 *
 * @param id the subscription's id
 * @param userId its owner
 * @param serviceSlug the service's slug
 * @param serviceName the service's name
 * @param plan the plan it is on now
 * @param status where it is in its life
 * @param currentPeriod the billing period it is paid for
 * @param amountPaid what was paid for the current period, in minor units of the plan's currency
 * @param instance its instance, or {@code null} before payment went through
 * @param failure why it failed, or {@code null}
 * @param createdAt when it was requested
 * @param renewsAt when the next period is charged (the end of the current one, or a past-due
 *     subscription's next retry), or {@code null} when it will not renew
 * @param cancelAtPeriodEnd whether it is cancelled when its current period ends instead of renewed
 * @param scheduledChange the plan change scheduled for the end of the term, or {@code null}
 * @param pastDue what it owes, or {@code null} unless it is past due or suspended
 */
public record Subscription(
    UUID id,
    String userId,
    String serviceSlug,
    String serviceName,
    Plan plan,
    SubscriptionStatus status,
    BillingPeriod currentPeriod,
    long amountPaid,
    InstanceSummary instance,
    String failure,
    Instant createdAt,
    Instant renewsAt,
    boolean cancelAtPeriodEnd,
    ScheduledChange scheduledChange,
    PastDue pastDue) {}
