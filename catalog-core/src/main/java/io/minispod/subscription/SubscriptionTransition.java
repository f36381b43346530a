package io.minispod.subscription;

import java.time.Instant;

/**
 * One change of a subscription's status, as its owner reads it in the subscription's history: set
 * up, past due after a declined renewal, suspended, active again, cancelled.
 *
 * @param from the status it left
 * @param to the status it entered
 * @param at when
 * @param reason why, in words its owner may read (such as {@code renewal payment declined (1)})
 */
public record SubscriptionTransition(
    SubscriptionStatus from, SubscriptionStatus to, Instant at, String reason) {}
