package io.minispod.catalog.internal;

import io.minispod.billing.CurrencyScales;
import io.minispod.catalog.CatalogAdmin;
import io.minispod.catalog.CatalogNotFoundException;
import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.CatalogService;
import io.minispod.catalog.ServiceStructure;
import io.minispod.quota.QuotaManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The parts of one node's catalog, wired together: store, caches, the public service, the admin
 * side, the change listener and the port the subscription side reads through. {@link
 * io.minispod.catalog.Catalog} is its public face.
 */
public final class CatalogNode implements CatalogPort, AutoCloseable {

  /**
   * How long a quota change waits for others to be announced with it: a burst of subscriptions then
   * costs one notification per window, and other nodes still see it well within a second.
   */
  private static final Duration QUOTA_SIGNAL_WINDOW = Duration.ofMillis(50);

  private final String nodeId = UUID.randomUUID().toString();
  private final DSLContext dsl;
  private final CatalogCaches caches;
  private final CatalogStore store = new CatalogStore();
  private final CachingCatalogService service;
  private final DefaultCatalogAdmin admin;
  private final ChangeListener listener;
  private final QuotaSignals quotaSignals;

  /**
   * How one node's catalog is set up; {@link io.minispod.catalog.CatalogBuilder} documents each.
   *
   * @param clock the clock for timestamps and cache expiry
   * @param cacheMaximumSize the bound of each cache
   * @param catalogExpiry how long catalog structure is cached
   * @param quotaExpiry how long quota figures are cached
   * @param listenForChanges whether to LISTEN for other nodes' changes
   * @param listenerCheckInterval how often the listener checks that its connection answers
   * @param currencyScales the scales prices are checked against, billing's
   */
  public record Settings(
      Clock clock,
      long cacheMaximumSize,
      Duration catalogExpiry,
      Duration quotaExpiry,
      boolean listenForChanges,
      Duration listenerCheckInterval,
      CurrencyScales currencyScales) {

    /** Checks that nothing is missing. */
    public Settings {
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(catalogExpiry, "catalogExpiry");
      Objects.requireNonNull(quotaExpiry, "quotaExpiry");
      Objects.requireNonNull(listenerCheckInterval, "listenerCheckInterval");
      Objects.requireNonNull(currencyScales, "currencyScales");
    }
  }

  /**
   * Wires a node's catalog.
   *
   * @param dataSource the migrated database
   * @param quota the quota manager the plans' pools live in
   * @param settings clock, caches, listener and currency scales
   */
  public CatalogNode(DataSource dataSource, QuotaManager quota, Settings settings) {
    this.dsl = dsl(dataSource);
    this.caches =
        new CatalogCaches(
            settings.clock(),
            settings.cacheMaximumSize(),
            settings.catalogExpiry(),
            settings.quotaExpiry());
    this.service = new CachingCatalogService(dsl, store, caches, quota);
    this.admin =
        new DefaultCatalogAdmin(
            dsl, store, caches, quota, settings.clock(), settings.currencyScales());
    this.listener =
        settings.listenForChanges()
            ? new ChangeListener(dataSource, nodeId, caches, settings.listenerCheckInterval())
            : null;
    this.quotaSignals = new QuotaSignals(dsl, nodeId, QUOTA_SIGNAL_WINDOW);
  }

  /**
   * The jOOQ context every part of catalog-core uses over a data source: PostgreSQL, no execute
   * logging (statements are logged by the ids they concern, not by their text).
   *
   * @param dataSource the database
   * @return a context over it
   */
  public static DSLContext dsl(DataSource dataSource) {
    return DSL.using(
        dataSource, SQLDialect.POSTGRES, new org.jooq.conf.Settings().withExecuteLogging(false));
  }

  /**
   * The public catalog.
   *
   * @return the read side
   */
  public CatalogService service() {
    return service;
  }

  /**
   * Catalog administration.
   *
   * @return the write side
   */
  public CatalogAdmin admin() {
    return admin;
  }

  /** Drops every cached entry of this node. */
  public void invalidateCaches() {
    caches.invalidateAll();
  }

  /**
   * Whether the change listener is in place.
   *
   * @return {@code false} also when it is turned off
   */
  public boolean isListening() {
    return listener != null && listener.isListening();
  }

  @Override
  public Optional<ServiceStructure> activeService(String slug) {
    return caches.service(slug, s -> store.activeServices(dsl, List.of(s)).stream().findFirst());
  }

  @Override
  public ServiceStructure service(UUID serviceId) {
    return caches
        .serviceById(serviceId, id -> store.service(dsl, id))
        .orElseThrow(() -> CatalogNotFoundException.service(serviceId));
  }

  @Override
  public void quotaChanged(Collection<UUID> planIds) {
    Objects.requireNonNull(planIds, "planIds");
    if (planIds.isEmpty()) {
      return;
    }
    caches.invalidateQuota(planIds);
    quotaSignals.changed(planIds);
  }

  /** Sends the quota changes still waiting and stops the change listener. */
  @Override
  public void close() {
    quotaSignals.close();
    if (listener != null) {
      listener.close();
    }
  }
}
