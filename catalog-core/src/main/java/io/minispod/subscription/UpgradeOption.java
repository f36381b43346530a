package io.minispod.subscription;

import io.minispod.billing.ProrationQuote;
import io.minispod.catalog.Plan;

/**
 * A plan a subscription may move to, priced for an upgrade now.
 *
 * @param plan the plan
 * @param quote today's prorated credit, charge and amount due
 * @param quotaAvailable free slots of the plan right now (0 for a full plan, still listed)
 */
public record UpgradeOption(Plan plan, ProrationQuote quote, long quotaAvailable) {}
