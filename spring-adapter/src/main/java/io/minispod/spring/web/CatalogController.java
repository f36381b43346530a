package io.minispod.spring.web;

import io.minispod.FieldErrors;
import io.minispod.catalog.CatalogService;
import io.minispod.catalog.Page;
import io.minispod.catalog.PageRequest;
import io.minispod.catalog.SearchQuery;
import io.minispod.catalog.SearchSort;
import io.minispod.catalog.ServiceSummary;
import io.minispod.spring.web.Views.CategoryView;
import io.minispod.spring.web.Views.ServiceDetailsView;
import io.minispod.spring.web.Views.ServiceSummaryView;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public catalog: categories, services of a category, one service, search. Search's {@code
 * maxPrice} (minor units) needs {@code currency} (an ISO 4217 code): prices are compared only
 * within one currency, so {@code maxPrice} without it is a 400 naming {@code currency}; {@code
 * currency} alone keeps the services priced in it, and {@code sort=price} groups services by
 * currency, cheapest first within each.
 */
@RestController
@RequestMapping("/api/catalog")
class CatalogController {

  private final CatalogService catalog;

  CatalogController(CatalogService catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/categories")
  Map<String, Object> categories() {
    return Envelope.ok(catalog.getServiceCategories().stream().map(CategoryView::of).toList());
  }

  @GetMapping("/categories/{categorySlug}/services")
  Map<String, Object> servicesOfCategory(
      @PathVariable String categorySlug,
      @RequestParam(defaultValue = "1") int page,
      @RequestParam(defaultValue = "20") int size) {
    PageRequest request = Pages.of(page, size);
    return page(catalog.getServicesByCategory(categorySlug, request));
  }

  @GetMapping("/services/{serviceSlug}")
  Map<String, Object> service(@PathVariable String serviceSlug) {
    return Envelope.ok(ServiceDetailsView.of(catalog.getServiceDetails(serviceSlug)));
  }

  @GetMapping("/search")
  Map<String, Object> search(
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String category,
      @RequestParam(required = false) String tag,
      @RequestParam(required = false) Long maxPrice,
      @RequestParam(required = false) String currency,
      @RequestParam(defaultValue = "false") boolean available,
      @RequestParam(required = false) String sort,
      @RequestParam(defaultValue = "1") int page,
      @RequestParam(defaultValue = "20") int size) {
    Pages.of(page, size);
    SearchQuery query =
        SearchQuery.builder()
            .text(blankToNull(q))
            .category(blankToNull(category))
            .tag(blankToNull(tag))
            .maxPrice(maxPrice)
            .currency(blankToNull(currency))
            .available(available)
            .sort(sort(sort))
            .page(page, size)
            .build();
    return page(catalog.searchServices(query));
  }

  private static SearchSort sort(String sort) {
    if (sort == null || sort.isBlank()) {
      return SearchSort.RELEVANCE;
    }
    try {
      return SearchSort.valueOf(sort.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      FieldErrors errors = new FieldErrors();
      errors.require(false, "sort", "must be name, price, popularity or relevance");
      errors.throwIfAny();
      throw e;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static Map<String, Object> page(Page<ServiceSummary> page) {
    return Envelope.page(
        page.items().stream().map(ServiceSummaryView::of).toList(),
        page.page(),
        page.size(),
        page.total());
  }
}
