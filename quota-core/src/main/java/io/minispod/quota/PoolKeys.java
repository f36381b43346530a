package io.minispod.quota;

import io.minispod.FieldErrors;

/** The rules every pool key, owner and idempotency key follows. */
final class PoolKeys {

  /** The longest key the schema stores. */
  static final int MAX_LENGTH = 200;

  private PoolKeys() {}

  /**
   * Records a problem unless {@code value} is a non-blank key of at most {@link #MAX_LENGTH}
   * characters without control characters.
   */
  static void check(FieldErrors errors, String field, String value) {
    if (errors.require(value != null && !value.isBlank(), field, "must not be blank")) {
      errors.require(
          value.length() <= MAX_LENGTH,
          field,
          "must be at most " + MAX_LENGTH + " characters, was " + value.length());
      errors.require(
          value.chars().noneMatch(Character::isISOControl),
          field,
          "must not contain control characters");
    }
  }
}
