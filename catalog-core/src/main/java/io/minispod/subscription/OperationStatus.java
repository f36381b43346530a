package io.minispod.subscription;

/** Where an {@link Operation} is. */
public enum OperationStatus {
  /** Still in progress: running a step, waiting for a retry, or undoing a failed step. */
  RUNNING,
  /** Done: its subscription or instance is as asked. */
  SUCCEEDED,
  /** Ended with an error; whatever it had done was undone. */
  FAILED
}
