package io.minispod.broker;

import io.minispod.billing.BillingService;
import io.minispod.billing.MockPaymentGateway;
import io.minispod.billing.Price;
import io.minispod.catalog.Catalog;
import io.minispod.catalog.CatalogAdmin;
import io.minispod.catalog.CatalogSeed;
import io.minispod.catalog.CategoryDraft;
import io.minispod.catalog.PlanDraft;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.ServiceDraft;
import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.InMemoryBindingCredentials;
import io.minispod.provisioner.InMemoryProvisioner;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.Operation;
import io.minispod.subscription.Subscriptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Quota, catalog, billing, subscriptions and the broker on one database, for the broker's tests.
 */
final class BrokerPlatform implements AutoCloseable {

  private static final Duration LONG_ENOUGH = Duration.ofSeconds(30);

  final MockPaymentGateway gateway = new MockPaymentGateway();
  final InMemoryProvisioner provisioner = new InMemoryProvisioner("apps.test");
  final InMemoryBindingCredentials bindings = new InMemoryBindingCredentials();
  final QuotaManager quota;
  final Catalog catalog;
  final Subscriptions subscriptions;
  final ServiceBroker broker;

  BrokerPlatform(DataSource dataSource) {
    quota = QuotaManager.builder(dataSource).build();
    catalog = Catalog.builder(dataSource, quota).listenForChanges(false).build();
    BillingService billing = BillingService.builder(dataSource).paymentGateway(gateway).build();
    subscriptions =
        Subscriptions.builder(catalog, billing, provisioner)
            .retries(Duration.ofMillis(10), Duration.ofMillis(10), 1)
            .build();
    broker = ServiceBroker.builder(catalog, subscriptions).bindingCredentials(bindings).build();
  }

  /** A service with a unique slug and plans basic, pro and business of these capacities. */
  ServiceDefinition service(long basic, long pro, long business) {
    CatalogAdmin admin = catalog.admin();
    if (admin.listCategories().stream().noneMatch(c -> c.slug().equals("testing"))) {
      admin.createCategory(new CategoryDraft("testing", "Testing", "Services made by tests", 99));
    }
    String slug = "svc-" + UUID.randomUUID().toString().substring(0, 8);
    ServiceDefinition service =
        admin.createService(
            new ServiceDraft(
                slug,
                "Service " + slug,
                "testing",
                "A test service",
                List.of("test"),
                CatalogSeed.ghostTemplate()));
    admin.createPlan(service.id(), plan("basic", 1, basic));
    admin.createPlan(service.id(), plan("pro", 2, pro));
    admin.createPlan(service.id(), plan("business", 3, business));
    return service;
  }

  private static PlanDraft plan(String slug, int tier, long capacity) {
    return new PlanDraft(
        slug,
        Character.toUpperCase(slug.charAt(0)) + slug.substring(1),
        tier,
        Price.monthly(100_000L * tier, "IDR"),
        new Resources(500 * tier, 512 * tier, 5 * tier),
        capacity,
        Map.of());
  }

  /** The id of a plan of a service. */
  String planId(ServiceDefinition service, String slug) {
    return catalog.port().service(service.id()).plan(slug).orElseThrow().id().toString();
  }

  /** A Cloud Foundry provision request of a plan into a space, asynchronous. */
  ProvisionRequest provision(
      ServiceDefinition service, String instanceId, String plan, String space) {
    return new ProvisionRequest(
        instanceId,
        service.id().toString(),
        planId(service, plan),
        Map.of("platform", "cloudfoundry", "organization_guid", "org", "space_guid", space),
        "org",
        space,
        Map.of(),
        null,
        true,
        null);
  }

  /** Waits for an operation the broker answered with to end. */
  Operation await(String owner, String operation) {
    return subscriptions.operations().await(owner, UUID.fromString(operation), LONG_ENOUGH);
  }

  @Override
  public void close() {
    provisioner.release();
    subscriptions.close();
    catalog.close();
    quota.close();
  }
}
