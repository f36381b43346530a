package io.minispod.subscription;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.catalog.Plan;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The action needs a feature the subscription's plan does not include (such as {@code
 * customDomain}). Nothing was changed. {@link #details()}: {@code requiredFeature}, {@code
 * currentPlan} (its slug) and, when the service has one the upgrade policy allows, {@code
 * cheapestPlan} (id, slug, name, tier and price of the cheapest plan that has the feature).
 */
public final class UpgradeRequiredException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  private final String requiredFeature;
  private final transient Plan cheapestPlan;

  /**
   * A feature the plan lacks.
   *
   * @param requiredFeature the feature, a key of {@link Plan#features()}
   * @param currentPlan the subscription's plan
   * @param cheapestPlan the cheapest plan the subscription may upgrade to that has it, or {@code
   *     null} when there is none
   */
  public UpgradeRequiredException(String requiredFeature, Plan currentPlan, Plan cheapestPlan) {
    super(
        ErrorCode.UPGRADE_REQUIRED,
        "Plan %s does not include %s%s"
            .formatted(
                currentPlan.name(),
                requiredFeature,
                cheapestPlan == null
                    ? ""
                    : "; upgrade to " + cheapestPlan.name() + " (" + cheapestPlan.slug() + ")"),
        details(requiredFeature, currentPlan, cheapestPlan));
    this.requiredFeature = requiredFeature;
    this.cheapestPlan = cheapestPlan;
  }

  private static Map<String, Object> details(String feature, Plan current, Plan cheapest) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("requiredFeature", feature);
    details.put("currentPlan", current.slug());
    if (cheapest != null) {
      details.put("cheapestPlan", PlanReferences.withPrice(cheapest));
    }
    return details;
  }

  /**
   * The feature the action needs.
   *
   * @return a key of {@link Plan#features()}, such as {@code customDomain}
   */
  public String requiredFeature() {
    return requiredFeature;
  }

  /**
   * The cheapest plan the subscription may upgrade to that has the feature.
   *
   * @return the plan; empty when the service has none the upgrade policy allows
   */
  public Optional<Plan> cheapestPlan() {
    return Optional.ofNullable(cheapestPlan);
  }
}
