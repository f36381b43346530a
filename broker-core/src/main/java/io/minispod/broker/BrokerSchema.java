package io.minispod.broker;

import io.minispod.ModuleSchema;

/**
 * The {@code minispod_broker} schema and its Flyway scripts. Hosts migrate it with {@code new
 * BrokerSchema().migrate(dataSource)} (or {@link ModuleSchema#migrateAll}) before building a {@link
 * ServiceBroker}.
 */
public final class BrokerSchema implements ModuleSchema {

  /** Creates the handle; it is also registered with {@link java.util.ServiceLoader}. */
  public BrokerSchema() {}

  @Override
  public String schema() {
    return "minispod_broker";
  }

  @Override
  public String scriptLocation() {
    return "classpath:db/minispod/broker";
  }
}
