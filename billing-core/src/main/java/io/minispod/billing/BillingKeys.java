package io.minispod.billing;

import io.minispod.FieldErrors;
import java.util.Currency;

/** The rules every account id, reference id, tag and idempotency key follows. */
final class BillingKeys {

  /** The longest id the schema stores. */
  static final int MAX_ID_LENGTH = 200;

  /**
   * The longest idempotency key a caller may give: the schema stores 200 characters and an upgrade
   * derives its credit line's key by appending {@link #CREDIT_KEY_SUFFIX}.
   */
  static final int MAX_IDEMPOTENCY_KEY_LENGTH = 190;

  /** Appended to an upgrade's idempotency key to key its proration credit line. */
  static final String CREDIT_KEY_SUFFIX = "/credit";

  /** The longest tag key the schema stores. */
  static final int MAX_TAG_KEY_LENGTH = 100;

  /** The longest description or reason the schema stores. */
  static final int MAX_TEXT_LENGTH = 500;

  private BillingKeys() {}

  /**
   * Records a problem unless {@code value} is non-blank, at most {@code maxLength} characters long
   * and free of control characters.
   */
  static void check(FieldErrors errors, String field, String value, int maxLength) {
    if (errors.require(value != null && !value.isBlank(), field, "must not be blank")) {
      errors.require(
          value.length() <= maxLength,
          field,
          "must be at most " + maxLength + " characters, was " + value.length());
      errors.require(
          value.chars().noneMatch(Character::isISOControl),
          field,
          "must not contain control characters");
    }
  }

  /** Records a problem unless {@code value} is {@code null} or at most {@code maxLength} long. */
  static void checkOptionalText(FieldErrors errors, String field, String value, int maxLength) {
    if (value != null) {
      errors.require(
          value.length() <= maxLength,
          field,
          "must be at most " + maxLength + " characters, was " + value.length());
    }
  }

  /**
   * The currency of an ISO 4217 code.
   *
   * @throws io.minispod.ValidationException naming {@code field} if the code is not one
   */
  static Currency currency(String field, String code) {
    FieldErrors errors = new FieldErrors();
    Currency currency = null;
    if (errors.require(code != null && !code.isBlank(), field, "must not be blank")) {
      try {
        currency = Currency.getInstance(code);
      } catch (IllegalArgumentException e) {
        errors.require(
            false,
            field,
            "must be an ISO 4217 currency code such as IDR or USD, was '" + code + "'");
      }
    }
    errors.throwIfAny();
    return currency;
  }
}
