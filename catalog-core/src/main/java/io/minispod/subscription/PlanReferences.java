package io.minispod.subscription;

import io.minispod.catalog.Plan;
import java.util.LinkedHashMap;
import java.util.Map;

/** How an error's details name a plan. */
final class PlanReferences {

  private PlanReferences() {}

  /** The plan's id, slug, name and tier. */
  static Map<String, Object> of(Plan plan) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("id", plan.id().toString());
    details.put("slug", plan.slug());
    details.put("name", plan.name());
    details.put("tier", plan.tier());
    return details;
  }

  /** The plan's id, slug, name and tier, and its price: amount in minor units, currency, period. */
  static Map<String, Object> withPrice(Plan plan) {
    Map<String, Object> details = of(plan);
    Map<String, Object> price = new LinkedHashMap<>();
    price.put("amount", plan.price().amount().minorUnits());
    price.put("currency", plan.price().amount().currency().getCurrencyCode());
    price.put("period", plan.price().interval().name());
    details.put("price", price);
    return details;
  }
}
