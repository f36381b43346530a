package io.minispod.subscription.internal.workflow;

import io.minispod.ErrorCode;

/**
 * How a failed step is treated: retried later while that may help, or, when permanent, handed to
 * the undo step with the error its caller will see.
 *
 * @param permanent whether trying again cannot help
 * @param code the error's stable code
 * @param message what went wrong
 */
public record StepFailure(boolean permanent, ErrorCode code, String message) {}
