package io.minispod.quota;

import io.minispod.ModuleSchema;

/**
 * The {@code minispod_quota} schema and its Flyway scripts. Hosts migrate it with {@code new
 * QuotaSchema().migrate(dataSource)} (or {@link ModuleSchema#migrateAll}) before building a {@link
 * QuotaManager}.
 */
public final class QuotaSchema implements ModuleSchema {

  /** Creates the handle; it is also registered with {@link java.util.ServiceLoader}. */
  public QuotaSchema() {}

  @Override
  public String schema() {
    return "minispod_quota";
  }

  @Override
  public String scriptLocation() {
    return "classpath:db/minispod/quota";
  }
}
