package io.minispod.broker;

import io.minispod.billing.Price;
import io.minispod.catalog.CatalogService;
import io.minispod.catalog.Page;
import io.minispod.catalog.Plan;
import io.minispod.catalog.PlanDetails;
import io.minispod.catalog.SearchQuery;
import io.minispod.catalog.SearchSort;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.ServiceDetails;
import io.minispod.catalog.ServiceSummary;
import io.minispod.subscription.UpgradePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The catalog as {@code GET /v2/catalog} shows it, from the catalog's caches. */
final class Offerings {

  private static final int PAGE_SIZE = 100;

  private final CatalogService catalog;
  private final boolean bindable;
  private final UpgradePolicy policy;

  Offerings(CatalogService catalog, boolean bindable, UpgradePolicy policy) {
    this.catalog = catalog;
    this.bindable = bindable;
    this.policy = policy;
  }

  List<ServiceOffering> all() {
    List<ServiceOffering> offerings = new ArrayList<>();
    for (int page = 1; ; page++) {
      Page<ServiceSummary> services =
          catalog.searchServices(
              SearchQuery.builder().sort(SearchSort.NAME).page(page, PAGE_SIZE).build());
      for (ServiceSummary summary : services.items()) {
        ServiceDetails details = catalog.getServiceDetails(summary.slug());
        // The spec requires at least one plan per offering.
        if (!details.plans().isEmpty()) {
          offerings.add(offering(details));
        }
      }
      if (page >= services.totalPages()) {
        return offerings;
      }
    }
  }

  private ServiceOffering offering(ServiceDetails details) {
    ServiceDefinition service = details.service();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("displayName", service.name());
    metadata.put("category", service.category().slug());
    return new ServiceOffering(
        service.id().toString(),
        service.slug(),
        service.description().isBlank() ? service.name() : service.description(),
        service.tags(),
        bindable,
        true,
        bindable,
        true,
        metadata,
        details.plans().stream().map(p -> plan(service, p, details.plans())).toList());
  }

  /**
   * A plan as the platform sees it: {@code plan_updateable} when the subscription's {@link
   * UpgradePolicy} allows a change from it to another plan of the service (now or at the end of the
   * term), and the plans it may move to in its metadata.
   */
  private ServicePlan plan(ServiceDefinition service, PlanDetails details, List<PlanDetails> all) {
    Plan plan = details.plan();
    Price price = plan.price();
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("displayName", plan.name());
    metadata.put("tier", plan.tier());
    metadata.put(
        "price",
        Map.of(
            "amount", price.amount().minorUnits(),
            "currency", price.amount().currency().getCurrencyCode(),
            "interval", price.interval().name()));
    metadata.put(
        "resources",
        Map.of(
            "cpuMillicores", plan.resources().cpuMillicores(),
            "memoryMiB", plan.resources().memoryMiB(),
            "storageGiB", plan.resources().storageGiB()));
    metadata.put(
        "quota",
        Map.of("total", details.quota().total(), "available", details.quota().available()));
    List<String> changesTo =
        all.stream()
            .map(PlanDetails::plan)
            .filter(target -> policy.evaluate(plan, target).allowed())
            .map(Plan::slug)
            .toList();
    metadata.put("changesTo", changesTo);
    String description =
        "%s plan of %s: %d millicores of CPU, %d MiB of memory, %d GiB of storage"
            .formatted(
                plan.name(),
                service.name(),
                plan.resources().cpuMillicores(),
                plan.resources().memoryMiB(),
                plan.resources().storageGiB());
    return new ServicePlan(
        plan.id().toString(),
        plan.slug(),
        description,
        price.amount().minorUnits() == 0,
        !changesTo.isEmpty(),
        metadata);
  }
}
