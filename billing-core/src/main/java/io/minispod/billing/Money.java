package io.minispod.billing;

import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money: a whole number of the currency's minor units (cents for USD, fils for KWD,
 * rupiah for IDR billed without decimals) and an ISO 4217 currency. Never a {@code double}.
 *
 * <p>How many decimals a minor unit stands for is the {@link CurrencyScales}' business, not this
 * record's: {@code Money.of(999, "USD")} is USD 9.99 with the ISO scale of 2, and {@code
 * Money.of(100_000, "IDR")} is IDR 100,000 when IDR is configured with 0 decimals. Arithmetic
 * refuses to mix currencies ({@link CurrencyMismatchException}) and to overflow ({@link
 * ArithmeticException}). Amounts may be negative (a credit, a refund); prices may not, which {@link
 * Price} checks.
 *
 * @param minorUnits the amount in minor units, signed
 * @param currency the currency
 */
public record Money(long minorUnits, Currency currency) implements Comparable<Money> {

  /**
   * Checks the currency.
   *
   * @throws NullPointerException if the currency is missing
   */
  public Money {
    Objects.requireNonNull(currency, "currency");
  }

  /**
   * An amount in a currency named by its ISO 4217 code.
   *
   * @param minorUnits the amount in minor units
   * @param currencyCode such as {@code IDR} or {@code USD}
   * @return the amount
   * @throws io.minispod.ValidationException naming {@code currency} if the code is unknown
   */
  public static Money of(long minorUnits, String currencyCode) {
    return new Money(minorUnits, BillingKeys.currency("currency", currencyCode));
  }

  /**
   * An amount in a currency.
   *
   * @param minorUnits the amount in minor units
   * @param currency the currency
   * @return the amount
   */
  public static Money of(long minorUnits, Currency currency) {
    return new Money(minorUnits, currency);
  }

  /**
   * Nothing, in a currency.
   *
   * @param currency the currency
   * @return zero minor units of it
   */
  public static Money zero(Currency currency) {
    return new Money(0, currency);
  }

  /**
   * The sum of this amount and another.
   *
   * @param other an amount in the same currency
   * @return the sum
   * @throws CurrencyMismatchException if the currencies differ
   * @throws ArithmeticException if the sum overflows a {@code long}
   */
  public Money plus(Money other) {
    requireSameCurrency("amount", other);
    return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
  }

  /**
   * This amount less another.
   *
   * @param other an amount in the same currency
   * @return the difference
   * @throws CurrencyMismatchException if the currencies differ
   * @throws ArithmeticException if the difference overflows a {@code long}
   */
  public Money minus(Money other) {
    requireSameCurrency("amount", other);
    return new Money(Math.subtractExact(minorUnits, other.minorUnits), currency);
  }

  /**
   * The opposite amount.
   *
   * @return minus this amount
   * @throws ArithmeticException for {@link Long#MIN_VALUE} minor units
   */
  public Money negate() {
    return new Money(Math.negateExact(minorUnits), currency);
  }

  /**
   * The smaller of this amount and another.
   *
   * @param other an amount in the same currency
   * @return the smaller one (this one when equal)
   * @throws CurrencyMismatchException if the currencies differ
   */
  public Money min(Money other) {
    return compareTo(other) <= 0 ? this : other;
  }

  /**
   * Whether this is nothing.
   *
   * @return {@code true} for 0 minor units
   */
  public boolean isZero() {
    return minorUnits == 0;
  }

  /**
   * Whether this is more than nothing.
   *
   * @return {@code true} for a positive amount
   */
  public boolean isPositive() {
    return minorUnits > 0;
  }

  /**
   * Whether this is less than nothing.
   *
   * @return {@code true} for a negative amount
   */
  public boolean isNegative() {
    return minorUnits < 0;
  }

  /**
   * Compares two amounts of the same currency.
   *
   * @param other an amount in the same currency
   * @return negative, zero or positive as this amount is less than, equal to or more than the other
   * @throws CurrencyMismatchException if the currencies differ
   */
  @Override
  public int compareTo(Money other) {
    requireSameCurrency("amount", other);
    return Long.compare(minorUnits, other.minorUnits);
  }

  /**
   * Fails unless another amount is in this amount's currency.
   *
   * @param field the name of the other amount, for the error
   * @param other the other amount
   * @throws CurrencyMismatchException if the currencies differ
   */
  void requireSameCurrency(String field, Money other) {
    Objects.requireNonNull(other, field);
    if (!currency.equals(other.currency)) {
      throw new CurrencyMismatchException(field, currency, other.currency);
    }
  }

  /**
   * The amount and the currency code, such as {@code 999 USD} (minor units: scales are not known
   * here; {@link CurrencyScales#format} shows decimals).
   */
  @Override
  public String toString() {
    return minorUnits + " " + currency.getCurrencyCode();
  }
}
