package io.minispod.catalog;

import io.minispod.billing.Price;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Resources;
import java.util.List;
import java.util.Map;

/** Drafts for tests: valid unless a test changes them. */
public final class Fixtures {

  private Fixtures() {}

  public static AppTemplate template() {
    return AppTemplate.builder("registry.example.com:5000/team/app:1.2.3", 8080)
        .managedEnv("APP_URL", "${url}")
        .env("LOG_LEVEL", "info")
        .build();
  }

  public static ServiceDraft service(
      String slug, String name, String category, String description, String... tags) {
    return new ServiceDraft(slug, name, category, description, List.of(tags), template());
  }

  public static PlanDraft plan(String slug, int tier, long monthlyAmount, long quotaTotal) {
    return new PlanDraft(
        slug,
        Character.toUpperCase(slug.charAt(0)) + slug.substring(1),
        tier,
        Price.monthly(monthlyAmount, "IDR"),
        new Resources(250 * tier, 256 * tier, tier),
        quotaTotal,
        Map.of("tier", (long) tier));
  }

  public static CategoryDraft category(String slug, String name, int order) {
    return new CategoryDraft(slug, name, name + " services", order);
  }
}
