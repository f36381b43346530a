package io.minispod.broker;

import java.util.Map;

/**
 * A plan of a {@link ServiceOffering} in the catalog.
 *
 * @param id {@code id}: the catalog plan's id, stable across catalog changes
 * @param name {@code name}: the plan's slug, CLI-friendly
 * @param description {@code description}
 * @param free {@code free}: whether it costs nothing
 * @param planUpdateable {@code plan_updateable}: {@code true} while a plan of a higher tier exists
 *     (the default upgrade-only policy refuses every other change)
 * @param metadata {@code metadata}: display name, tier, price, resources and quota
 */
public record ServicePlan(
    String id,
    String name,
    String description,
    boolean free,
    boolean planUpdateable,
    Map<String, Object> metadata) {

  /** Copies the metadata. */
  public ServicePlan {
    metadata = Requests.copy(metadata);
  }
}
