package io.minispod.catalog;

/**
 * What {@link CatalogSeed#apply} created; all zero when the seed catalog was already there.
 *
 * @param categoriesCreated categories created
 * @param servicesCreated services created
 * @param plansCreated plans created
 */
public record SeedReport(int categoriesCreated, int servicesCreated, int plansCreated) {}
