package io.minispod.catalog;

import java.util.List;
import java.util.Map;

/** Drafts for tests: valid unless a test changes them. */
final class Fixtures {

  private Fixtures() {}

  static AppTemplate template() {
    return AppTemplate.builder("registry.example.com:5000/team/app:1.2.3", 8080)
        .managedEnv("APP_URL", "${url}")
        .env("LOG_LEVEL", "info")
        .build();
  }

  static ServiceDraft service(
      String slug, String name, String category, String description, String... tags) {
    return new ServiceDraft(slug, name, category, description, List.of(tags), template());
  }

  static PlanDraft plan(String slug, int tier, long monthlyAmount, long quotaTotal) {
    return new PlanDraft(
        slug,
        Character.toUpperCase(slug.charAt(0)) + slug.substring(1),
        tier,
        Price.monthly(monthlyAmount, "IDR"),
        new Resources(250 * tier, 256 * tier, tier),
        quotaTotal,
        Map.of("tier", (long) tier));
  }

  static CategoryDraft category(String slug, String name, int order) {
    return new CategoryDraft(slug, name, name + " services", order);
  }
}
