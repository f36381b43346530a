package io.minispod.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.minispod.billing.CurrencyScales;
import io.minispod.billing.Price;
import io.minispod.quota.QuotaManager;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class CatalogSeedIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  @Test
  void apply_twoNodesAtOnceThenAgain_createsTheSeedExactlyOnceAndKeepsEdits() throws Exception {
    DataSource poolA = db.dataSource();
    DataSource poolB = db.newDataSource(4);
    try (QuotaManager quotaA = QuotaManager.builder(poolA).build();
        QuotaManager quotaB = QuotaManager.builder(poolB).build();
        Catalog nodeA = Catalog.builder(poolA, quotaA).listenForChanges(false).build();
        Catalog nodeB = Catalog.builder(poolB, quotaB).listenForChanges(false).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<SeedReport>> reports = new ArrayList<>();
      try {
        for (Catalog node : List.of(nodeA, nodeB)) {
          reports.add(
              pool.submit(
                  () -> {
                    start.await();
                    return CatalogSeed.apply(node.admin());
                  }));
        }
        start.countDown();
        int categories = 0;
        int services = 0;
        int plans = 0;
        for (Future<SeedReport> report : reports) {
          categories += report.get().categoriesCreated();
          services += report.get().servicesCreated();
          plans += report.get().plansCreated();
        }
        assertThat(categories).isEqualTo(2);
        assertThat(services).isEqualTo(2);
        assertThat(plans).isEqualTo(6);
      } finally {
        pool.shutdownNow();
      }

      assertThat(CatalogSeed.apply(nodeA.admin())).isEqualTo(new SeedReport(0, 0, 0));
      assertThat(nodeA.admin().listCategories())
          .extracting(ServiceCategory::slug)
          .containsExactly("automation", "publishing");
      assertThat(quotaA.utilisation()).hasSize(6);
      ServiceDetails n8n = nodeA.service().getServiceDetails("n8n");
      assertThat(n8n.service().template()).isEqualTo(CatalogSeed.n8nTemplate());
      assertThat(n8n.plans()).extracting(p -> p.quota().total()).containsExactly(50L, 20L, 10L);
      ServiceDetails ghost = nodeB.service().getServiceDetails("ghost");
      assertThat(ghost.service().template()).isEqualTo(CatalogSeed.ghostTemplate());
      assertThat(ghost.plans())
          .as("IDR 75,000.00 / 175,000.00 / 350,000.00 at ISO 4217's two decimals")
          .extracting(p -> p.plan().price().amount().minorUnits())
          .containsExactly(7_500_000L, 17_500_000L, 35_000_000L);

      // An admin's edits survive a later seeding: it only creates what is missing.
      PlanDetails pro = ghost.plans().get(1);
      nodeA
          .admin()
          .updatePlan(
              pro.plan().serviceId(),
              pro.plan().id(),
              PlanUpdate.builder().price(Price.monthly(180_000, "IDR")).build());
      nodeA.admin().archiveService(pro.plan().serviceId());
      assertThat(CatalogSeed.apply(nodeB.admin())).isEqualTo(new SeedReport(0, 0, 0));
      assertThat(
              nodeB
                  .admin()
                  .getPlan(pro.plan().serviceId(), pro.plan().id())
                  .plan()
                  .price()
                  .amount()
                  .minorUnits())
          .isEqualTo(180_000);
      assertThat(nodeB.admin().getService(pro.plan().serviceId()).status())
          .isEqualTo(ServiceStatus.ARCHIVED);
    }
  }

  /** The seed's monthly prices in IDR major units, by service and plan: what a customer pays. */
  private static final Map<String, List<BigDecimal>> MAJOR_PRICES =
      Map.of(
          "n8n", List.of(major("100000"), major("250000"), major("500000")),
          "ghost", List.of(major("75000"), major("175000"), major("350000")));

  private static BigDecimal major(String amount) {
    return new BigDecimal(amount);
  }

  /** Runs the work against a database of its own, seeded by a catalog with the given scales. */
  private static void withSeededCatalog(CurrencyScales scales, Consumer<Catalog> work) {
    PostgresServer server = PostgresServer.shared();
    String url = server.createDatabase();
    try (HikariDataSource pool = server.pool(url, 4);
        QuotaManager quota = QuotaManager.builder(pool).build();
        Catalog catalog =
            Catalog.builder(pool, quota).listenForChanges(false).currencyScales(scales).build()) {
      CatalogSeed.apply(catalog.admin());
      work.accept(catalog);
    } finally {
      server.dropDatabase(url);
    }
  }

  /** Every seed plan's price as the catalog's own scales read it, in major units. */
  private static Map<String, List<BigDecimal>> majorPrices(Catalog catalog) {
    CurrencyScales scales = catalog.admin().currencyScales();
    Map<String, List<BigDecimal>> prices = new LinkedHashMap<>();
    for (String slug : MAJOR_PRICES.keySet()) {
      prices.put(
          slug,
          catalog.service().getServiceDetails(slug).plans().stream()
              .map(p -> scales.toMajor(p.plan().price().amount()).setScale(0))
              .toList());
    }
    return prices;
  }

  @Test
  void apply_isoScales_pricesN8nProAtIdr250000Point00() {
    withSeededCatalog(
        CurrencyScales.iso4217(),
        catalog -> {
          Price pro = catalog.service().getServiceDetails("n8n").plans().get(1).plan().price();
          assertThat(pro.amount().currency().getCurrencyCode()).isEqualTo("IDR");
          assertThat(CurrencyScales.iso4217().toMajor(pro.amount()))
              .isEqualTo(new BigDecimal("250000.00"));
          assertThat(pro.amount().minorUnits()).isEqualTo(25_000_000L);
          assertThat(majorPrices(catalog)).isEqualTo(MAJOR_PRICES);
        });
  }

  @Test
  void apply_idrWithoutDecimals_pricesTheSameMajorAmountsInWholeRupiah() {
    CurrencyScales wholeRupiah = CurrencyScales.iso4217().withScale("IDR", 0);
    withSeededCatalog(
        wholeRupiah,
        catalog -> {
          Price pro = catalog.service().getServiceDetails("n8n").plans().get(1).plan().price();
          assertThat(pro.amount().minorUnits()).isEqualTo(250_000L);
          assertThat(wholeRupiah.format(pro.amount())).isEqualTo("IDR 250000");
          assertThat(majorPrices(catalog)).isEqualTo(MAJOR_PRICES);
        });
  }

  @Test
  void plans_everyScale_costsTheSameMajorAmounts() {
    for (int scale = 0; scale <= 4; scale++) {
      CurrencyScales scales = CurrencyScales.iso4217().withScale("IDR", scale);
      for (Map.Entry<String, List<BigDecimal>> service : MAJOR_PRICES.entrySet()) {
        assertThat(
                CatalogSeed.plans(service.getKey(), scales).stream()
                    .map(p -> scales.toMajor(p.price().amount()).setScale(0))
                    .toList())
            .as("%s at IDR scale %d", service.getKey(), scale)
            .isEqualTo(service.getValue());
      }
    }
  }

  @Test
  void plans_advertiseOnlyFeaturesThePlatformHasOrStates() {
    for (String slug : List.of("n8n", "ghost")) {
      for (PlanDraft plan : CatalogSeed.plans(slug, CurrencyScales.iso4217())) {
        assertThat(plan.features().keySet())
            .as("%s/%s", slug, plan.slug())
            .doesNotContain("staffUsers")
            .isSubsetOf("customDomain", "backups", "support");
      }
    }
  }

  @Test
  void migrationV18_oldSeedGhostPlans_loseStaffUsersWhereTheSeedSetIt() throws Exception {
    PostgresServer server = PostgresServer.shared();
    String url = server.createDatabase();
    try (HikariDataSource pool = server.pool(url, 4);
        QuotaManager quota = QuotaManager.builder(pool).build();
        Catalog catalog = Catalog.builder(pool, quota).listenForChanges(false).build()) {
      CatalogAdmin admin = catalog.admin();
      admin.createCategory(new CategoryDraft("publishing", "Publishing", null, 20));
      // What the seed created before: Ghost's plans with staffUsers 1, 5 and 25; an admin has
      // since changed Business to 30, and another service uses the key for its own purpose.
      ServiceDefinition ghost = admin.createService(CatalogSeed.services().get(1));
      List<PlanDraft> seeded = CatalogSeed.plans("ghost", CurrencyScales.iso4217());
      long[] staff = {1, 5, 30};
      for (int i = 0; i < seeded.size(); i++) {
        admin.createPlan(ghost.id(), withStaffUsers(seeded.get(i), staff[i]));
      }
      ServiceDefinition other =
          admin.createService(Fixtures.service("forum", "Forum", "publishing", "Talk."));
      admin.createPlan(other.id(), withStaffUsers(Fixtures.plan("basic", 1, 1000, 5), 1));

      runMigration("db/minispod/catalog/V18__seed_without_staff_users.sql", pool);
      catalog.invalidateCaches();

      assertThat(admin.listPlans(ghost.id()))
          .extracting(p -> p.plan().features().get("staffUsers"))
          .as("removed where the seed's value was kept; an admin's 30 stays")
          .containsExactly(null, null, 30L);
      assertThat(admin.listPlans(ghost.id()).get(0).plan().features())
          .containsEntry("support", "community");
      assertThat(admin.listPlans(other.id()).get(0).plan().features())
          .containsEntry("staffUsers", 1L);
    } finally {
      server.dropDatabase(url);
    }
  }

  private static PlanDraft withStaffUsers(PlanDraft plan, long staffUsers) {
    Map<String, Object> features = new LinkedHashMap<>(plan.features());
    features.put("staffUsers", staffUsers);
    return new PlanDraft(
        plan.slug(),
        plan.name(),
        plan.tier(),
        plan.price(),
        plan.resources(),
        plan.quotaTotal(),
        features);
  }

  private static void runMigration(String resource, javax.sql.DataSource pool)
      throws IOException, SQLException {
    String sql;
    try (InputStream in = CatalogSeedIT.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
