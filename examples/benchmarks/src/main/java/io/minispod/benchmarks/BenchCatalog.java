package io.minispod.benchmarks;

import io.minispod.billing.Price;
import io.minispod.catalog.Catalog;
import io.minispod.catalog.CatalogSeed;
import io.minispod.catalog.CategoryDraft;
import io.minispod.catalog.Plan;
import io.minispod.catalog.PlanDraft;
import io.minispod.catalog.ServiceDraft;
import io.minispod.catalog.template.Resources;
import java.util.List;
import java.util.Map;

/**
 * The services the benchmarks subscribe to: each in the category {@code bench}, with n8n's template
 * and one plan, {@code basic}, at 100,000 IDR a month for 500 millicores, 512 MiB and 5 GiB.
 */
final class BenchCatalog {

  private BenchCatalog() {}

  /** Creates the category the benchmark services belong to; call once per database. */
  static void createCategory(Catalog catalog) {
    catalog.admin().createCategory(new CategoryDraft("bench", "Bench", "Benchmark services", 1));
  }

  /** Creates a service and its plan of {@code capacity} subscriptions, and returns the plan. */
  static Plan createService(Catalog catalog, String slug, String name, long capacity) {
    var service =
        catalog
            .admin()
            .createService(
                new ServiceDraft(
                    slug,
                    name,
                    "bench",
                    "A benchmark service",
                    List.of(),
                    CatalogSeed.n8nTemplate()));
    return catalog
        .admin()
        .createPlan(
            service.id(),
            new PlanDraft(
                "basic",
                "Basic",
                1,
                Price.monthly(100_000, "IDR"),
                new Resources(500, 512, 5),
                capacity,
                Map.of()))
        .plan();
  }
}
