package io.minispod.subscription;

/** What an {@link Operation} does to its subscription. */
public enum OperationKind {
  /** Charges the first period, provisions the instance and activates the subscription. */
  SUBSCRIBE,
  /** Charges the prorated difference, resizes the instance and moves the subscription's plan. */
  UPGRADE,
  /** Deprovisions the instance, refunds what the cancellation policy grants, releases quota. */
  CANCEL,
  /**
   * Changes the instance's configuration: its environment variables, its custom domain, or both
   * (the name dates from when the environment was all it changed).
   */
  UPDATE_ENV,
  /**
   * Makes the platform match the subscription again (the instance reconciler found its instance
   * missing, incomplete or with resources other than its plan's).
   */
  REPAIR,
  /**
   * Charges the next period and rolls the subscription into it, at the end of a period, on a
   * dunning retry, or when its user reactivates a past-due or suspended subscription.
   */
  RENEW,
  /**
   * Schedules a plan change for the end of the term, as the {@link UpgradePolicy} decided; the
   * renewal at the end of the period applies it.
   */
  SCHEDULE_CHANGE
}
