package io.minispod.catalog;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;
import java.util.UUID;

/**
 * An unknown category, service or plan, or an archived service asked for through the public
 * catalog. The message names what was asked for.
 */
public final class CatalogNotFoundException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  private CatalogNotFoundException(String message, Map<String, ?> details) {
    super(ErrorCode.NOT_FOUND, message, details);
  }

  static CatalogNotFoundException category(String slug) {
    return new CatalogNotFoundException(
        "No category '" + slug + "'", Map.of("kind", "category", "slug", slug));
  }

  static CatalogNotFoundException service(String slug) {
    return new CatalogNotFoundException(
        "No service '" + slug + "'", Map.of("kind", "service", "slug", slug));
  }

  static CatalogNotFoundException service(UUID serviceId) {
    return new CatalogNotFoundException(
        "No service " + serviceId, Map.of("kind", "service", "id", serviceId.toString()));
  }

  static CatalogNotFoundException plan(UUID serviceId, UUID planId) {
    return new CatalogNotFoundException(
        "No plan " + planId + " in service " + serviceId,
        Map.of("kind", "plan", "id", planId.toString(), "serviceId", serviceId.toString()));
  }

  static CatalogNotFoundException subscription(UUID subscriptionId) {
    return new CatalogNotFoundException(
        "No subscription " + subscriptionId,
        Map.of("kind", "subscription", "id", subscriptionId.toString()));
  }

  static CatalogNotFoundException instance(UUID instanceId) {
    return new CatalogNotFoundException(
        "No instance " + instanceId, Map.of("kind", "instance", "id", instanceId.toString()));
  }
}
