package io.minispod.catalog;

import io.minispod.catalog.internal.CatalogNode;
import io.minispod.quota.QuotaManager;
import javax.sql.DataSource;

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
 * dropped by whoever changes a plan's usage, right after committing (see {@link
 * CatalogPort#quotaChanged}), so the node that made a change never serves figures from before it.
 *
 * <p>Many nodes may share one database; each builds its own {@code Catalog}. Close it to stop its
 * listener; the data source and quota manager stay the caller's.
 */
public final class Catalog implements AutoCloseable {

  private final DataSource dataSource;
  private final QuotaManager quotaManager;
  private final CatalogNode node;

  Catalog(DataSource dataSource, QuotaManager quotaManager, CatalogNode node) {
    this.dataSource = dataSource;
    this.quotaManager = quotaManager;
    this.node = node;
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
    return node.service();
  }

  /**
   * Catalog administration.
   *
   * @return the write side
   */
  public CatalogAdmin admin() {
    return node.admin();
  }

  /**
   * What the subscription side (and any other code that sells the catalog) reads of it.
   *
   * @return the port, over this node's caches
   */
  public CatalogPort port() {
    return node;
  }

  /**
   * The database this catalog was built over; the subscription tables live in the same schema.
   *
   * @return the data source, still the caller's
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * The quota manager the plans' pools live in.
   *
   * @return the quota manager this catalog was built with, still the caller's
   */
  public QuotaManager quotaManager() {
    return quotaManager;
  }

  /**
   * Drops every cached entry of this node, so that the next reads go to the database. Never needed
   * for correctness; useful after changing the database behind the catalog's back while the
   * listener was off.
   */
  public void invalidateCaches() {
    node.invalidateCaches();
  }

  /** Whether the change listener is in place (always {@code false} when it is turned off). */
  boolean isListening() {
    return node.isListening();
  }

  /** Stops the change listener. The data source and quota manager are left open. */
  @Override
  public void close() {
    node.close();
  }
}
