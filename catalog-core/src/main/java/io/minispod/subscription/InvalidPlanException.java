package io.minispod.subscription;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;

/**
 * The plan does not exist for the service, is inactive, the change is not an upgrade, or it would
 * grow storage the platform cannot grow (or, scheduled for the end of the term, shrink it); {@code
 * details.reason} says which ({@code UNKNOWN_PLAN}, {@code STORAGE_CANNOT_GROW}, {@code
 * STORAGE_CANNOT_SHRINK} or an {@link UpgradeDecision} reason).
 */
public final class InvalidPlanException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  /** The reason given when no plan of the service has the slug. */
  public static final String UNKNOWN_PLAN = "UNKNOWN_PLAN";

  /**
   * The reason given when the plan has more storage than the current one and the provisioner cannot
   * grow an instance's volumes ({@link io.minispod.provisioner.Provisioner#canGrowStorage()}).
   */
  public static final String STORAGE_CANNOT_GROW = "STORAGE_CANNOT_GROW";

  /**
   * The reason given when a change scheduled for the end of the term would give the instance less
   * storage than it has: volumes do not shrink.
   */
  public static final String STORAGE_CANNOT_SHRINK = "STORAGE_CANNOT_SHRINK";

  private final String reason;

  /**
   * A refused plan.
   *
   * @param serviceSlug the service
   * @param planSlug the plan asked for
   * @param reason {@link #UNKNOWN_PLAN}, {@link #STORAGE_CANNOT_GROW}, {@link
   *     #STORAGE_CANNOT_SHRINK} or an {@link UpgradeDecision} reason
   */
  public InvalidPlanException(String serviceSlug, String planSlug, String reason) {
    super(
        ErrorCode.INVALID_PLAN,
        "Plan %s of service %s cannot be chosen: %s".formatted(planSlug, serviceSlug, reason),
        Map.of("serviceSlug", serviceSlug, "planSlug", planSlug, "reason", reason));
    this.reason = reason;
  }

  /**
   * Why the plan cannot be chosen.
   *
   * @return {@link #UNKNOWN_PLAN}, {@link #STORAGE_CANNOT_GROW}, {@link #STORAGE_CANNOT_SHRINK} or
   *     an {@link UpgradeDecision} reason
   */
  public String reason() {
    return reason;
  }
}
