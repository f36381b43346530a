package io.minispod.catalog;

import io.minispod.billing.CurrencyScales;
import io.minispod.catalog.internal.CatalogNode;
import io.minispod.quota.QuotaManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Configures a {@link Catalog}. Every setting has a ready default; {@link #build()} may be called
 * once the data source and quota manager are given.
 */
public final class CatalogBuilder {

  private final DataSource dataSource;
  private final QuotaManager quotaManager;
  private Clock clock = Clock.systemUTC();
  private long cacheMaximumSize = 10_000;
  private Duration catalogCacheExpiry = Duration.ofMinutes(10);
  private Duration quotaCacheExpiry = Duration.ofSeconds(10);
  private boolean listenForChanges = true;
  private Duration listenerCheckInterval = Duration.ofSeconds(5);
  private CurrencyScales currencyScales = CurrencyScales.iso4217();

  CatalogBuilder(DataSource dataSource, QuotaManager quotaManager) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.quotaManager = Objects.requireNonNull(quotaManager, "quotaManager");
  }

  /**
   * The clock that dates catalog changes and ages cache entries. Default: the system clock in UTC.
   *
   * @param clock the clock
   * @return this builder
   */
  public CatalogBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * The most entries each cache holds (services, category pages, plans' quota figures); search
   * results hold at most ten times as many service references in all. Default: 10,000.
   *
   * @param maximumSize from 1 to 10,000,000
   * @return this builder
   * @throws IllegalArgumentException if out of range
   */
  public CatalogBuilder cacheMaximumSize(long maximumSize) {
    if (maximumSize < 1 || maximumSize > 10_000_000) {
      throw new IllegalArgumentException(
          "cache maximum size must be from 1 to 10000000, was " + maximumSize);
    }
    this.cacheMaximumSize = maximumSize;
    return this;
  }

  /**
   * How long a cached part of the catalog structure may live at most. Changes drop entries at once
   * (and on other nodes through NOTIFY); this bound only matters if a notification is lost, as when
   * the database is changed with the listener disconnected. Default: 10 minutes.
   *
   * @param expiry a positive duration
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public CatalogBuilder catalogCacheExpiry(Duration expiry) {
    this.catalogCacheExpiry = positive(expiry, "catalog cache expiry");
    return this;
  }

  /**
   * How long a plan's cached quota figures may live at most. Usage changes made through the
   * catalog's subscription code drop them at once; this bound covers changes it is not told of,
   * such as quota-core reclaiming an expired hold. Default: 10 seconds.
   *
   * @param expiry a positive duration
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public CatalogBuilder quotaCacheExpiry(Duration expiry) {
    this.quotaCacheExpiry = positive(expiry, "quota cache expiry");
    return this;
  }

  /**
   * Whether to hold a connection that listens for other nodes' changes (PostgreSQL LISTEN). Turn it
   * off only when this is the only node. Default: on.
   *
   * @param listen whether to listen
   * @return this builder
   */
  public CatalogBuilder listenForChanges(boolean listen) {
    this.listenForChanges = listen;
    return this;
  }

  /**
   * How often the change listener makes sure its connection still answers. A connection can die
   * without either side being told (a firewall or NAT that forgets it, a server that fails over):
   * the listener would then wait for notifications that never come. Every interval it runs {@code
   * SELECT 1} on that connection, which must answer within the same interval; if it does not, the
   * listener takes a new connection and, since it may have missed changes, drops every cached
   * entry. Default: 5 seconds.
   *
   * @param interval a positive duration
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public CatalogBuilder listenerCheckInterval(Duration interval) {
    this.listenerCheckInterval = positive(interval, "listener check interval");
    return this;
  }

  /**
   * The currency scales of the billing service that charges for this catalog's plans (pass {@link
   * io.minispod.billing.BillingService#currencyScales()}), so that both read a price's minor units
   * alike. Plans are refused in a currency these scales do not know (as billing would refuse to
   * charge them), and {@link CatalogSeed} converts its prices, written in major units, with them.
   * Default: {@link CurrencyScales#iso4217()}, billing's default too.
   *
   * @param scales the scales
   * @return this builder
   */
  public CatalogBuilder currencyScales(CurrencyScales scales) {
    this.currencyScales = Objects.requireNonNull(scales, "scales");
    return this;
  }

  /**
   * Builds the catalog and, unless turned off, starts its change listener.
   *
   * @return the catalog; close it when done
   */
  public Catalog build() {
    return new Catalog(
        dataSource,
        quotaManager,
        new CatalogNode(
            dataSource,
            quotaManager,
            new CatalogNode.Settings(
                clock,
                cacheMaximumSize,
                catalogCacheExpiry,
                quotaCacheExpiry,
                listenForChanges,
                listenerCheckInterval,
                currencyScales)));
  }

  private static Duration positive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + duration);
    }
    return duration;
  }
}
