package io.minispod.subscription;

import java.time.Instant;
import java.util.UUID;

/**
 * Something about an instance that its owner or an operator should know.
 *
 * @param kind what happened
 * @param instanceId the instance
 * @param subscriptionId its subscription
 * @param userId its owner
 * @param message a sentence saying what and, for usage, which plan to upgrade to
 * @param suggestedPlanSlug the plan to upgrade to when usage is high, or {@code null}
 * @param at when it was seen
 */
public record Alert(
    Kind kind,
    UUID instanceId,
    UUID subscriptionId,
    String userId,
    String message,
    String suggestedPlanSlug,
    Instant at) {

  /** What an alert is about. */
  public enum Kind {
    /** The instance failed its health checks and is now degraded. */
    UNHEALTHY,
    /** A degraded instance passed its health checks again. */
    RECOVERED,
    /** The instance uses more of its plan's limits than the configured threshold. */
    HIGH_USAGE
  }
}
