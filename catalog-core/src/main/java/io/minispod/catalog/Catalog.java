package io.minispod.catalog;

import io.minispod.quota.QuotaManager;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service catalog of one node: the public {@linkplain #service() catalog} and its {@linkplain
 * #admin() administration}, over a PostgreSQL database migrated with {@link CatalogSchema} and
 * quota-core's schema. Each plan's capacity is the quota pool {@code plan:<plan id>} of the given
 * {@link QuotaManager}, which must use the same database.
 *
 * <pre>{@code
 * try (QuotaManager quota = QuotaManager.builder(dataSource).build();
 *     Catalog catalog = Catalog.builder(dataSource, quota).build()) {
 *   CatalogSeed.apply(catalog.admin());
 *   ServiceDetails n8n = catalog.service().getServiceDetails("n8n");
 * }
 * }</pre>
 *
 * <p>Reads are cached in bounded caches. Every admin write drops this node's caches when it
 * commits; the catalog tables' triggers NOTIFY the other nodes, whose listener drops theirs (within
 * milliseconds, and always within a second while the database is reachable). Quota figures are
 * dropped by whoever changes a plan's usage, right after committing (see {@code quotaChanged}), so
 * the node that made a change never serves figures from before it.
 *
 * <p>Many nodes may share one database; each builds its own {@code Catalog}. Close it to stop its
 * listener; the data source and quota manager stay the caller's.
 */
public final class Catalog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Catalog.class);

  private final String nodeId = UUID.randomUUID().toString();
  private final DSLContext dsl;
  private final CatalogCaches caches;
  private final CachingCatalogService service;
  private final DefaultCatalogAdmin admin;
  private final ChangeListener listener;
  private final QuotaManager quotaManager;
  private final CatalogStore store;

  Catalog(
      DataSource dataSource,
      QuotaManager quotaManager,
      java.time.Clock clock,
      CatalogCaches caches,
      boolean listenForChanges) {
    this.dsl =
        DSL.using(
            dataSource,
            SQLDialect.POSTGRES,
            new org.jooq.conf.Settings().withExecuteLogging(false));
    this.caches = caches;
    this.quotaManager = quotaManager;
    this.store = new CatalogStore();
    this.service = new CachingCatalogService(dsl, store, caches, quotaManager);
    this.admin = new DefaultCatalogAdmin(dsl, store, caches, quotaManager, clock);
    this.listener = listenForChanges ? new ChangeListener(dataSource, nodeId, caches) : null;
  }

  /**
   * Starts building a catalog.
   *
   * @param dataSource the database, migrated with {@link CatalogSchema} and quota-core's schema
   * @param quotaManager the quota manager over the same database
   * @return a builder with ready defaults
   */
  public static CatalogBuilder builder(DataSource dataSource, QuotaManager quotaManager) {
    return new CatalogBuilder(dataSource, quotaManager);
  }

  /**
   * The public catalog.
   *
   * @return the read side, cached
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

  /**
   * Drops every cached entry of this node, so that the next reads go to the database. Never needed
   * for correctness; useful after changing the database behind the catalog's back while the
   * listener was off.
   */
  public void invalidateCaches() {
    caches.invalidateAll();
  }

  /**
   * Tells the catalog that the usage of some plans changed: call it right after the transaction
   * that allocated, released or swapped their quota committed. It drops this node's cached figures
   * of those plans at once, so the next read here is fresh, and NOTIFYs the other nodes to do the
   * same. A failure to notify is logged, not thrown: the change is committed, and other nodes'
   * figures then expire with the quota cache expiry.
   *
   * <p>Package-private: the subscription workflows of this module call it.
   *
   * @param planIds the plans whose pools changed
   */
  void quotaChanged(Collection<UUID> planIds) {
    Objects.requireNonNull(planIds, "planIds");
    if (planIds.isEmpty()) {
      return;
    }
    caches.invalidateQuota(planIds);
    try {
      for (String payload : ChangeSignal.quotaPayloads(nodeId, planIds)) {
        dsl.select(
                DSL.function(
                    DSL.name("pg_notify"),
                    SQLDataType.OTHER,
                    DSL.val(ChangeSignal.CHANNEL),
                    DSL.val(payload)))
            .execute();
      }
    } catch (RuntimeException e) {
      log.warn("Could not tell other nodes that the quota of plans {} changed", planIds, e);
    }
  }

  /** Whether the change listener is in place (always {@code false} when it is turned off). */
  boolean isListening() {
    return listener != null && listener.isListening();
  }

  /** Stops the change listener. The data source and quota manager are left open. */
  @Override
  public void close() {
    if (listener != null) {
      listener.close();
    }
  }

  /** The quota manager the plans' pools live in (for the subscription side of this package). */
  QuotaManager quotaManager() {
    return quotaManager;
  }

  /** The catalog's jOOQ context. */
  DSLContext dsl() {
    return dsl;
  }

  /** The catalog's store. */
  CatalogStore store() {
    return store;
  }

  /**
   * An active service by slug, from the cache {@link CatalogService#getServiceDetails} reads: what
   * a node serves to browsers is what it subscribes to.
   */
  Optional<ServiceStructure> activeService(String slug) {
    return caches.service(slug, s -> store.activeServices(dsl, List.of(s)).stream().findFirst());
  }

  /** Any service by id, archived or not, with all its plans, through the catalog's caches. */
  ServiceStructure serviceById(UUID serviceId) {
    return caches
        .serviceById(serviceId, id -> store.service(dsl, id))
        .orElseThrow(() -> CatalogNotFoundException.service(serviceId));
  }
}
