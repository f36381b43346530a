package io.minispod.subscription;

import java.time.Instant;

/**
 * What a {@link SubscriptionStatus#PAST_DUE past-due} or {@link SubscriptionStatus#SUSPENDED
 * suspended} subscription owes: since when, how many renewal attempts were declined, and when the
 * next is due.
 *
 * @param since when the first renewal attempt of the unpaid period was declined
 * @param nextRetryAt when the charge is tried again, or {@code null} when no retry is left (the
 *     subscription is suspended, and only its owner's {@link SubscriptionService#reactivate
 *     reactivation} pays it)
 * @param attempts declined attempts so far
 */
public record PastDue(Instant since, Instant nextRetryAt, int attempts) {}
