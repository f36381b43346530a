package io.minispod.subscription;

/** Where a subscription is in its life. */
public enum SubscriptionStatus {
  /** Quota is held and payment or provisioning is under way. */
  PENDING,
  /** Paid for; its instance is provisioning or running. */
  ACTIVE,
  /** Payment or provisioning failed; everything it held was given back. */
  FAILED,
  /** Cancelled by its user; its instance is gone and its quota released. */
  CANCELLED;

  /**
   * Whether the subscription counts as the user's one live subscription to its service.
   *
   * @return {@code true} for {@link #PENDING} and {@link #ACTIVE}
   */
  public boolean isLive() {
    return this == PENDING || this == ACTIVE;
  }
}
