package io.minispod.catalog;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;
import java.util.UUID;

/**
 * A change that contradicts what is stored: a slug or tier already taken, or a plan capacity below
 * what its subscriptions use. Nothing was changed.
 */
public final class CatalogConflictException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  private CatalogConflictException(String message, Map<String, ?> details, Throwable cause) {
    super(ErrorCode.CONFLICT, message, details, cause);
  }

  /**
   * The error for a slug already taken.
   *
   * @param kind the kind
   * @param slug the slug
   * @param cause the cause
   * @return the exception
   */
  public static CatalogConflictException slugTaken(String kind, String slug, Throwable cause) {
    return new CatalogConflictException(
        "A " + kind + " with slug '" + slug + "' already exists",
        Map.of("kind", kind, "field", "slug", "slug", slug),
        cause);
  }

  /**
   * The error for a plan slug already taken within a service.
   *
   * @param serviceId the service id
   * @param slug the slug
   * @param cause the cause
   * @return the exception
   */
  public static CatalogConflictException planSlugTaken(
      UUID serviceId, String slug, Throwable cause) {
    return new CatalogConflictException(
        "Service " + serviceId + " already has a plan with slug '" + slug + "'",
        Map.of("kind", "plan", "field", "slug", "slug", slug, "serviceId", serviceId.toString()),
        cause);
  }

  /**
   * The error for a tier already taken within a service.
   *
   * @param serviceId the service id
   * @param tier the tier
   * @param cause the cause
   * @return the exception
   */
  public static CatalogConflictException tierTaken(UUID serviceId, int tier, Throwable cause) {
    return new CatalogConflictException(
        "Service " + serviceId + " already has a plan of tier " + tier,
        Map.of("kind", "plan", "field", "tier", "tier", tier, "serviceId", serviceId.toString()),
        cause);
  }

  /**
   * The error for a plan capacity below what is in use.
   *
   * @param planId the plan id
   * @param planSlug the plan slug
   * @param used the used
   * @param requested the requested
   * @param cause the cause
   * @return the exception
   */
  public static CatalogConflictException quotaBelowUsage(
      UUID planId, String planSlug, long used, long requested, Throwable cause) {
    return new CatalogConflictException(
        "Plan '%s' (%s) has %d subscriptions; a quota total of %d is below that"
            .formatted(planSlug, planId, used, requested),
        Map.of(
            "kind",
            "plan",
            "field",
            "quotaTotal",
            "planId",
            planId.toString(),
            "planSlug",
            planSlug,
            "used",
            used,
            "requestedQuotaTotal",
            requested),
        cause);
  }
}
