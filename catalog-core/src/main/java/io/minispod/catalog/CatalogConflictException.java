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

  static CatalogConflictException slugTaken(String kind, String slug, Throwable cause) {
    return new CatalogConflictException(
        "A " + kind + " with slug '" + slug + "' already exists",
        Map.of("kind", kind, "field", "slug", "slug", slug),
        cause);
  }

  static CatalogConflictException planSlugTaken(UUID serviceId, String slug, Throwable cause) {
    return new CatalogConflictException(
        "Service " + serviceId + " already has a plan with slug '" + slug + "'",
        Map.of("kind", "plan", "field", "slug", "slug", slug, "serviceId", serviceId.toString()),
        cause);
  }

  static CatalogConflictException tierTaken(UUID serviceId, int tier, Throwable cause) {
    return new CatalogConflictException(
        "Service " + serviceId + " already has a plan of tier " + tier,
        Map.of("kind", "plan", "field", "tier", "tier", tier, "serviceId", serviceId.toString()),
        cause);
  }

  static CatalogConflictException quotaBelowUsage(
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
