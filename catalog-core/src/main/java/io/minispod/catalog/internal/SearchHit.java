package io.minispod.catalog.internal;

import io.minispod.billing.Price;
import io.minispod.catalog.CategoryRef;
import io.minispod.catalog.ServiceSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One service found by a search or listed in a category, with what the quota-dependent filters and
 * orders need of its plans (all of them, by tier). Immutable; cached per search.
 */
record SearchHit(ServiceSummary summary, List<HitPlan> plans) {

  SearchHit {
    plans = List.copyOf(plans);
  }

  /** A plan as a search needs it. */
  record HitPlan(UUID id, boolean active, Price price) {}

  /** Builds the summary from the service's fields and its plans. */
  static SearchHit of(
      UUID id,
      String slug,
      String name,
      CategoryRef category,
      String description,
      List<String> tags,
      List<HitPlan> plans) {
    Price cheapest = null;
    int active = 0;
    for (HitPlan plan : plans) {
      if (plan.active()) {
        active++;
        if (cheapest == null
            || plan.price().monthlyEquivalent().compareTo(cheapest.monthlyEquivalent()) < 0) {
          cheapest = plan.price();
        }
      }
    }
    return new SearchHit(
        new ServiceSummary(id, slug, name, category, description, tags, cheapest, active), plans);
  }

  List<UUID> planIds() {
    List<UUID> ids = new ArrayList<>(plans.size());
    for (HitPlan plan : plans) {
      ids.add(plan.id());
    }
    return ids;
  }
}
