package io.minispod.catalog;

/**
 * A plan's price: an amount in the currency's minor units (never a floating-point number), an ISO
 * 4217 currency code and the period it is charged for.
 *
 * <p>What a minor unit is belongs to the host's billing configuration (billing-core's currency
 * scales): with IDR billed without decimals, as the seed catalog assumes, {@code 250_000} is Rp
 * 250.000. The catalog only compares amounts of one currency and never converts. It checks the
 * values when a plan is created or changed (amount at least 0, an ISO 4217 currency, a period);
 * this record itself accepts anything so that every bad field of a request can be reported at once.
 *
 * @param amount the amount in minor units, at least 0
 * @param currency the ISO 4217 code, such as {@code IDR}
 * @param period how often the amount is charged
 */
public record Price(long amount, String currency, BillingPeriod period) {

  /**
   * A monthly price.
   *
   * @param amount the amount in minor units
   * @param currency the ISO 4217 code
   * @return the price
   */
  public static Price monthly(long amount, String currency) {
    return new Price(amount, currency, BillingPeriod.MONTHLY);
  }

  /**
   * The amount per month, rounded up, for comparing prices of different periods.
   *
   * @return the monthly equivalent in minor units
   */
  public long monthlyEquivalent() {
    return period == null ? amount : period.monthlyEquivalent(amount);
  }
}
