package io.minispod.broker;

import io.minispod.catalog.Catalog;
import io.minispod.provisioner.BindingCredentials;
import io.minispod.subscription.Subscriptions;
import java.time.Clock;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** Configures a {@link ServiceBroker}; every setting has a ready default. */
public final class ServiceBrokerBuilder {

  private final Catalog catalog;
  private final Subscriptions subscriptions;
  private Clock clock = Clock.systemUTC();
  private BindingCredentials bindingCredentials;

  ServiceBrokerBuilder(Catalog catalog, Subscriptions subscriptions) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
  }

  /**
   * The clock the broker's records are stamped with. Default: the system clock in UTC.
   *
   * @param clock the clock
   * @return this builder
   */
  public ServiceBrokerBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Where bindings' credentials are created and revoked. Default: none, and the broker offers no
   * bindings ({@code bindable: false}).
   *
   * @param credentials the platform's binding credentials
   * @return this builder
   */
  public ServiceBrokerBuilder bindingCredentials(BindingCredentials credentials) {
    this.bindingCredentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /**
   * Builds the broker over the catalog's database, which must be migrated with {@link
   * BrokerSchema}.
   *
   * @return the broker
   */
  public ServiceBroker build() {
    // One jOOQ context for both stores, configured as the other modules' are.
    DSLContext dsl =
        DSL.using(
            catalog.dataSource(), SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
    return new DefaultServiceBroker(
        catalog.service(),
        catalog.port(),
        subscriptions,
        new InstanceStore(dsl, clock),
        new BindingStore(dsl, clock),
        bindingCredentials);
  }
}
