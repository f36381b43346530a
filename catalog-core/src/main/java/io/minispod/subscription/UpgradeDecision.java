package io.minispod.subscription;

import java.util.Objects;

/**
 * What an {@link UpgradePolicy} decided.
 *
 * @param allowed whether the change may go ahead
 * @param reason why it may not ({@code null} when allowed), e.g. {@code NOT_AN_UPGRADE}
 */
public record UpgradeDecision(boolean allowed, String reason) {

  /** The reason given when the target plan belongs to another service. */
  public static final String DIFFERENT_SERVICE = "DIFFERENT_SERVICE";

  /** The reason given when the target plan is inactive. */
  public static final String INACTIVE_PLAN = "INACTIVE_PLAN";

  /** The reason given when the target plan's tier is not higher than the current one's. */
  public static final String NOT_AN_UPGRADE = "NOT_AN_UPGRADE";

  /** Checks that a refusal names its reason. */
  public UpgradeDecision {
    if (!allowed) {
      Objects.requireNonNull(reason, "a refusal names its reason");
    }
  }

  /**
   * The change may go ahead.
   *
   * @return an allowing decision
   */
  public static UpgradeDecision allow() {
    return new UpgradeDecision(true, null);
  }

  /**
   * The change is refused.
   *
   * @param reason why, as a stable upper-case word
   * @return a refusing decision
   */
  public static UpgradeDecision refuse(String reason) {
    return new UpgradeDecision(false, reason);
  }
}
