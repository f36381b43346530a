package io.minispod;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects every bad field of one input, so that a caller learns all of them at once.
 *
 * <pre>{@code
 * FieldErrors errors = new FieldErrors();
 * errors.require(!slug.isBlank(), "slug", "must not be blank");
 * errors.require(port > 0, "port", "must be between 1 and 65535, was " + port);
 * errors.throwIfAny();
 * }</pre>
 */
public final class FieldErrors {

  private final Map<String, String> errors = new LinkedHashMap<>();

  /** Creates an empty collector. */
  public FieldErrors() {}

  /**
   * Records a problem with a field unless the condition holds. The first problem of a field wins.
   *
   * @param condition what must be true of valid input
   * @param field the field name, as the caller spelled it
   * @param problem what is wrong and what was expected
   * @return {@code condition}, so dependent checks can be skipped
   */
  public boolean require(boolean condition, String field, String problem) {
    if (!condition) {
      errors.putIfAbsent(field, problem);
    }
    return condition;
  }

  /**
   * Whether any problem was recorded.
   *
   * @return {@code true} when at least one field is bad
   */
  public boolean any() {
    return !errors.isEmpty();
  }

  /**
   * Throws a {@link ValidationException} naming every recorded field, if there is one.
   *
   * @throws ValidationException when any problem was recorded
   */
  public void throwIfAny() {
    if (any()) {
      throw new ValidationException(errors);
    }
  }
}
