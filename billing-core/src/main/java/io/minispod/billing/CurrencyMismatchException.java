package io.minispod.billing;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Currency;
import java.util.Map;

/**
 * Two amounts that must share a currency do not: money of different currencies is never added,
 * compared or prorated against each other. Reported as {@link ErrorCode#VALIDATION_FAILED}, with
 * {@code details.fields} naming the offending field as a {@link io.minispod.ValidationException}
 * does, plus the {@code expected} and {@code actual} currency codes.
 */
public final class CurrencyMismatchException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  /** The field whose currency was wrong. */
  private final String field;

  /** The currency the field had to be in. */
  private final Currency expected;

  /** The currency the field was in. */
  private final Currency actual;

  CurrencyMismatchException(String field, Currency expected, Currency actual) {
    super(
        ErrorCode.VALIDATION_FAILED,
        "Invalid input: %s must be in %s, was in %s"
            .formatted(field, expected.getCurrencyCode(), actual.getCurrencyCode()),
        Map.of(
            "fields",
            Map.of(
                field,
                "must be in "
                    + expected.getCurrencyCode()
                    + ", was in "
                    + actual.getCurrencyCode()),
            "expected",
            expected.getCurrencyCode(),
            "actual",
            actual.getCurrencyCode()));
    this.field = field;
    this.expected = expected;
    this.actual = actual;
  }

  /**
   * The field whose currency was wrong.
   *
   * @return its name, such as {@code newPrice}
   */
  public String field() {
    return field;
  }

  /**
   * The currency the field had to be in.
   *
   * @return the expected currency
   */
  public Currency expected() {
    return expected;
  }

  /**
   * The currency the field was in.
   *
   * @return the actual currency
   */
  public Currency actual() {
    return actual;
  }
}
