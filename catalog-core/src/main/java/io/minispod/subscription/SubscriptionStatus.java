package io.minispod.subscription;

/** Where a subscription is in its life. */
public enum SubscriptionStatus {
  /** Quota is held and payment or provisioning is under way. */
  PENDING,
  /** Paid for; its instance is provisioning or running. */
  ACTIVE,
  /**
   * A renewal charge was declined: the charge is retried on the dunning schedule, and the instance
   * keeps running meanwhile.
   */
  PAST_DUE,
  /**
   * Every retry of a declined renewal failed: the instance is stopped (its data kept) and the quota
   * stays held for a grace period, after which the subscription is cancelled. A successful payment
   * makes it active again.
   */
  SUSPENDED,
  /** Payment or provisioning failed; everything it held was given back. */
  FAILED,
  /**
   * Cancelled by its user, or at the end of a suspension's grace period; its instance is gone and
   * its quota released.
   */
  CANCELLED;

  /**
   * Whether the subscription counts as the user's one live subscription to its service.
   *
   * @return {@code true} for {@link #PENDING}, {@link #ACTIVE}, {@link #PAST_DUE} and {@link
   *     #SUSPENDED}
   */
  public boolean isLive() {
    return this == PENDING || this == ACTIVE || this == PAST_DUE || this == SUSPENDED;
  }
}
