package io.minispod.subscription;

import io.minispod.MinisPodException;
import java.time.Instant;
import java.util.UUID;

/**
 * A change a user asked for (a subscribe, an upgrade, a cancel, an environment update), followed
 * from its start to its end. Steps that wait on the payment gateway or the platform can take
 * minutes, so a host may answer the request at once with the operation and let its client poll it
 * ({@link OperationService}).
 *
 * @param id the operation's id
 * @param kind what it does
 * @param subscriptionId the subscription it changes
 * @param instanceId the subscription's instance when the operation was read, or {@code null}
 * @param status where it is
 * @param step the step it is at (or ended at), such as {@code PROVISION}
 * @param startedAt when it started
 * @param updatedAt when it last moved on
 * @param failure the error it ended with, with its original type, code and details, when {@link
 *     OperationStatus#FAILED}; {@code null} otherwise
 */
public record Operation(
    UUID id,
    OperationKind kind,
    UUID subscriptionId,
    UUID instanceId,
    OperationStatus status,
    String step,
    Instant startedAt,
    Instant updatedAt,
    MinisPodException failure) {

  /**
   * Whether it has ended, successfully or not.
   *
   * @return {@code true} unless it is still running
   */
  public boolean finished() {
    return status != OperationStatus.RUNNING;
  }
}
