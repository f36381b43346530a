package io.minispod.catalog;

/**
 * A plan with its capacity figures.
 *
 * @param plan the plan
 * @param quota its quota pool's total, used and available figures
 */
public record PlanDetails(Plan plan, QuotaFigures quota) {}
