package io.minispod.subscription;

import java.util.Objects;

/**
 * What an {@link UpgradePolicy} decided.
 *
 * @param allowed whether the change may go ahead
 * @param reason why it may not ({@code null} when allowed), e.g. {@code NOT_AN_UPGRADE}
 * @param atTermEnd whether an allowed change takes effect at the end of the current period (the
 *     renewal applies it, at the new plan's price, with nothing prorated) rather than now
 */
public record UpgradeDecision(boolean allowed, String reason, boolean atTermEnd) {

  /** The reason given when the target plan belongs to another service. */
  public static final String DIFFERENT_SERVICE = "DIFFERENT_SERVICE";

  /** The reason given when the target plan is inactive. */
  public static final String INACTIVE_PLAN = "INACTIVE_PLAN";

  /** The reason given when the target plan's tier is not higher than the current one's. */
  public static final String NOT_AN_UPGRADE = "NOT_AN_UPGRADE";

  /** Checks that a refusal names its reason and is not scheduled. */
  public UpgradeDecision {
    if (!allowed) {
      Objects.requireNonNull(reason, "a refusal names its reason");
      if (atTermEnd) {
        throw new IllegalArgumentException("a refusal takes effect at no time");
      }
    }
  }

  /**
   * A decision that takes effect now when allowed.
   *
   * @param allowed whether the change may go ahead
   * @param reason why it may not ({@code null} when allowed)
   */
  public UpgradeDecision(boolean allowed, String reason) {
    this(allowed, reason, false);
  }

  /**
   * The change may go ahead.
   *
   * @return an allowing decision
   */
  public static UpgradeDecision allow() {
    return new UpgradeDecision(true, null, false);
  }

  /**
   * The change may go ahead at the end of the current period: it is scheduled, shown on the
   * subscription, can be withdrawn until then, and is applied by the renewal that starts the next
   * period (quota swapped, instance resized, the new plan's price charged, nothing prorated).
   *
   * @return an allowing decision for the end of the term
   */
  public static UpgradeDecision allowAtTermEnd() {
    return new UpgradeDecision(true, null, true);
  }

  /**
   * The change is refused.
   *
   * @param reason why, as a stable upper-case word
   * @return a refusing decision
   */
  public static UpgradeDecision refuse(String reason) {
    return new UpgradeDecision(false, reason, false);
  }
}
