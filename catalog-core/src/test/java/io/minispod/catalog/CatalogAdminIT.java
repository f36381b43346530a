package io.minispod.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.ValidationException;
import io.minispod.billing.BillingInterval;
import io.minispod.billing.CurrencyScales;
import io.minispod.billing.Price;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Resources;
import io.minispod.quota.Allocation;
import io.minispod.quota.AllocationRequest;
import io.minispod.quota.AllocationStatus;
import io.minispod.quota.PoolUtilisation;
import io.minispod.quota.QuotaItem;
import io.minispod.quota.QuotaManager;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class CatalogAdminIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static final MutableClock clock = MutableClock.at("2026-01-15T10:30:00Z");
  private static QuotaManager quota;
  private static Catalog catalog;
  private static CatalogAdmin admin;

  @BeforeAll
  static void start() {
    quota = QuotaManager.builder(db.dataSource()).build();
    catalog = Catalog.builder(db.dataSource(), quota).clock(clock).build();
    admin = catalog.admin();
    admin.createCategory(Fixtures.category("apps", "Apps", 1));
    admin.createCategory(Fixtures.category("other", "Other", 2));
  }

  @AfterAll
  static void stop() {
    catalog.close();
    quota.close();
  }

  private static ServiceDefinition newService(String slug) {
    return admin.createService(
        Fixtures.service(slug, "Service " + slug, "apps", "About " + slug, "tag-a"));
  }

  private static long pools() {
    return quota.utilisation().size();
  }

  // ---- categories

  @Test
  void createCategory_valid_isListedWithZeroServices() {
    ServiceCategory created = admin.createCategory(new CategoryDraft("media", "Media", null, null));
    assertThat(created.serviceCount()).isZero();
    assertThat(created.description()).isEmpty();
    assertThat(created.displayOrder()).isZero();
    assertThat(admin.listCategories()).extracting(ServiceCategory::slug).contains("media");
    assertThat(catalog.service().getServiceCategories())
        .extracting(ServiceCategory::slug)
        .contains("media");
  }

  @Test
  void createCategory_takenSlug_isConflict() {
    assertThatThrownBy(() -> admin.createCategory(Fixtures.category("apps", "Apps again", 9)))
        .isInstanceOfSatisfying(
            CatalogConflictException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
              assertThat(e.details())
                  .containsEntry("slug", "apps")
                  .containsEntry("kind", "category");
            });
  }

  @Test
  void createCategory_badFields_areAllReported() {
    assertThatThrownBy(() -> admin.createCategory(new CategoryDraft("Bad Slug", "", null, null)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("slug", "name"));
  }

  // ---- services

  @Test
  void createService_valid_isStoredWithItsTemplateAndDates() {
    ServiceDefinition created = newService("create-ok");
    assertThat(created.status()).isEqualTo(ServiceStatus.ACTIVE);
    assertThat(created.category().slug()).isEqualTo("apps");
    assertThat(created.tags()).containsExactly("tag-a");
    assertThat(created.template()).isEqualTo(Fixtures.template());
    assertThat(created.createdAt()).isEqualTo(clock.instant());
    assertThat(created.archivedAt()).isNull();
    assertThat(admin.getService(created.id())).isEqualTo(created);
    assertThat(admin.findService("create-ok")).contains(created);
    assertThat(catalog.service().getServiceDetails("create-ok").service()).isEqualTo(created);
  }

  @Test
  void createService_everyBadField_isReportedAtOnceUnknownCategoryIncluded() {
    ServiceDraft draft =
        new ServiceDraft(
            "Bad_Slug",
            "",
            "no-such-category",
            null,
            List.of("ok", "NOT OK"),
            AppTemplate.builder("nginx:latest", 70000).build());
    assertThatThrownBy(() -> admin.createService(draft))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
              assertThat(e.fieldErrors())
                  .containsKeys(
                      "slug", "name", "categorySlug", "tags[1]", "template.image", "template.port");
              assertThat(e.fieldErrors().get("categorySlug")).contains("no-such-category");
              assertThat(e.details()).containsKey("fields");
            });
    assertThat(admin.findService("bad-slug")).isEmpty();
  }

  @Test
  void createService_unknownCategoryOnly_isValidationFailed() {
    assertThatThrownBy(
            () -> admin.createService(Fixtures.service("orphan", "Orphan", "missing", "x")))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("categorySlug"));
  }

  @Test
  void createService_takenSlug_isConflict() {
    newService("taken");
    assertThatThrownBy(() -> newService("taken"))
        .isInstanceOfSatisfying(
            CatalogConflictException.class,
            e ->
                assertThat(e.details())
                    .containsEntry("slug", "taken")
                    .containsEntry("field", "slug"));
  }

  @Test
  void createService_sameSlugFromEightThreads_createsExactlyOne() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<String> create =
            () -> {
              start.await();
              try {
                newService("race");
                return "created";
              } catch (CatalogConflictException e) {
                return "conflict";
              }
            };
        outcomes.add(pool.submit(create));
      }
      start.countDown();
      List<String> results = new ArrayList<>();
      for (Future<String> outcome : outcomes) {
        results.add(outcome.get());
      }
      assertThat(results).filteredOn("created"::equals).hasSize(1);
      assertThat(results).filteredOn("conflict"::equals).hasSize(threads - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listServices_archivedIncluded_pagedByName() {
    ServiceDefinition archived = newService("list-b");
    newService("list-a");
    admin.archiveService(archived.id());
    List<ServiceDefinition> all = new ArrayList<>();
    Page<ServiceDefinition> page;
    int number = 1;
    do {
      page = admin.listServices(PageRequest.of(number++, 2));
      all.addAll(page.items());
    } while (!page.items().isEmpty());
    assertThat(all).hasSize((int) page.total());
    assertThat(all).extracting(ServiceDefinition::slug).contains("list-a", "list-b");
    assertThat(all)
        .filteredOn(s -> s.slug().equals("list-b"))
        .singleElement()
        .extracting(ServiceDefinition::status)
        .isEqualTo(ServiceStatus.ARCHIVED);
    assertThat(all).extracting(s -> s.name().toLowerCase()).isSorted();
  }

  @Test
  void getService_unknownId_isNotFound() {
    UUID id = UUID.randomUUID();
    assertThatThrownBy(() -> admin.getService(id))
        .isInstanceOf(CatalogNotFoundException.class)
        .hasMessageContaining(id.toString());
    assertThat(admin.findService("never-created")).isEmpty();
    assertThat(admin.findService("Not A Slug")).isEmpty();
  }

  @Test
  void updateService_someFields_changesOnlyThoseAndIsVisibleAtOnce() {
    ServiceDefinition created = newService("update-me");
    assertThat(catalog.service().getServiceDetails("update-me").service().name())
        .isEqualTo("Service update-me");
    clock.advance(Duration.ofMinutes(1));

    ServiceDefinition updated =
        admin.updateService(
            created.id(),
            ServiceUpdate.builder()
                .name("Renamed Thing")
                .tags(List.of("shiny"))
                .categorySlug("other")
                .build());

    assertThat(updated.name()).isEqualTo("Renamed Thing");
    assertThat(updated.tags()).containsExactly("shiny");
    assertThat(updated.category().slug()).isEqualTo("other");
    assertThat(updated.description()).isEqualTo(created.description());
    assertThat(updated.template()).isEqualTo(created.template());
    assertThat(updated.updatedAt()).isEqualTo(clock.instant());
    assertThat(updated.createdAt()).isEqualTo(created.createdAt());
    assertThat(catalog.service().getServiceDetails("update-me").service().name())
        .isEqualTo("Renamed Thing");
    assertThat(
            catalog
                .service()
                .searchServices(SearchQuery.builder().text("shiny renamed").build())
                .items())
        .extracting(ServiceSummary::slug)
        .containsExactly("update-me");
    assertThat(
            catalog
                .service()
                .searchServices(SearchQuery.builder().tag("tag-a").text("update").build())
                .total())
        .isZero();
  }

  @Test
  void updateService_slugAndTemplate_replaceTheOldOnes() {
    ServiceDefinition created = newService("old-slug");
    AppTemplate template = AppTemplate.builder("app:2.0.0", 9090).env("A", "b").build();
    ServiceDefinition updated =
        admin.updateService(
            created.id(),
            ServiceUpdate.builder()
                .slug("new-slug")
                .template(template)
                .description("New words")
                .build());
    assertThat(updated.slug()).isEqualTo("new-slug");
    assertThat(updated.template()).isEqualTo(template);
    assertThatThrownBy(() -> catalog.service().getServiceDetails("old-slug"))
        .isInstanceOf(CatalogNotFoundException.class);
    assertThat(catalog.service().getServiceDetails("new-slug").service().template().port())
        .isEqualTo(9090);
  }

  @Test
  void updateService_nothingGiven_keepsEverything() {
    ServiceDefinition created = newService("untouched");
    ServiceDefinition same = admin.updateService(created.id(), ServiceUpdate.builder().build());
    assertThat(same.slug()).isEqualTo(created.slug());
    assertThat(same.tags()).isEqualTo(created.tags());
    assertThat(same.template()).isEqualTo(created.template());
  }

  @Test
  void updateService_badFieldsUnknownCategoryOrTakenSlug_areRefused() {
    ServiceDefinition created = newService("guarded");
    newService("occupied");
    assertThatThrownBy(
            () ->
                admin.updateService(
                    created.id(),
                    ServiceUpdate.builder().name("x".repeat(101)).categorySlug("missing").build()))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("name", "categorySlug"));
    assertThatThrownBy(
            () ->
                admin.updateService(created.id(), ServiceUpdate.builder().slug("occupied").build()))
        .isInstanceOf(CatalogConflictException.class);
    assertThatThrownBy(
            () -> admin.updateService(UUID.randomUUID(), ServiceUpdate.builder().name("x").build()))
        .isInstanceOf(CatalogNotFoundException.class);
    assertThat(admin.getService(created.id()).name()).isEqualTo("Service guarded");
  }

  @Test
  void archiveService_liveSubscription_keepsItsQuotaAndLeavesTheCatalog() {
    ServiceDefinition created = newService("to-archive");
    PlanDetails plan = admin.createPlan(created.id(), Fixtures.plan("basic", 1, 1000, 5));
    Allocation subscription =
        quota.allocate(
            AllocationRequest.of(
                "alice", "archive-sub", QuotaItem.of(plan.plan().quotaPoolKey(), 1)));
    catalog.port().quotaChanged(List.of(plan.plan().id()));
    long inCategory = countIn("apps");
    clock.advance(Duration.ofMinutes(5));

    ServiceDefinition archived = admin.archiveService(created.id());

    assertThat(archived.status()).isEqualTo(ServiceStatus.ARCHIVED);
    assertThat(archived.archivedAt()).isEqualTo(clock.instant());
    assertThatThrownBy(() -> catalog.service().getServiceDetails("to-archive"))
        .isInstanceOf(CatalogNotFoundException.class);
    assertThat(
            catalog
                .service()
                .searchServices(SearchQuery.builder().text("to-archive").build())
                .total())
        .isZero();
    assertThat(countIn("apps")).isEqualTo(inCategory - 1);
    // The subscription is untouched: its allocation is live and the plan still counts it.
    assertThat(quota.allocation(subscription.id()).status()).isEqualTo(AllocationStatus.CONFIRMED);
    assertThat(admin.listPlans(created.id()))
        .singleElement()
        .satisfies(p -> assertThat(p.quota().used()).isEqualTo(1));
    assertThat(admin.archiveService(created.id()).archivedAt())
        .as("archiving twice changes nothing")
        .isEqualTo(archived.archivedAt());

    ServiceDefinition restored = admin.restoreService(created.id());
    assertThat(restored.status()).isEqualTo(ServiceStatus.ACTIVE);
    assertThat(restored.archivedAt()).isNull();
    assertThat(catalog.service().getServiceDetails("to-archive").plans())
        .singleElement()
        .satisfies(p -> assertThat(p.quota()).isEqualTo(new QuotaFigures(5, 1)));
    assertThat(admin.restoreService(created.id()).status()).isEqualTo(ServiceStatus.ACTIVE);
  }

  private static long countIn(String category) {
    return catalog.service().getServiceCategories().stream()
        .filter(c -> c.slug().equals(category))
        .findFirst()
        .orElseThrow()
        .serviceCount();
  }

  @Test
  void archiveService_unknownId_isNotFound() {
    assertThatThrownBy(() -> admin.archiveService(UUID.randomUUID()))
        .isInstanceOf(CatalogNotFoundException.class);
  }

  // ---- plans

  @Test
  void createPlan_valid_definesItsPoolInTheSameTransaction() {
    ServiceDefinition created = newService("with-plans");
    PlanDetails basic = admin.createPlan(created.id(), Fixtures.plan("basic", 1, 99_000, 7));
    assertThat(basic.plan().serviceId()).isEqualTo(created.id());
    assertThat(basic.plan().active()).isTrue();
    assertThat(basic.plan().features()).containsEntry("tier", 1L);
    assertThat(basic.quota()).isEqualTo(new QuotaFigures(7, 0));
    assertThat(quota.availability(List.of("plan:" + basic.plan().id())).get(0).total())
        .isEqualTo(7);
    assertThat(admin.getPlan(created.id(), basic.plan().id())).isEqualTo(basic);
    admin.createPlan(created.id(), Fixtures.plan("pro", 2, 199_000, 3));
    assertThat(admin.listPlans(created.id()))
        .extracting(p -> p.plan().slug())
        .containsExactly("basic", "pro");
    assertThat(catalog.service().getServiceDetails("with-plans").plans()).hasSize(2);
  }

  @Test
  void createPlan_takenTierOrSlug_isConflictAndLeavesNoPool() {
    ServiceDefinition created = newService("tiers");
    admin.createPlan(created.id(), Fixtures.plan("basic", 1, 1000, 5));
    long poolsBefore = pools();

    assertThatThrownBy(() -> admin.createPlan(created.id(), Fixtures.plan("other", 1, 1000, 5)))
        .isInstanceOfSatisfying(
            CatalogConflictException.class,
            e -> assertThat(e.details()).containsEntry("field", "tier").containsEntry("tier", 1));
    assertThatThrownBy(() -> admin.createPlan(created.id(), Fixtures.plan("basic", 2, 1000, 5)))
        .isInstanceOfSatisfying(
            CatalogConflictException.class,
            e -> assertThat(e.details()).containsEntry("field", "slug"));

    assertThat(pools())
        .as("the pools defined before the plan insert failed were rolled back")
        .isEqualTo(poolsBefore);
    assertThat(admin.listPlans(created.id())).hasSize(1);
  }

  @Test
  void createPlan_otherCurrencyOrBadFields_isValidationFailed() {
    ServiceDefinition created = newService("currencies");
    admin.createPlan(created.id(), Fixtures.plan("basic", 1, 1000, 5));
    PlanDraft usd =
        new PlanDraft(
            "usd", "USD", 2, Price.monthly(500, "USD"), new Resources(1, 1, 1), 1L, Map.of());
    assertThatThrownBy(() -> admin.createPlan(created.id(), usd))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors().get("price.currency")).contains("IDR"));
    PlanDraft bad =
        new PlanDraft(
            "Bad",
            "",
            0,
            Price.monthly(1_000_000_000_000_000L + 1, "IDR"),
            new Resources(0, 0, 0),
            -1L,
            null);
    assertThatThrownBy(() -> admin.createPlan(created.id(), bad))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.fieldErrors())
                    .containsKeys(
                        "slug",
                        "name",
                        "tier",
                        "price.amount",
                        "resources.cpuMillicores",
                        "resources.memoryMiB",
                        "resources.storageGiB",
                        "quotaTotal"));
  }

  @Test
  void createPlan_unknownService_isNotFound() {
    assertThatThrownBy(() -> admin.createPlan(UUID.randomUUID(), Fixtures.plan("basic", 1, 1, 1)))
        .isInstanceOf(CatalogNotFoundException.class);
    assertThatThrownBy(() -> admin.listPlans(UUID.randomUUID()))
        .isInstanceOf(CatalogNotFoundException.class);
  }

  @Test
  void updatePlan_capacityAndFields_changeTogetherAndShowAtOnce() {
    ServiceDefinition created = newService("resize");
    PlanDetails plan = admin.createPlan(created.id(), Fixtures.plan("basic", 1, 1000, 2));
    assertThat(catalog.service().getServiceDetails("resize").plans().get(0).quota().total())
        .isEqualTo(2);
    clock.advance(Duration.ofSeconds(30));

    PlanDetails updated =
        admin.updatePlan(
            created.id(),
            plan.plan().id(),
            PlanUpdate.builder()
                .name("Basic Plus")
                .quotaTotal(12)
                .price(Price.monthly(1500, "IDR"))
                .resources(new Resources(300, 300, 3))
                .features(Map.of("backups", "daily"))
                .build());

    assertThat(updated.plan().name()).isEqualTo("Basic Plus");
    assertThat(updated.plan().price().amount().minorUnits()).isEqualTo(1500);
    assertThat(updated.plan().resources()).isEqualTo(new Resources(300, 300, 3));
    assertThat(updated.plan().features()).containsOnlyKeys("backups");
    assertThat(updated.plan().updatedAt()).isEqualTo(clock.instant());
    assertThat(updated.quota()).isEqualTo(new QuotaFigures(12, 0));
    PlanDetails shown = catalog.service().getServiceDetails("resize").plans().get(0);
    assertThat(shown.quota().total()).isEqualTo(12);
    assertThat(shown.plan().name()).isEqualTo("Basic Plus");
  }

  @Test
  void updatePlan_capacityBelowUsage_isConflictAndChangesNothing() {
    ServiceDefinition created = newService("shrink");
    PlanDetails plan = admin.createPlan(created.id(), Fixtures.plan("basic", 1, 1000, 5));
    for (int i = 0; i < 3; i++) {
      quota.allocate(
          AllocationRequest.of(
              "u" + i, "shrink-" + i, QuotaItem.of(plan.plan().quotaPoolKey(), 1)));
    }

    assertThatThrownBy(
            () ->
                admin.updatePlan(
                    created.id(),
                    plan.plan().id(),
                    PlanUpdate.builder().name("Renamed").quotaTotal(2).build()))
        .isInstanceOfSatisfying(
            CatalogConflictException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
              assertThat(e.details())
                  .containsEntry("used", 3L)
                  .containsEntry("requestedQuotaTotal", 2L)
                  .containsEntry("planSlug", "basic");
            });

    PlanDetails after = admin.getPlan(created.id(), plan.plan().id());
    assertThat(after.plan().name())
        .as("the rename rolled back with the capacity")
        .isEqualTo("Basic");
    assertThat(after.quota()).isEqualTo(new QuotaFigures(5, 3));
    assertThat(
            admin
                .updatePlan(
                    created.id(), plan.plan().id(), PlanUpdate.builder().quotaTotal(3).build())
                .quota())
        .isEqualTo(new QuotaFigures(3, 3));
  }

  @Test
  void updatePlan_deactivate_hidesItFromTheCatalogOnly() {
    ServiceDefinition created = newService("retire");
    PlanDetails basic = admin.createPlan(created.id(), Fixtures.plan("basic", 1, 1000, 5));
    admin.createPlan(created.id(), Fixtures.plan("pro", 2, 2000, 5));
    admin.updatePlan(created.id(), basic.plan().id(), PlanUpdate.builder().active(false).build());
    assertThat(catalog.service().getServiceDetails("retire").plans())
        .extracting(p -> p.plan().slug())
        .containsExactly("pro");
    assertThat(admin.listPlans(created.id())).hasSize(2);
    admin.updatePlan(created.id(), basic.plan().id(), PlanUpdate.builder().active(true).build());
    assertThat(catalog.service().getServiceDetails("retire").plans()).hasSize(2);
  }

  @Test
  void updatePlan_takenTierUnknownPlanOrOtherCurrency_areRefused() {
    ServiceDefinition created = newService("plan-guards");
    ServiceDefinition other = newService("plan-guards-other");
    PlanDetails basic = admin.createPlan(created.id(), Fixtures.plan("basic", 1, 1000, 5));
    admin.createPlan(created.id(), Fixtures.plan("pro", 2, 2000, 5));
    UUID basicId = basic.plan().id();
    assertThatThrownBy(
            () -> admin.updatePlan(created.id(), basicId, PlanUpdate.builder().tier(2).build()))
        .isInstanceOf(CatalogConflictException.class);
    assertThatThrownBy(
            () -> admin.updatePlan(created.id(), basicId, PlanUpdate.builder().slug("pro").build()))
        .isInstanceOf(CatalogConflictException.class);
    assertThatThrownBy(
            () ->
                admin.updatePlan(
                    created.id(),
                    basicId,
                    PlanUpdate.builder().price(Price.monthly(1, "USD")).build()))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("price.currency"));
    assertThatThrownBy(
            () -> admin.updatePlan(other.id(), basicId, PlanUpdate.builder().name("x").build()))
        .isInstanceOf(CatalogNotFoundException.class);
    assertThatThrownBy(() -> admin.getPlan(created.id(), UUID.randomUUID()))
        .isInstanceOf(CatalogNotFoundException.class);
    assertThatThrownBy(
            () ->
                admin.updatePlan(
                    created.id(), basicId, PlanUpdate.builder().quotaTotal(-1).tier(0).build()))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("tier", "quotaTotal"));
    // The only plan of a service may change currency and billing interval.
    ServiceDefinition single = newService("single-plan");
    PlanDetails only = admin.createPlan(single.id(), Fixtures.plan("basic", 1, 1000, 5));
    Price changed =
        admin
            .updatePlan(
                single.id(),
                only.plan().id(),
                PlanUpdate.builder().price(Price.yearly(5, "USD")).build())
            .plan()
            .price();
    assertThat(changed.amount().currency().getCurrencyCode()).isEqualTo("USD");
    assertThat(changed.interval()).isEqualTo(BillingInterval.YEARLY);
  }

  @Test
  void createAndUpdatePlan_anotherBillingInterval_isValidationFailedNamingTheField() {
    ServiceDefinition created = newService("intervals");
    PlanDetails basic = admin.createPlan(created.id(), Fixtures.plan("basic", 1, 1000, 5));
    PlanDraft yearly =
        new PlanDraft(
            "pro", "Pro", 2, Price.yearly(20_000, "IDR"), new Resources(1, 1, 1), 1L, Map.of());

    assertThatThrownBy(() -> admin.createPlan(created.id(), yearly))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("price.interval"));
    admin.createPlan(
        created.id(),
        new PlanDraft(
            "pro", "Pro", 2, Price.monthly(2000, "IDR"), new Resources(1, 1, 1), 1L, Map.of()));
    assertThatThrownBy(
            () ->
                admin.updatePlan(
                    created.id(),
                    basic.plan().id(),
                    PlanUpdate.builder().price(Price.yearly(10_000, "IDR")).build()))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors().get("price.interval")).contains("MONTHLY"));
    assertThat(admin.listPlans(created.id()))
        .allMatch(p -> p.plan().price().interval() == BillingInterval.MONTHLY);
  }

  @Test
  void createAndUpdatePlan_currencyBillingRefuses_isValidationFailedAndNothingIsWritten() {
    ServiceDefinition gold = newService("gold");
    long poolsBefore = pools();
    for (String code : List.of("XAU", "XXX")) {
      PlanDraft draft =
          new PlanDraft(
              "bar", "Bar", 1, Price.monthly(1, code), new Resources(1, 1, 1), 1L, Map.of());
      assertThatThrownBy(() -> admin.createPlan(gold.id(), draft))
          .as(code)
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                assertThat(e.fieldErrors()).containsOnlyKeys("price.currency");
                assertThat(e.fieldErrors().get("price.currency")).contains(code);
              });
    }
    assertThat(admin.listPlans(gold.id())).isEmpty();
    assertThat(pools()).as("no pool was defined for a refused plan").isEqualTo(poolsBefore);

    PlanDetails basic = admin.createPlan(gold.id(), Fixtures.plan("basic", 1, 1000, 5));
    assertThatThrownBy(
            () ->
                admin.updatePlan(
                    gold.id(),
                    basic.plan().id(),
                    PlanUpdate.builder().price(Price.monthly(1, "XAU")).build()))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsKey("price.currency"));
    assertThat(admin.getPlan(gold.id(), basic.plan().id()).plan().price())
        .isEqualTo(Price.monthly(1000, "IDR"));
  }

  @Test
  void createPlan_currencyWithAConfiguredScale_isAcceptedAsBillingWouldBe() {
    CurrencyScales scales = CurrencyScales.iso4217().withScale("XAU", 3);
    try (Catalog goldCatalog =
        Catalog.builder(db.dataSource(), quota)
            .listenForChanges(false)
            .currencyScales(scales)
            .build()) {
      assertThat(goldCatalog.admin().currencyScales()).isEqualTo(scales);
      ServiceDefinition bullion =
          goldCatalog
              .admin()
              .createService(Fixtures.service("bullion", "Bullion", "apps", "Gold by the gram."));
      PlanDraft gram =
          new PlanDraft(
              "gram", "Gram", 1, Price.monthly(1_000, "XAU"), new Resources(1, 1, 1), 1L, Map.of());
      assertThat(goldCatalog.admin().createPlan(bullion.id(), gram).plan().price())
          .isEqualTo(Price.monthly(1_000, "XAU"));
    }
    assertThat(admin.currencyScales()).isEqualTo(CurrencyScales.iso4217());
  }

  @Test
  void listPlans_serviceWithoutPlans_isEmpty() {
    assertThat(admin.listPlans(newService("no-plans").id())).isEmpty();
    assertThat(pools()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void timestamps_comeFromTheInjectedClock() {
    clock.set(Instant.parse("2027-03-01T00:00:00Z"));
    ServiceDefinition created = newService("clocked");
    assertThat(created.createdAt()).isEqualTo(Instant.parse("2027-03-01T00:00:00Z"));
    PlanDetails plan = admin.createPlan(created.id(), Fixtures.plan("basic", 1, 1, 1));
    assertThat(plan.plan().createdAt()).isEqualTo(Instant.parse("2027-03-01T00:00:00Z"));
  }

  @Test
  void anyCall_databaseUnreachable_isInternalErrorNamingNoSql() throws Exception {
    javax.sql.DataSource pool = db.newDataSource(1);
    try (Catalog broken = Catalog.builder(pool, quota).listenForChanges(false).build()) {
      ((AutoCloseable) pool).close();
      for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call :
          List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
              () -> broken.admin().listCategories(),
              () -> broken.admin().createCategory(Fixtures.category("unreachable", "U", 1)),
              () -> broken.service().getServiceCategories(),
              () -> broken.service().searchServices(SearchQuery.builder().text("x").build()))) {
        assertThatThrownBy(call)
            .isInstanceOfSatisfying(
                io.minispod.MinisPodException.class,
                e -> {
                  assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                  assertThat(e.getMessage())
                      .startsWith("The catalog store failed")
                      .doesNotContainIgnoringCase("select");
                });
      }
      // Telling other nodes is best effort: the caller's change is already committed.
      broken.port().quotaChanged(List.of(UUID.randomUUID()));
    }
  }

  @Test
  void utilisation_everyPlanHasItsPool() {
    ServiceDefinition created = newService("pooled");
    PlanDetails plan = admin.createPlan(created.id(), Fixtures.plan("basic", 1, 1, 4));
    assertThat(quota.utilisation())
        .filteredOn(p -> p.poolKey().equals(plan.plan().quotaPoolKey()))
        .singleElement()
        .extracting(PoolUtilisation::capacity)
        .isEqualTo(4L);
  }
}
