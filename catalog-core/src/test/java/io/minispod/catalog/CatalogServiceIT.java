package io.minispod.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.ValidationException;
import io.minispod.billing.BillingInterval;
import io.minispod.billing.Price;
import io.minispod.catalog.template.Resources;
import io.minispod.quota.AllocationRequest;
import io.minispod.quota.QuotaItem;
import io.minispod.quota.QuotaManager;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The public catalog on a real database: the seed catalog, a few services that exercise search
 * ranking, and twelve widgets whose prices, capacities and usage are known.
 */
final class CatalogServiceIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static QuotaManager quota;
  private static Catalog catalog;
  private static CatalogService service;

  @BeforeAll
  static void loadCatalog() {
    quota = QuotaManager.builder(db.dataSource()).build();
    catalog =
        Catalog.builder(db.dataSource(), quota)
            .clock(MutableClock.at("2026-01-15T10:30:00Z"))
            .build();
    service = catalog.service();
    CatalogAdmin admin = catalog.admin();
    CatalogSeed.apply(admin);
    admin.createCategory(Fixtures.category("tools", "Tools", 30));
    admin.createCategory(Fixtures.category("widgets", "Widgets", 40));
    admin.createCategory(Fixtures.category("empty", "Empty", 50));

    // Search ranking: "gho" matches Ghost and Ghostwriter by name, Quill by a tag, Inkwell by its
    // description; Ghost Legacy is archived.
    admin.createService(
        Fixtures.service(
            "ghostwriter", "Ghostwriter", "tools", "An AI drafting assistant.", "writing"));
    admin.createService(
        Fixtures.service("quill", "Quill", "tools", "Notes for poets.", "ghost-theme"));
    admin.createService(
        Fixtures.service("inkwell", "Inkwell", "tools", "A lighter alternative to Ghost."));
    ServiceDefinition legacy =
        admin.createService(
            Fixtures.service("ghost-legacy", "Ghost Legacy", "publishing", "The old one."));
    admin.archiveService(legacy.id());

    for (int n = 1; n <= 12; n++) {
      String number = String.format("%02d", n);
      ServiceDefinition widget =
          admin.createService(
              Fixtures.service(
                  "widget-" + number,
                  "Widget " + number,
                  "widgets",
                  "Widget number " + n + " for dashboards.",
                  "widget",
                  n % 2 == 0 ? "even" : "odd"));
      PlanDraft plan =
          switch (n) {
            case 3 ->
                new PlanDraft(
                    "basic",
                    "Basic",
                    1,
                    Price.yearly(6_000, "IDR"),
                    new Resources(100, 128, 1),
                    3L,
                    null);
            case 5 -> Fixtures.plan("basic", 1, n * 1000L, 0);
            case 7 -> Fixtures.plan("basic", 1, n * 1000L, 1);
            default -> Fixtures.plan("basic", 1, n * 1000L, 3);
          };
      PlanDetails created = admin.createPlan(widget.id(), plan);
      if (n == 9) {
        admin.updatePlan(
            widget.id(), created.plan().id(), PlanUpdate.builder().active(false).build());
      }
      int subscriptions =
          switch (n) {
            case 2 -> 2;
            case 7, 11 -> 1;
            default -> 0;
          };
      for (int i = 0; i < subscriptions; i++) {
        quota.allocate(
            AllocationRequest.of(
                "user-" + i,
                "widget-" + n + "-" + i,
                QuotaItem.of(created.plan().quotaPoolKey(), 1)));
      }
      catalog.port().quotaChanged(List.of(created.plan().id()));
    }
  }

  @AfterAll
  static void close() {
    catalog.close();
    quota.close();
  }

  private static List<String> slugs(Page<ServiceSummary> page) {
    return page.items().stream().map(ServiceSummary::slug).toList();
  }

  private static Page<ServiceSummary> search(SearchQuery.Builder query) {
    return service.searchServices(query.build());
  }

  // ---- categories

  @Test
  void getServiceCategories_seededAndAdded_countActiveServicesInDisplayOrder() {
    assertThat(service.getServiceCategories())
        .extracting(ServiceCategory::slug, ServiceCategory::serviceCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("automation", 1L),
            org.assertj.core.groups.Tuple.tuple("publishing", 1L),
            org.assertj.core.groups.Tuple.tuple("tools", 3L),
            org.assertj.core.groups.Tuple.tuple("widgets", 12L),
            org.assertj.core.groups.Tuple.tuple("empty", 0L));
    assertThat(service.getServiceCategories().get(0).name()).isEqualTo("Automation");
  }

  @Test
  void getServicesByCategory_pages_coverTheCategoryByName() {
    Page<ServiceSummary> first = service.getServicesByCategory("widgets", PageRequest.of(1, 5));
    assertThat(slugs(first))
        .containsExactly("widget-01", "widget-02", "widget-03", "widget-04", "widget-05");
    assertThat(first.total()).isEqualTo(12);
    assertThat(first.totalPages()).isEqualTo(3);
    assertThat(slugs(service.getServicesByCategory("widgets", PageRequest.of(3, 5))))
        .containsExactly("widget-11", "widget-12");
    Page<ServiceSummary> beyond = service.getServicesByCategory("widgets", PageRequest.of(4, 5));
    assertThat(beyond.items()).isEmpty();
    assertThat(beyond.total()).isEqualTo(12);
  }

  @Test
  void getServicesByCategory_summaries_carryStartingPriceAndPlanCount() {
    ServiceSummary n8n =
        service.getServicesByCategory("automation", PageRequest.first()).items().get(0);
    assertThat(n8n.slug()).isEqualTo("n8n");
    assertThat(n8n.category().slug()).isEqualTo("automation");
    // IDR 100,000.00 at ISO 4217's two decimals, the catalog's default scale.
    assertThat(n8n.startingPrice()).isEqualTo(Price.monthly(10_000_000, "IDR"));
    assertThat(n8n.planCount()).isEqualTo(3);
    assertThat(n8n.tags()).contains("workflow");
    ServiceSummary inactive =
        service.getServicesByCategory("widgets", PageRequest.of(9, 1)).items().get(0);
    assertThat(inactive.slug()).isEqualTo("widget-09");
    assertThat(inactive.startingPrice()).isNull();
    assertThat(inactive.planCount()).isZero();
  }

  @Test
  void getServicesByCategory_archivedService_isLeftOut() {
    assertThat(slugs(service.getServicesByCategory("publishing", PageRequest.first())))
        .containsExactly("ghost");
  }

  @Test
  void getServicesByCategory_emptyCategory_isAnEmptyPage() {
    Page<ServiceSummary> page = service.getServicesByCategory("empty", PageRequest.first());
    assertThat(page.items()).isEmpty();
    assertThat(page.total()).isZero();
  }

  @Test
  void getServicesByCategory_unknownOrBadSlug_isNotFoundOrInvalid() {
    assertThatThrownBy(() -> service.getServicesByCategory("nope", PageRequest.first()))
        .isInstanceOfSatisfying(
            CatalogNotFoundException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
              assertThat(e.details()).containsEntry("slug", "nope");
            });
    assertThatThrownBy(() -> service.getServicesByCategory("x".repeat(64), PageRequest.first()))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> service.getServicesByCategory(null, PageRequest.first()))
        .isInstanceOf(ValidationException.class);
  }

  // ---- details

  @Test
  void getServiceDetails_seededN8n_hasActivePlansByTierWithLiveQuota() {
    ServiceDetails details = service.getServiceDetails("n8n");
    assertThat(details.service().name()).isEqualTo("n8n");
    assertThat(details.service().template().image()).isEqualTo(CatalogSeed.N8N_IMAGE);
    assertThat(details.plans())
        .extracting(p -> p.plan().slug(), p -> p.plan().tier(), p -> p.quota().total())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("basic", 1, 50L),
            org.assertj.core.groups.Tuple.tuple("pro", 2, 20L),
            org.assertj.core.groups.Tuple.tuple("business", 3, 10L));
    PlanDetails pro = details.plans().get(1);
    assertThat(pro.plan().price()).isEqualTo(Price.monthly(25_000_000, "IDR"));
    assertThat(pro.plan().resources()).isEqualTo(new Resources(1000, 1024, 5));
    assertThat(pro.plan().features()).containsEntry("customDomain", true);
    assertThat(pro.quota().available()).isEqualTo(20);
  }

  @Test
  void getServiceDetails_usedPlan_showsUsedAndAvailable() {
    PlanDetails basic = service.getServiceDetails("widget-02").plans().get(0);
    assertThat(basic.quota()).isEqualTo(new QuotaFigures(3, 2));
    assertThat(basic.quota().available()).isEqualTo(1);
  }

  @Test
  void getServiceDetails_inactivePlan_isHidden() {
    assertThat(service.getServiceDetails("widget-09").plans()).isEmpty();
  }

  @Test
  void getServiceDetails_unknownArchivedOrMalformed_isNotFound() {
    for (String slug : List.of("nope", "ghost-legacy", "GHOST", "ghost'--", "gh%")) {
      assertThatThrownBy(() -> service.getServiceDetails(slug))
          .as(slug)
          .isInstanceOf(CatalogNotFoundException.class)
          .hasMessageContaining(slug);
    }
  }

  @Test
  void getServiceDetails_overLongOrMissingSlug_isInvalid() {
    assertThatThrownBy(() -> service.getServiceDetails("a".repeat(64)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors().get("serviceSlug")).contains("63").contains("64"));
    assertThatThrownBy(() -> service.getServiceDetails("")).isInstanceOf(ValidationException.class);
  }

  // ---- search

  @Test
  void searchServices_wordPrefix_findsGhostWithNameMatchesFirst() {
    assertThat(slugs(search(SearchQuery.builder().text("gho"))))
        .containsExactly("ghost", "ghostwriter", "quill", "inkwell");
    assertThat(slugs(search(SearchQuery.builder().text("GHO")))).startsWith("ghost");
  }

  @Test
  void searchServices_severalWords_mustAllMatch() {
    assertThat(search(SearchQuery.builder().text("widget dash")).total()).isEqualTo(12);
    assertThat(slugs(search(SearchQuery.builder().text("blog newsletter"))))
        .containsExactly("ghost");
    assertThat(search(SearchQuery.builder().text("widget poets")).total()).isZero();
  }

  @Test
  void searchServices_descriptionAndTagWords_areFound() {
    assertThat(slugs(search(SearchQuery.builder().text("integrat")))).containsExactly("n8n");
    assertThat(slugs(search(SearchQuery.builder().text("drafting"))))
        .containsExactly("ghostwriter");
  }

  @Test
  void searchServices_sqlMetacharacters_arePlainText() {
    assertThat(search(SearchQuery.builder().text("widg")).total()).isEqualTo(12);
    // As LIKE patterns these would match "widget"; as text they are separators.
    assertThat(search(SearchQuery.builder().text("w%t")).total()).isZero();
    assertThat(search(SearchQuery.builder().text("_idget")).total()).isZero();
    assertThat(search(SearchQuery.builder().text("%")).total()).isZero();
    assertThat(
            search(SearchQuery.builder().text("'; DROP TABLE minispod_catalog.service; --"))
                .total())
        .isZero();
    assertThat(search(SearchQuery.builder().text("' OR '1'='1")).total()).isZero();
    assertThat(service.getServiceDetails("ghost").service().slug()).isEqualTo("ghost");
  }

  @Test
  void searchServices_categoryAndTagFilters_narrowTheResult() {
    assertThat(slugs(search(SearchQuery.builder().category("tools").sort(SearchSort.NAME))))
        .containsExactly("ghostwriter", "inkwell", "quill");
    assertThat(search(SearchQuery.builder().tag("even")).total()).isEqualTo(6);
    assertThat(slugs(search(SearchQuery.builder().text("gho").category("tools"))))
        .containsExactly("ghostwriter", "quill", "inkwell");
    assertThat(search(SearchQuery.builder().category("nope")).total()).isZero();
    assertThat(search(SearchQuery.builder().tag("nope")).total()).isZero();
  }

  @Test
  void searchServices_noCriteria_listsEveryActiveService() {
    Page<ServiceSummary> all = search(SearchQuery.builder().page(1, 100));
    assertThat(all.total()).isEqualTo(17);
    assertThat(slugs(all)).doesNotContain("ghost-legacy");
    assertThat(slugs(all).get(0)).isEqualTo("ghost");
  }

  @Test
  void searchServices_sortByPrice_usesMonthlyEquivalentAndPutsPlanlessLast() {
    assertThat(slugs(search(SearchQuery.builder().category("widgets").sort(SearchSort.PRICE))))
        .containsExactly(
            "widget-03",
            "widget-01",
            "widget-02",
            "widget-04",
            "widget-05",
            "widget-06",
            "widget-07",
            "widget-08",
            "widget-10",
            "widget-11",
            "widget-12",
            "widget-09");
  }

  @Test
  void searchServices_maxPrice_keepsServicesWithACheapEnoughActivePlan() {
    assertThat(
            slugs(
                search(SearchQuery.builder().category("widgets").maxPrice(2000L).currency("IDR"))))
        .containsExactly("widget-01", "widget-02", "widget-03");
    assertThat(
            slugs(search(SearchQuery.builder().maxPrice(10_000_000L).currency("IDR").text("n8n"))))
        .containsExactly("n8n");
    assertThat(
            search(SearchQuery.builder().maxPrice(9_999_999L).currency("IDR").text("n8n")).total())
        .isZero();
  }

  @Test
  void searchServices_available_leavesOutFullEmptyAndPlanlessServices() {
    Page<ServiceSummary> available =
        search(SearchQuery.builder().category("widgets").available(true).page(1, 5));
    assertThat(available.total()).isEqualTo(9);
    assertThat(slugs(available))
        .containsExactly("widget-01", "widget-02", "widget-03", "widget-04", "widget-06");
    assertThat(slugs(search(SearchQuery.builder().category("widgets").available(true).page(2, 5))))
        .containsExactly("widget-08", "widget-10", "widget-11", "widget-12");
  }

  @Test
  void searchServices_sortByPopularity_ordersByLiveSubscriptions() {
    assertThat(
            slugs(
                search(
                    SearchQuery.builder()
                        .category("widgets")
                        .sort(SearchSort.POPULARITY)
                        .page(1, 5))))
        .containsExactly("widget-02", "widget-07", "widget-11", "widget-01", "widget-03");
  }

  @Test
  void searchServices_pagination_reportsTotals() {
    Page<ServiceSummary> second = search(SearchQuery.builder().text("widget").page(2, 5));
    assertThat(second.page()).isEqualTo(2);
    assertThat(second.size()).isEqualTo(5);
    assertThat(second.total()).isEqualTo(12);
    assertThat(second.totalPages()).isEqualTo(3);
    assertThat(slugs(second))
        .containsExactly("widget-06", "widget-07", "widget-08", "widget-09", "widget-10");
  }

  @Test
  void searchServices_badInput_isRefusedNotTruncated() {
    assertThatThrownBy(() -> search(SearchQuery.builder().text("g".repeat(201))))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.fieldErrors()).containsOnlyKeys("q"));
    assertThatThrownBy(() -> search(SearchQuery.builder().page(1, 101)))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.fieldErrors()).containsOnlyKeys("size"));
  }

  @Test
  void getServiceDetails_planWithoutPool_isAnInternalError() {
    // A plan written behind the catalog's back, without its quota pool.
    ServiceDefinition widget = catalog.admin().findService("widget-12").orElseThrow();
    UUID orphan = UUID.randomUUID();
    db.dsl()
        .insertInto(io.minispod.catalog.internal.db.Tables.PLAN)
        .set(io.minispod.catalog.internal.db.Tables.PLAN.PLAN_ID, orphan)
        .set(io.minispod.catalog.internal.db.Tables.PLAN.SERVICE_ID, widget.id())
        .set(io.minispod.catalog.internal.db.Tables.PLAN.SLUG, "orphan")
        .set(io.minispod.catalog.internal.db.Tables.PLAN.NAME, "Orphan")
        .set(io.minispod.catalog.internal.db.Tables.PLAN.TIER, 9)
        .set(io.minispod.catalog.internal.db.Tables.PLAN.PRICE_AMOUNT, 1L)
        .set(io.minispod.catalog.internal.db.Tables.PLAN.PRICE_CURRENCY, "IDR")
        .set(io.minispod.catalog.internal.db.Tables.PLAN.PRICE_PERIOD, BillingInterval.MONTHLY)
        .set(io.minispod.catalog.internal.db.Tables.PLAN.CPU_MILLICORES, 1)
        .set(io.minispod.catalog.internal.db.Tables.PLAN.MEMORY_MIB, 1)
        .set(io.minispod.catalog.internal.db.Tables.PLAN.STORAGE_GIB, 1)
        .set(io.minispod.catalog.internal.db.Tables.PLAN.FEATURES, org.jooq.JSONB.valueOf("{}"))
        .set(io.minispod.catalog.internal.db.Tables.PLAN.ACTIVE, true)
        .set(io.minispod.catalog.internal.db.Tables.PLAN.CREATED_AT, java.time.OffsetDateTime.now())
        .set(io.minispod.catalog.internal.db.Tables.PLAN.UPDATED_AT, java.time.OffsetDateTime.now())
        .execute();
    catalog.invalidateCaches();
    try {
      assertThatThrownBy(() -> service.getServiceDetails("widget-12"))
          .isInstanceOfSatisfying(
              MinisPodException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                assertThat(e.getMessage()).contains("plan:" + orphan);
              });
    } finally {
      db.dsl()
          .deleteFrom(io.minispod.catalog.internal.db.Tables.PLAN)
          .where(io.minispod.catalog.internal.db.Tables.PLAN.PLAN_ID.eq(orphan))
          .execute();
      catalog.invalidateCaches();
    }
  }
}
