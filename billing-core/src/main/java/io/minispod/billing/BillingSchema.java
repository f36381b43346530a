package io.minispod.billing;

import io.minispod.ModuleSchema;

/**
 * The {@code minispod_billing} schema and its Flyway scripts. Hosts migrate it with {@code new
 * BillingSchema().migrate(dataSource)} (or {@link ModuleSchema#migrateAll}) before building a
 * {@link BillingService}.
 */
public final class BillingSchema implements ModuleSchema {

  /** Creates the handle; it is also registered with {@link java.util.ServiceLoader}. */
  public BillingSchema() {}

  @Override
  public String schema() {
    return "minispod_billing";
  }

  @Override
  public String scriptLocation() {
    return "classpath:db/minispod/billing";
  }
}
