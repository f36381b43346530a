package io.minispod.subscription;

import io.minispod.billing.ProrationQuote;
import io.minispod.catalog.Plan;
import java.time.Instant;

/**
 * A plan a subscription may move to: now, priced as a prorated upgrade, or at the end of the term,
 * when the {@link UpgradePolicy} says so (then nothing is prorated: the renewal charges the plan's
 * price for the next period).
 *
 * @param plan the plan
 * @param quote today's prorated credit, charge and amount due; {@code null} for a change at the end
 *     of the term
 * @param quotaAvailable free slots of the plan right now (0 for a full plan, still listed)
 * @param effectiveAt when a change at the end of the term takes effect; {@code null} for now
 */
public record UpgradeOption(
    Plan plan, ProrationQuote quote, long quotaAvailable, Instant effectiveAt) {}
