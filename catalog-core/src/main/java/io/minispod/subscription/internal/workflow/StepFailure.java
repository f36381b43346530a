package io.minispod.subscription.internal.workflow;

import io.minispod.ErrorCode;
import java.util.Map;

/**
 * How a failed step is treated: retried later while that may help, or, when permanent, handed to
 * the undo step with the error its caller will see.
 *
 * @param permanent whether trying again cannot help
 * @param code the error's stable code
 * @param message what went wrong
 * @param details the error's details, kept with the workflow so that the error can be rebuilt
 */
public record StepFailure(
    boolean permanent, ErrorCode code, String message, Map<String, Object> details) {

  /** Copies the details. */
  public StepFailure {
    details = Map.copyOf(details);
  }

  /** A failure without details. */
  public StepFailure(boolean permanent, ErrorCode code, String message) {
    this(permanent, code, message, Map.of());
  }
}
