package io.minispod.subscription;

/**
 * The plan an instance's usage suggests moving to, as the health monitor decided it: some resource
 * was used above the configured share of the plan's limit for as many checks in a row as the health
 * threshold. It is cleared when usage drops below that share or the plan changes.
 *
 * @param planSlug the plan the upgrade policy offers next, such as {@code business}
 * @param reason why, such as {@code memory above 85% of the plan's limit for 3 checks}
 */
public record UpgradeRecommendation(String planSlug, String reason) {}
