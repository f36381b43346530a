package io.minispod.examples.plainjava;

import com.zaxxer.hikari.HikariDataSource;
import io.minispod.MinisPodException;
import io.minispod.billing.BillingLine;
import io.minispod.billing.BillingService;
import io.minispod.billing.MockPaymentGateway;
import io.minispod.catalog.Catalog;
import io.minispod.catalog.CatalogSeed;
import io.minispod.catalog.PlanDetails;
import io.minispod.provisioner.InMemoryProvisioner;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.Subscriptions;
import io.minispod.subscription.UpgradeOption;
import io.minispod.testkit.PostgresServer;
import java.util.Map;
import java.util.UUID;

/**
 * MinisPod embedded without Spring: a {@code DataSource}, the services built by hand, and the
 * subscribe, upgrade and cancel flow printed step by step. The embedded PostgreSQL comes from the
 * testkit (or {@code MINISPOD_DB_URL}); a host passes its own pool instead.
 */
public final class PlainJavaExample {

  private PlainJavaExample() {}

  /**
   * Runs the flow.
   *
   * @param args none
   */
  public static void main(String[] args) {
    try (PostgresServer server = PostgresServer.start(Map.of());
        HikariDataSource dataSource = server.pool(server.createDatabase(), 8);
        QuotaManager quota = QuotaManager.builder(dataSource).build();
        Catalog catalog = Catalog.builder(dataSource, quota).build()) {
      // createDatabase() has already migrated every module's schema; with a host's own database,
      // call io.minispod.ModuleSchema.migrateAll(dataSource) once at start-up instead.
      BillingService billing =
          BillingService.builder(dataSource).paymentGateway(new MockPaymentGateway()).build();
      System.out.println("1. Seed catalog: " + CatalogSeed.apply(catalog.admin()));
      try (Subscriptions subscriptions =
          Subscriptions.builder(catalog, billing, new InMemoryProvisioner("apps.example.com"))
              .build()) {
        run(catalog, billing, subscriptions);
      }
    }
  }

  private static void run(Catalog catalog, BillingService billing, Subscriptions subscriptions) {
    String user = "alice";
    printQuota(catalog, "2. Plans of n8n before subscribing");

    Subscription subscription =
        subscriptions.subscriptions().subscribe(user, "n8n", "pro", UUID.randomUUID().toString());
    System.out.printf(
        "3. %s subscribed to n8n/%s: %s, instance %s at %s%n",
        user,
        subscription.plan().slug(),
        subscription.status(),
        subscription.instance().status(),
        subscription.instance().url());
    printQuota(catalog, "4. Plans of n8n after subscribing (pro used +1)");

    try {
      subscriptions.subscriptions().subscribe(user, "n8n", "basic", UUID.randomUUID().toString());
    } catch (MinisPodException e) {
      System.out.printf("5. A second subscription is refused: %s %s%n", e.code(), e.details());
    }

    for (UpgradeOption option : subscriptions.upgrades().options(user, subscription.id())) {
      System.out.printf(
          "6. Upgrade option %s: credit %s, charge %s, due %s today (quota free: %d)%n",
          option.plan().slug(),
          option.quote().credit(),
          option.quote().charge(),
          option.quote().due(),
          option.quotaAvailable());
    }
    Subscription upgraded =
        subscriptions
            .upgrades()
            .upgrade(user, subscription.id(), "business", UUID.randomUUID().toString());
    System.out.println("7. Upgraded to " + upgraded.plan().slug());

    try {
      subscriptions
          .upgrades()
          .upgrade(user, subscription.id(), "basic", UUID.randomUUID().toString());
    } catch (MinisPodException e) {
      System.out.printf("8. A downgrade is refused: %s %s%n", e.code(), e.details());
    }

    System.out.println("9. Billing history:");
    for (BillingLine line : billing.history(user, 1, 20).lines()) {
      System.out.printf(
          "     %-16s %12s  %s  %s%n",
          line.type(), line.amount(), line.status(), line.description());
    }

    Subscription cancelled = subscriptions.subscriptions().cancel(user, subscription.id());
    System.out.println("10. Cancelled: " + cancelled.status());
    printQuota(catalog, "11. Plans of n8n after cancelling (quota released)");
  }

  private static void printQuota(Catalog catalog, String title) {
    System.out.println(title + ":");
    for (PlanDetails plan : catalog.service().getServiceDetails("n8n").plans()) {
      System.out.printf(
          "     %-9s tier %d  %s  quota %d/%d used%n",
          plan.plan().slug(),
          plan.plan().tier(),
          plan.plan().price().amount(),
          plan.quota().used(),
          plan.quota().total());
    }
  }
}
