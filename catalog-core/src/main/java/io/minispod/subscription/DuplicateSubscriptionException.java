package io.minispod.subscription;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.catalog.Plan;
import java.util.List;
import java.util.Map;

/**
 * The user already has a live subscription to the service: it carries that subscription, its plan
 * and the plans the user may upgrade to instead.
 */
public final class DuplicateSubscriptionException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  private final transient Subscription existing;
  private final transient List<Plan> upgradeOptions;

  /**
   * A second live subscription to a service.
   *
   * @param existing the live subscription
   * @param upgradeOptions the plans the user may upgrade to instead
   */
  public DuplicateSubscriptionException(Subscription existing, List<Plan> upgradeOptions) {
    super(
        ErrorCode.DUPLICATE_SUBSCRIPTION,
        "User %s already subscribes to %s (subscription %s on plan %s)"
            .formatted(
                existing.userId(), existing.serviceSlug(), existing.id(), existing.plan().slug()),
        Map.of(
            "existingSubscriptionId", existing.id().toString(),
            "currentPlan", PlanReferences.of(existing.plan()),
            "upgradeOptions", upgradeOptions.stream().map(PlanReferences::of).toList()));
    this.existing = existing;
    this.upgradeOptions = List.copyOf(upgradeOptions);
  }

  /**
   * The live subscription the user already has.
   *
   * @return the subscription
   */
  public Subscription existing() {
    return existing;
  }

  /**
   * The plans the user may upgrade that subscription to.
   *
   * @return the plans, lowest tier first
   */
  public List<Plan> upgradeOptions() {
    return upgradeOptions;
  }
}
