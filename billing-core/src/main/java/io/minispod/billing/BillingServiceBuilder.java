package io.minispod.billing;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * Configures a {@link BillingService}. Every setting has a ready default except the payment
 * gateway, which must be chosen on purpose: a host's real gateway, or {@link MockPaymentGateway}
 * for demos and tests (a silent mock default would approve real customers' charges for nothing).
 */
public final class BillingServiceBuilder {

  private final DataSource dataSource;
  private Clock clock = Clock.systemUTC();
  private PaymentGateway gateway;
  private ZoneId zone = ZoneOffset.UTC;
  private ProrationGranularity granularity = ProrationGranularity.DAY;
  private CurrencyScales scales = CurrencyScales.iso4217();

  BillingServiceBuilder(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * The clock that dates ledger lines and gives "now" to upgrades without an explicit instant.
   * Default: the system clock in UTC.
   *
   * @param clock the clock
   * @return this builder
   */
  public BillingServiceBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * The payment gateway charges and refunds go to. Required.
   *
   * @param gateway the host's gateway, or a {@link MockPaymentGateway}
   * @return this builder
   */
  public BillingServiceBuilder paymentGateway(PaymentGateway gateway) {
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    return this;
  }

  /**
   * The billing time zone: billing cycles begin their periods at the start of its days and
   * day-granular proration counts its days. Default: UTC.
   *
   * @param zone the zone, such as {@code Asia/Jakarta}
   * @return this builder
   */
  public BillingServiceBuilder zone(ZoneId zone) {
    this.zone = Objects.requireNonNull(zone, "zone");
    return this;
  }

  /**
   * The unit proration counts in. Default: {@link ProrationGranularity#DAY} (the day of a change is
   * billed at the new price).
   *
   * @param granularity days or seconds
   * @return this builder
   */
  public BillingServiceBuilder prorationGranularity(ProrationGranularity granularity) {
    this.granularity = Objects.requireNonNull(granularity, "granularity");
    return this;
  }

  /**
   * All currency scales at once, replacing earlier {@link #currencyScale} calls. Default: {@link
   * CurrencyScales#iso4217()}.
   *
   * @param scales the scales
   * @return this builder
   */
  public BillingServiceBuilder currencyScales(CurrencyScales scales) {
    this.scales = Objects.requireNonNull(scales, "scales");
    return this;
  }

  /**
   * Overrides one currency's scale, such as {@code currencyScale("IDR", 0)}.
   *
   * @param currencyCode an ISO 4217 code
   * @param scale the decimals of its minor unit, from 0 to 18
   * @return this builder
   * @throws io.minispod.ValidationException if the code is unknown or the scale out of range
   */
  public BillingServiceBuilder currencyScale(String currencyCode, int scale) {
    this.scales = scales.withScale(currencyCode, scale);
    return this;
  }

  /**
   * Builds the service.
   *
   * @return the service
   * @throws IllegalStateException if no payment gateway was given
   */
  public BillingService build() {
    if (gateway == null) {
      throw new IllegalStateException(
          "no payment gateway set: pass the host's PaymentGateway, or new MockPaymentGateway()"
              + " for demos and tests");
    }
    ProrationCalculator calculator =
        granularity == ProrationGranularity.DAY
            ? ProrationCalculator.byDay(zone)
            : ProrationCalculator.bySecond();
    return new DefaultBillingService(
        DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false)),
        new BillingStore(),
        gateway,
        clock,
        zone,
        scales,
        calculator);
  }
}
