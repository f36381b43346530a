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

  /**
   * The error for an unknown category.
   *
   * @param slug the slug
   * @return the exception
   */
  public static CatalogNotFoundException category(String slug) {
    return new CatalogNotFoundException(
        "No category '" + slug + "'", Map.of("kind", "category", "slug", slug));
  }

  /**
   * The error for an unknown service.
   *
   * @param slug the slug
   * @return the exception
   */
  public static CatalogNotFoundException service(String slug) {
    return new CatalogNotFoundException(
        "No service '" + slug + "'", Map.of("kind", "service", "slug", slug));
  }

  /**
   * The error for an unknown service.
   *
   * @param serviceId the service id
   * @return the exception
   */
  public static CatalogNotFoundException service(UUID serviceId) {
    return new CatalogNotFoundException(
        "No service " + serviceId, Map.of("kind", "service", "id", serviceId.toString()));
  }

  /**
   * The error for an unknown plan of a service.
   *
   * @param serviceId the service id
   * @param planId the plan id
   * @return the exception
   */
  public static CatalogNotFoundException plan(UUID serviceId, UUID planId) {
    return new CatalogNotFoundException(
        "No plan " + planId + " in service " + serviceId,
        Map.of("kind", "plan", "id", planId.toString(), "serviceId", serviceId.toString()));
  }

  /**
   * The error for a subscription the caller may not see or that does not exist.
   *
   * @param subscriptionId the subscription id
   * @return the exception
   */
  public static CatalogNotFoundException subscription(UUID subscriptionId) {
    return new CatalogNotFoundException(
        "No subscription " + subscriptionId,
        Map.of("kind", "subscription", "id", subscriptionId.toString()));
  }

  /**
   * The error for an instance the caller may not see or that does not exist.
   *
   * @param instanceId the instance id
   * @return the exception
   */
  public static CatalogNotFoundException instance(UUID instanceId) {
    return new CatalogNotFoundException(
        "No instance " + instanceId, Map.of("kind", "instance", "id", instanceId.toString()));
  }

  /**
   * The error for an operation the caller may not see or that does not exist.
   *
   * @param operationId the operation id
   * @return the exception
   */
  public static CatalogNotFoundException operation(UUID operationId) {
    return new CatalogNotFoundException(
        "No operation " + operationId, Map.of("kind", "operation", "id", operationId.toString()));
  }
}
