package io.minispod.broker;

/** The {@code state} of a {@code last_operation} answer. */
public enum OperationState {
  /** {@code in progress}: the platform keeps polling. */
  IN_PROGRESS("in progress"),
  /** {@code succeeded}. */
  SUCCEEDED("succeeded"),
  /** {@code failed}; the description says why. */
  FAILED("failed");

  private final String value;

  OperationState(String value) {
    this.value = value;
  }

  /**
   * The value the spec defines.
   *
   * @return {@code in progress}, {@code succeeded} or {@code failed}
   */
  public String value() {
    return value;
  }
}
