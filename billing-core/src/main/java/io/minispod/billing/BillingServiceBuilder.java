package io.minispod.billing;

import java.time.Clock;
import java.time.Duration;
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
  private Duration settlementClaim = Duration.ofMinutes(5);
  private Duration settlementWait = Duration.ofMinutes(2);
  private SettlementObserver observer = SettlementObserver.NONE;

  BillingServiceBuilder(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * The clock that dates ledger lines, gives "now" to upgrades without an explicit instant and
   * times {@linkplain #settlementClaim settlement claims}. Default: the system clock in UTC.
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
   * How long, by the service {@linkplain #clock clock}, a caller's claim of a payment line for one
   * gateway call keeps other callers (twins with the same key, other nodes, {@link
   * BillingService#settlePending}) from calling the gateway for that line too. While it lasts they
   * wait for the caller's answer; once it has lapsed without one (the caller died or hangs) the
   * next of them takes the line over, and the late answer of the lapsed attempt is not recorded. It
   * must be well above the gateway's own timeout, or a slow but live call is taken over and the
   * gateway asked twice (harmless, as the gateway is idempotent by key, but wasted). Default: 5
   * minutes.
   *
   * @param claim the claim's length
   * @return this builder
   * @throws IllegalArgumentException if it is not positive
   */
  public BillingServiceBuilder settlementClaim(Duration claim) {
    this.settlementClaim = positive(claim, "settlement claim");
    return this;
  }

  /**
   * How long, in real time, a write waits for the answer of another caller's gateway call for the
   * same line (a concurrent twin with the same idempotency key, or a caller on another node) before
   * it gives up with {@link PaymentInProgressException}. It waits without holding a connection,
   * re-reading the line now and then, and takes the line over itself if the other caller's
   * {@linkplain #settlementClaim claim} lapses meanwhile. Default: 2 minutes, above the timeout of
   * common gateways' clients.
   *
   * @param wait the longest wait
   * @return this builder
   * @throws IllegalArgumentException if it is not positive
   */
  public BillingServiceBuilder settlementWait(Duration wait) {
    this.settlementWait = positive(wait, "settlement wait");
    return this;
  }

  /** Lets this package's tests see where settlements stand. */
  BillingServiceBuilder observer(SettlementObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
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
        calculator,
        new DefaultBillingService.Settlement(settlementClaim, settlementWait, observer));
  }

  private static Duration positive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + duration);
    }
    return duration;
  }
}
