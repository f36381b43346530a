package io.minispod.broker;

import java.util.List;
import java.util.Map;

/**
 * A service offering of {@code GET /v2/catalog}: one active service of the MinisPod catalog.
 *
 * @param id {@code id}: the service's id, stable across catalog changes
 * @param name {@code name}: the service's slug, CLI-friendly
 * @param description {@code description}
 * @param tags {@code tags}
 * @param bindable {@code bindable}
 * @param instancesRetrievable {@code instances_retrievable}
 * @param bindingsRetrievable {@code bindings_retrievable}
 * @param planUpdateable {@code plan_updateable}
 * @param metadata {@code metadata}: display name and category
 * @param plans {@code plans}: its active plans, by tier
 */
public record ServiceOffering(
    String id,
    String name,
    String description,
    List<String> tags,
    boolean bindable,
    boolean instancesRetrievable,
    boolean bindingsRetrievable,
    boolean planUpdateable,
    Map<String, Object> metadata,
    List<ServicePlan> plans) {

  /** Copies the lists and the metadata. */
  public ServiceOffering {
    tags = List.copyOf(tags);
    metadata = Requests.copy(metadata);
    plans = List.copyOf(plans);
  }
}
