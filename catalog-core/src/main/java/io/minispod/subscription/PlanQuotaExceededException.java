package io.minispod.subscription;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.catalog.Plan;
import java.util.Map;

/** The plan has no capacity left. Nothing was held or charged. */
public final class PlanQuotaExceededException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  /**
   * A full plan.
   *
   * @param plan the plan
   * @param available what was left of its capacity
   * @param total its capacity
   */
  public PlanQuotaExceededException(Plan plan, long available, long total) {
    super(
        ErrorCode.QUOTA_EXCEEDED,
        "No available quota for plan %s (%d of %d available)"
            .formatted(plan.name(), available, total),
        Map.of(
            "planName",
            plan.name(),
            "planSlug",
            plan.slug(),
            "availableQuota",
            available,
            "totalQuota",
            total));
  }
}
