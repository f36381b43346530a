package io.minispod.subscription;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;
import java.util.UUID;

/**
 * Another operation is in progress on the subscription, its state forbids the change, or an
 * idempotency key was reused for a different request. Nothing was changed.
 */
public final class SubscriptionConflictException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  /**
   * A refused change.
   *
   * @param subscriptionId the subscription
   * @param problem why, completing "subscription … cannot change: "
   */
  public SubscriptionConflictException(UUID subscriptionId, String problem) {
    super(
        ErrorCode.CONFLICT,
        "Subscription %s: %s".formatted(subscriptionId, problem),
        Map.of("subscriptionId", subscriptionId.toString(), "problem", problem));
  }
}
