package io.minispod.billing;

import io.minispod.FieldErrors;
import io.minispod.ValidationException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Currency;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How many decimals each currency's minor unit stands for: ISO 4217's figure as the JDK knows it
 * (USD 2, JPY 0, KWD 3), unless configured otherwise. IDR, for example, is 2 in ISO 4217 but is
 * commonly billed without decimals: {@code CurrencyScales.iso4217().withScale("IDR", 0)} makes
 * {@code Money.of(250_000, "IDR")} mean IDR 250,000.
 *
 * <p>Immutable and thread-safe; {@link #withScale} returns a new instance. Proration rounds to a
 * whole minor unit, that is to the configured scale, so the scale decides what an amount means, not
 * how it is computed.
 */
public final class CurrencyScales {

  /** The most decimals a scale may have: 10^18 still fits a {@code long}. */
  static final int MAX_SCALE = 18;

  private static final CurrencyScales ISO_4217 = new CurrencyScales(Map.of());

  private final Map<String, Integer> overrides;

  private CurrencyScales(Map<String, Integer> overrides) {
    this.overrides = Collections.unmodifiableMap(new TreeMap<>(overrides));
  }

  /**
   * The scales of ISO 4217, as the JDK knows them, with no override.
   *
   * @return the shared instance
   */
  public static CurrencyScales iso4217() {
    return ISO_4217;
  }

  /**
   * These scales with one currency's scale set, replacing its ISO figure or an earlier override.
   *
   * @param currencyCode an ISO 4217 code, such as {@code IDR}
   * @param scale the decimals of its minor unit, from 0 to 18
   * @return the new scales
   * @throws ValidationException if the code is unknown or the scale out of range
   */
  public CurrencyScales withScale(String currencyCode, int scale) {
    return withScale(BillingKeys.currency("currency", currencyCode), scale);
  }

  /**
   * These scales with one currency's scale set, replacing its ISO figure or an earlier override.
   *
   * @param currency the currency
   * @param scale the decimals of its minor unit, from 0 to 18
   * @return the new scales
   * @throws ValidationException if the scale is out of range
   */
  public CurrencyScales withScale(Currency currency, int scale) {
    Objects.requireNonNull(currency, "currency");
    if (scale < 0 || scale > MAX_SCALE) {
      throw ValidationException.of(
          "scale",
          "must be from 0 to "
              + MAX_SCALE
              + " for "
              + currency.getCurrencyCode()
              + ", was "
              + scale);
    }
    Map<String, Integer> copy = new TreeMap<>(overrides);
    copy.put(currency.getCurrencyCode(), scale);
    return new CurrencyScales(copy);
  }

  /**
   * The configured overrides.
   *
   * @return currency code to scale, sorted by code
   */
  public Map<String, Integer> overrides() {
    return overrides;
  }

  /**
   * The decimals of a currency's minor unit.
   *
   * @param currency the currency
   * @return its configured scale, else its ISO 4217 scale
   * @throws ValidationException if the currency has no minor unit in ISO 4217 (such as XAU, gold)
   *     and none was configured
   */
  public int scaleOf(Currency currency) {
    Objects.requireNonNull(currency, "currency");
    Integer configured = overrides.get(currency.getCurrencyCode());
    if (configured != null) {
      return configured;
    }
    int iso = currency.getDefaultFractionDigits();
    if (iso < 0) {
      throw ValidationException.of(
          "currency",
          "must be a currency with a minor unit, or have a scale configured; "
              + currency.getCurrencyCode()
              + " has none in ISO 4217");
    }
    return iso;
  }

  /**
   * An amount in major units, such as {@code 9.99} for 999 USD minor units.
   *
   * @param money the amount
   * @return the amount with the currency's scale
   * @throws ValidationException if the currency has no scale
   */
  public BigDecimal toMajor(Money money) {
    Objects.requireNonNull(money, "money");
    return BigDecimal.valueOf(money.minorUnits(), scaleOf(money.currency()));
  }

  /**
   * The amount of a figure in major units, such as {@code 9.99} USD to 999 minor units. Nothing is
   * rounded: a figure with more decimals than the currency has is refused.
   *
   * @param amount the figure in major units
   * @param currency its currency
   * @return the amount in minor units
   * @throws ValidationException if the figure has too many decimals or does not fit a {@code long}
   */
  public Money fromMajor(BigDecimal amount, Currency currency) {
    Objects.requireNonNull(amount, "amount");
    int scale = scaleOf(currency);
    FieldErrors errors = new FieldErrors();
    BigDecimal stripped = amount.stripTrailingZeros();
    errors.require(
        stripped.scale() <= scale,
        "amount",
        "must have at most %d decimals in %s, was %s"
            .formatted(scale, currency.getCurrencyCode(), amount.toPlainString()));
    errors.throwIfAny();
    BigDecimal minor = amount.movePointRight(scale);
    try {
      return new Money(minor.longValueExact(), currency);
    } catch (ArithmeticException e) {
      throw ValidationException.of(
          "amount", "must fit in a long of minor units, was " + amount.toPlainString());
    }
  }

  /**
   * An amount as text, such as {@code USD 9.99} or {@code IDR 250000}.
   *
   * @param money the amount
   * @return the code and the amount in major units
   * @throws ValidationException if the currency has no scale
   */
  public String format(Money money) {
    return money.currency().getCurrencyCode() + " " + toMajor(money).toPlainString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CurrencyScales scales && overrides.equals(scales.overrides);
  }

  @Override
  public int hashCode() {
    return overrides.hashCode();
  }

  @Override
  public String toString() {
    return "CurrencyScales[ISO 4217, overrides=" + overrides + "]";
  }
}
