package io.minispod;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bad input: one or more fields are missing or invalid. Carries every bad field at once, as {@code
 * details.fields} of the {@link ErrorCode#VALIDATION_FAILED} shape of the contract.
 */
public final class ValidationException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  private final transient Map<String, String> fieldErrors;

  /**
   * Creates the error for several fields.
   *
   * @param fieldErrors field name to what is wrong with it, in the order found; not empty
   */
  public ValidationException(Map<String, String> fieldErrors) {
    super(ErrorCode.VALIDATION_FAILED, describe(fieldErrors), Map.of("fields", copy(fieldErrors)));
    this.fieldErrors = copy(fieldErrors);
  }

  /**
   * Creates the error for one field.
   *
   * @param field the field name
   * @param problem what is wrong with it and what was expected
   * @return the error
   */
  public static ValidationException of(String field, String problem) {
    return new ValidationException(Map.of(field, problem));
  }

  /**
   * The bad fields.
   *
   * @return field name to problem, in the order found
   */
  public Map<String, String> fieldErrors() {
    return fieldErrors;
  }

  private static Map<String, String> copy(Map<String, String> fieldErrors) {
    if (fieldErrors.isEmpty()) {
      throw new IllegalArgumentException("a validation error names at least one field");
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(fieldErrors));
  }

  private static String describe(Map<String, String> fieldErrors) {
    StringBuilder message = new StringBuilder("Invalid input: ");
    String separator = "";
    for (Map.Entry<String, String> error : fieldErrors.entrySet()) {
      message.append(separator).append(error.getKey()).append(' ').append(error.getValue());
      separator = "; ";
    }
    return message.toString();
  }
}
