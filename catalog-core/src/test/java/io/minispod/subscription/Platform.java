package io.minispod.subscription;

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
import io.minispod.provisioner.InMemoryProvisioner;
import io.minispod.provisioner.Provisioner;
import io.minispod.quota.QuotaManager;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * One node of the platform for tests: quota, catalog, billing and subscriptions on one connection
 * pool. The outside world (the payment gateway and the provisioner) is shared between nodes, as it
 * would be between the JVMs of a real deployment.
 */
final class Platform implements AutoCloseable {

  static final String IDR = "IDR";

  final MutableClock clock;
  final MockPaymentGateway gateway;
  final InMemoryProvisioner provisioner;

  /** What the subscriptions call: {@link #provisioner}, or a test's wrapper around it. */
  final Provisioner platform;

  final QuotaManager quota;
  final Catalog catalog;
  final BillingService billing;
  final Subscriptions subscriptions;

  private Platform(
      DataSource dataSource,
      MutableClock clock,
      MockPaymentGateway gateway,
      InMemoryProvisioner provisioner,
      Provisioner platform,
      UnaryOperator<SubscriptionsBuilder> configure) {
    this.clock = clock;
    this.gateway = gateway;
    this.provisioner = provisioner;
    this.platform = platform;
    this.quota =
        QuotaManager.builder(dataSource).clock(clock).reclaimInterval(Duration.ZERO).build();
    this.catalog = Catalog.builder(dataSource, quota).clock(clock).listenForChanges(false).build();
    this.billing = BillingService.builder(dataSource).paymentGateway(gateway).clock(clock).build();
    this.subscriptions =
        configure
            .apply(
                Subscriptions.builder(catalog, billing, platform)
                    .clock(clock)
                    .retries(Duration.ofSeconds(2), Duration.ofSeconds(30), 3))
            .build();
  }

  /** A first node with a fresh outside world. */
  static Platform start(DataSource dataSource, MutableClock clock) {
    return start(dataSource, clock, UnaryOperator.identity());
  }

  static Platform start(
      DataSource dataSource, MutableClock clock, UnaryOperator<SubscriptionsBuilder> configure) {
    return start(dataSource, clock, UnaryOperator.identity(), configure);
  }

  /** A first node whose subscriptions call the in-memory provisioner through a test's wrapper. */
  static Platform start(
      DataSource dataSource,
      MutableClock clock,
      UnaryOperator<Provisioner> wrap,
      UnaryOperator<SubscriptionsBuilder> configure) {
    InMemoryProvisioner provisioner = new InMemoryProvisioner("apps.test", clock);
    return new Platform(
        dataSource,
        clock,
        new MockPaymentGateway(),
        provisioner,
        wrap.apply(provisioner),
        configure);
  }

  /** Another node on its own connection pool, sharing this node's outside world and clock. */
  Platform anotherNode(DataSource dataSource, UnaryOperator<SubscriptionsBuilder> configure) {
    return new Platform(dataSource, clock, gateway, provisioner, platform, configure);
  }

  SubscriptionService subscribe() {
    return subscriptions.subscriptions();
  }

  /**
   * Creates a service with a unique slug and plans basic (tier 1, IDR 100,000), pro (tier 2, IDR
   * 250,000) and business (tier 3, IDR 400,000) of the given capacities, on Ghost's template (an
   * app with a MySQL companion and generated secrets).
   */
  ServiceDefinition service(long basicCapacity, long proCapacity, long businessCapacity) {
    return service(basicCapacity, proCapacity, businessCapacity, Map.of(), Map.of(), Map.of());
  }

  /** A service as {@link #service(long, long, long)} makes it, its plans with these features. */
  ServiceDefinition service(
      long basicCapacity,
      long proCapacity,
      long businessCapacity,
      Map<String, Object> basicFeatures,
      Map<String, Object> proFeatures,
      Map<String, Object> businessFeatures) {
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
    admin.createPlan(service.id(), plan("basic", 1, 100_000, basicCapacity, basicFeatures));
    admin.createPlan(service.id(), plan("pro", 2, 250_000, proCapacity, proFeatures));
    admin.createPlan(
        service.id(), plan("business", 3, 400_000, businessCapacity, businessFeatures));
    return service;
  }

  static PlanDraft plan(String slug, int tier, long amount, long capacity) {
    return plan(slug, tier, amount, capacity, Map.of());
  }

  static PlanDraft plan(
      String slug, int tier, long amount, long capacity, Map<String, Object> features) {
    return new PlanDraft(
        slug,
        Character.toUpperCase(slug.charAt(0)) + slug.substring(1),
        tier,
        Price.monthly(amount, IDR),
        new Resources(500 * tier, 512 * tier, 5 * tier),
        capacity,
        features);
  }

  @Override
  public void close() {
    subscriptions.close();
    catalog.close();
    quota.close();
  }
}
