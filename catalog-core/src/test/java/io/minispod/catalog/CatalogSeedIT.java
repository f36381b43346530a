package io.minispod.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.billing.Price;
import io.minispod.quota.QuotaManager;
import io.minispod.testkit.FreshDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
          .extracting(p -> p.plan().price().amount().minorUnits())
          .containsExactly(75_000L, 175_000L, 350_000L);

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
}
