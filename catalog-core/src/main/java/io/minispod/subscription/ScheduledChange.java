package io.minispod.subscription;

import io.minispod.catalog.Plan;
import java.time.Instant;

/**
 * A plan change scheduled for the end of a subscription's term: the renewal that starts the next
 * period moves the subscription to {@code plan} and charges its price. It can be withdrawn until
 * then ({@link UpgradeService#withdrawScheduledChange}, or {@link SubscriptionService#resume}).
 *
 * @param plan the plan the subscription moves to
 * @param effectiveAt when: the end of the current period
 */
public record ScheduledChange(Plan plan, Instant effectiveAt) {}
