package io.minispod.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ValidationException;
import io.minispod.billing.Price;
import io.minispod.catalog.template.Resources;
import io.minispod.quota.QuotaManager;
import io.minispod.testkit.FreshDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Search's price filter and price sort over services priced in three currencies, on a real
 * database: amounts of one currency are never compared with another's. The smallest numbers are
 * deliberately in the currency with the smallest unit (IDR 500 is worth far less than USD 9.00).
 */
final class CatalogPriceSearchIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static QuotaManager quota;
  private static Catalog catalog;

  @BeforeAll
  static void loadCatalog() {
    quota = QuotaManager.builder(db.dataSource()).build();
    catalog = Catalog.builder(db.dataSource(), quota).listenForChanges(false).build();
    CatalogAdmin admin = catalog.admin();
    admin.createCategory(Fixtures.category("priced", "Priced", 1));
    priced("a-rupiah-small", Price.monthly(500, "IDR"), Price.monthly(90_000, "IDR"));
    priced("b-rupiah-yearly", Price.yearly(120_000, "IDR")); // 10,000 a month
    priced("c-rupiah-large", Price.monthly(30_000, "IDR"));
    priced("d-dollar-cheap", Price.monthly(900, "USD"));
    priced("e-dollar-dear", Price.monthly(4_900, "USD"));
    priced("f-euro", Price.monthly(1_500, "EUR"));
    priced("g-planless");
    // Its only cheap dollar plan is inactive; what is sold costs USD 99.00.
    PlanDetails retired = priced("h-dollar-retired", Price.monthly(100, "USD")).get(0);
    admin.updatePlan(
        retired.plan().serviceId(),
        retired.plan().id(),
        PlanUpdate.builder().active(false).build());
    admin.createPlan(retired.plan().serviceId(), plan("pro", 2, Price.monthly(9_900, "USD")));
  }

  @AfterAll
  static void close() {
    catalog.close();
    quota.close();
  }

  private static List<PlanDetails> priced(String slug, Price... prices) {
    ServiceDefinition service =
        catalog.admin().createService(Fixtures.service(slug, slug, "priced", "About " + slug));
    List<PlanDetails> plans = new java.util.ArrayList<>();
    for (int i = 0; i < prices.length; i++) {
      plans.add(catalog.admin().createPlan(service.id(), plan("plan-" + i, i + 1, prices[i])));
    }
    return plans;
  }

  private static PlanDraft plan(String slug, int tier, Price price) {
    return new PlanDraft(slug, slug, tier, price, new Resources(100, 128, 1), 5L, Map.of());
  }

  private static List<String> slugs(SearchQuery.Builder query) {
    return catalog
        .service()
        .searchServices(query.category("priced").page(1, 100).build())
        .items()
        .stream()
        .map(ServiceSummary::slug)
        .toList();
  }

  @Test
  void maxPrice_inOneCurrency_neverMatchesASmallerNumberOfAnother() {
    assertThat(slugs(SearchQuery.builder().maxPrice(1_000L).currency("USD")))
        .as("IDR 500 and EUR 15.00 are not under USD 10.00")
        .containsExactly("d-dollar-cheap");
    assertThat(slugs(SearchQuery.builder().maxPrice(10_000L).currency("IDR")))
        .as("monthly equivalents in IDR only")
        .containsExactly("a-rupiah-small", "b-rupiah-yearly");
    assertThat(slugs(SearchQuery.builder().maxPrice(1_500L).currency("EUR")))
        .containsExactly("f-euro");
    assertThat(slugs(SearchQuery.builder().maxPrice(1_499L).currency("EUR"))).isEmpty();
  }

  @Test
  void maxPrice_onlyActivePlansCount() {
    assertThat(slugs(SearchQuery.builder().maxPrice(5_000L).currency("USD")))
        .containsExactly("d-dollar-cheap", "e-dollar-dear");
    assertThat(slugs(SearchQuery.builder().maxPrice(9_900L).currency("USD")))
        .containsExactly("d-dollar-cheap", "e-dollar-dear", "h-dollar-retired");
  }

  @Test
  void currency_alone_keepsTheServicesPricedInIt() {
    assertThat(slugs(SearchQuery.builder().currency("EUR"))).containsExactly("f-euro");
    assertThat(slugs(SearchQuery.builder().currency("IDR")))
        .containsExactly("a-rupiah-small", "b-rupiah-yearly", "c-rupiah-large");
    assertThat(slugs(SearchQuery.builder().currency("JPY"))).isEmpty();
  }

  @Test
  void maxPrice_withoutCurrency_isRefusedNamingCurrency() {
    assertThatThrownBy(() -> slugs(SearchQuery.builder().maxPrice(1_000L)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("currency"));
  }

  @Test
  void sortByPrice_groupsByCurrencyThenCheapestActivePlanWithPlanlessLast() {
    assertThat(slugs(SearchQuery.builder().sort(SearchSort.PRICE)))
        .containsExactly(
            "f-euro",
            "a-rupiah-small",
            "b-rupiah-yearly",
            "c-rupiah-large",
            "d-dollar-cheap",
            "e-dollar-dear",
            "h-dollar-retired",
            "g-planless");
  }

  @Test
  void sortByPrice_withinOneCurrency_ordersByMonthlyEquivalent() {
    assertThat(slugs(SearchQuery.builder().currency("USD").sort(SearchSort.PRICE)))
        .containsExactly("d-dollar-cheap", "e-dollar-dear", "h-dollar-retired");
    assertThat(slugs(SearchQuery.builder().currency("IDR").text("rupiah").sort(SearchSort.PRICE)))
        .containsExactly("a-rupiah-small", "b-rupiah-yearly", "c-rupiah-large");
  }
}
