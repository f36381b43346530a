package io.minispod.broker;

import java.util.Objects;

/**
 * The answer of {@code GET /v2/service_instances/:instance_id/last_operation}.
 *
 * @param state where the operation is
 * @param description what it is doing, or why it failed, for the platform's user
 */
public record LastOperation(OperationState state, String description) {

  /** Checks the state. */
  public LastOperation {
    Objects.requireNonNull(state, "state");
  }
}
