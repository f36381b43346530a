package io.minispod.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A service with all its plans (active or not), as read from the database and cached: the
 * quota-free part of what the catalog serves, and what {@link CatalogPort} answers. Immutable.
 *
 * @param definition the service
 * @param plans its plans, by tier
 */
public record ServiceStructure(ServiceDefinition definition, List<Plan> plans) {

  /** Copies the plans. */
  public ServiceStructure {
    plans = List.copyOf(plans);
  }

  /**
   * The plans offered to new subscriptions and upgrades.
   *
   * @return the active plans, by tier
   */
  public List<Plan> activePlans() {
    List<Plan> active = new ArrayList<>(plans.size());
    for (Plan plan : plans) {
      if (plan.active()) {
        active.add(plan);
      }
    }
    return active;
  }

  /**
   * A plan by id.
   *
   * @param planId the plan's id
   * @return the plan, active or not, or empty if the service has none with that id
   */
  public Optional<Plan> plan(UUID planId) {
    return plans.stream().filter(p -> p.id().equals(planId)).findFirst();
  }

  /**
   * A plan by slug.
   *
   * @param slug the plan's slug
   * @return the plan, active or not, or empty if the service has none with that slug
   */
  public Optional<Plan> plan(String slug) {
    return plans.stream().filter(p -> p.slug().equals(slug)).findFirst();
  }
}
