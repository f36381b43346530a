package io.minispod.catalog;

import io.minispod.ModuleSchema;

/**
 * The {@code minispod_catalog} schema and its Flyway scripts. Hosts migrate it with {@code new
 * CatalogSchema().migrate(dataSource)} (or {@link ModuleSchema#migrateAll}), together with
 * quota-core's schema, before building a {@link Catalog}.
 */
public final class CatalogSchema implements ModuleSchema {

  /** Creates the handle; it is also registered with {@link java.util.ServiceLoader}. */
  public CatalogSchema() {}

  @Override
  public String schema() {
    return "minispod_catalog";
  }

  @Override
  public String scriptLocation() {
    return "classpath:db/minispod/catalog";
  }
}
