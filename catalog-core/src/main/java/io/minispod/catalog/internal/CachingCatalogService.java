package io.minispod.catalog.internal;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.ValidationException;
import io.minispod.catalog.CatalogNotFoundException;
import io.minispod.catalog.CatalogService;
import io.minispod.catalog.Page;
import io.minispod.catalog.PageRequest;
import io.minispod.catalog.Plan;
import io.minispod.catalog.PlanDetails;
import io.minispod.catalog.QuotaFigures;
import io.minispod.catalog.SearchQuery;
import io.minispod.catalog.SearchSort;
import io.minispod.catalog.ServiceCategory;
import io.minispod.catalog.ServiceDetails;
import io.minispod.catalog.ServiceStructure;
import io.minispod.catalog.ServiceSummary;
import io.minispod.quota.PoolAvailability;
import io.minispod.quota.QuotaManager;
import io.minispod.quota.UnknownPoolException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/** The public catalog, served from {@link CatalogCaches} and loaded from the database on misses. */
final class CachingCatalogService implements CatalogService {

  private final DSLContext dsl;
  private final CatalogStore store;
  private final CatalogCaches caches;
  private final QuotaManager quota;

  CachingCatalogService(
      DSLContext dsl, CatalogStore store, CatalogCaches caches, QuotaManager quota) {
    this.dsl = dsl;
    this.store = store;
    this.caches = caches;
    this.quota = quota;
  }

  @Override
  public List<ServiceCategory> getServiceCategories() {
    return caches.categories(all -> read(store::categories));
  }

  @Override
  public Page<ServiceSummary> getServicesByCategory(String categorySlug, PageRequest page) {
    Objects.requireNonNull(page, "page");
    checkSlug("categorySlug", categorySlug);
    if (getServiceCategories().stream().noneMatch(c -> c.slug().equals(categorySlug))) {
      throw CatalogNotFoundException.category(categorySlug);
    }
    List<UUID> found =
        caches.search(
            new CatalogStore.SearchKey(List.of(), categorySlug, null, null, null, SearchSort.NAME),
            this::search);
    return page(hits(found.subList(from(found, page), to(found, page))), found.size(), page);
  }

  @Override
  public ServiceDetails getServiceDetails(String serviceSlug) {
    checkSlug("serviceSlug", serviceSlug);
    if (!CatalogValidation.isSlug(serviceSlug)) {
      throw CatalogNotFoundException.service(serviceSlug);
    }
    ServiceStructure structure =
        caches
            .service(
                serviceSlug,
                slug -> read(db -> store.activeServices(db, List.of(slug))).stream().findFirst())
            .orElseThrow(() -> CatalogNotFoundException.service(serviceSlug));
    List<Plan> active = structure.activePlans();
    List<UUID> planIds = new ArrayList<>(active.size());
    for (Plan plan : active) {
      planIds.add(plan.id());
    }
    Map<UUID, QuotaFigures> figures = quotaFigures(planIds);
    List<PlanDetails> plans = new ArrayList<>(active.size());
    for (Plan plan : active) {
      plans.add(new PlanDetails(plan, figures.get(plan.id())));
    }
    return new ServiceDetails(structure.definition(), plans);
  }

  @Override
  public Page<ServiceSummary> searchServices(SearchQuery query) {
    Objects.requireNonNull(query, "query");
    PageRequest page = query.page();
    CatalogStore.SearchKey key = CatalogStore.SearchKey.of(query);
    if (query.text() != null && key.words().isEmpty()) {
      // Text without a single letter or digit ("%", "'--") matches nothing.
      return new Page<>(List.of(), page.page(), page.size(), 0);
    }
    List<UUID> found = caches.search(key, this::search);
    if (!query.available() && query.sort() != SearchSort.POPULARITY) {
      return page(hits(found.subList(from(found, page), to(found, page))), found.size(), page);
    }
    List<SearchHit> matches = hits(found);
    List<UUID> planIds = new ArrayList<>();
    for (SearchHit hit : matches) {
      planIds.addAll(hit.planIds());
    }
    Map<UUID, QuotaFigures> figures = quotaFigures(planIds);
    if (query.available()) {
      matches.removeIf(
          hit ->
              hit.plans().stream()
                  .noneMatch(p -> p.active() && figures.get(p.id()).available() > 0));
    }
    if (query.sort() == SearchSort.POPULARITY) {
      // Stable: equally popular services keep their order by name.
      matches.sort(
          Comparator.comparingLong(
              (SearchHit hit) ->
                  -hit.plans().stream().mapToLong(p -> figures.get(p.id()).used()).sum()));
    }
    return page(matches.subList(from(matches, page), to(matches, page)), matches.size(), page);
  }

  private List<UUID> search(CatalogStore.SearchKey key) {
    return read(db -> store.search(db, key));
  }

  /** The hits of services in the order given; services gone since (archived) are left out. */
  private List<SearchHit> hits(List<UUID> serviceIds) {
    Map<UUID, SearchHit> byId =
        caches.hits(serviceIds, missing -> read(db -> store.hits(db, missing)));
    List<SearchHit> hits = new ArrayList<>(serviceIds.size());
    for (UUID id : serviceIds) {
      SearchHit hit = byId.get(id);
      if (hit != null) {
        hits.add(hit);
      }
    }
    return hits;
  }

  private static int from(List<?> all, PageRequest page) {
    return (int) Math.min(page.offset(), all.size());
  }

  private static int to(List<?> all, PageRequest page) {
    return (int) Math.min(page.offset() + page.size(), all.size());
  }

  private static Page<ServiceSummary> page(List<SearchHit> items, long total, PageRequest page) {
    List<ServiceSummary> summaries = new ArrayList<>(items.size());
    for (SearchHit hit : items) {
      summaries.add(hit.summary());
    }
    return new Page<>(summaries, page.page(), page.size(), total);
  }

  /** Quota figures of plans, from the cache or, for those missing, read live in one call. */
  Map<UUID, QuotaFigures> quotaFigures(List<UUID> planIds) {
    if (planIds.isEmpty()) {
      return Map.of();
    }
    return caches.quota(planIds, this::loadQuota);
  }

  private Map<UUID, QuotaFigures> loadQuota(List<UUID> planIds) {
    List<String> keys = new ArrayList<>(planIds.size());
    for (UUID planId : planIds) {
      keys.add(Plan.poolKey(planId));
    }
    List<PoolAvailability> pools;
    try {
      pools = quota.availability(keys);
    } catch (UnknownPoolException e) {
      throw new MinisPodException(
          ErrorCode.INTERNAL_ERROR,
          "A plan has no quota pool: " + e.poolKey(),
          Map.of("poolKey", e.poolKey()),
          e);
    }
    Map<UUID, QuotaFigures> figures = new HashMap<>(planIds.size() * 2);
    for (int i = 0; i < planIds.size(); i++) {
      PoolAvailability pool = pools.get(i);
      figures.put(planIds.get(i), new QuotaFigures(pool.total(), pool.used()));
    }
    return figures;
  }

  private <T> T read(Function<DSLContext, T> query) {
    try {
      return query.apply(dsl);
    } catch (DataAccessException e) {
      throw DatabaseFailures.internal(e);
    }
  }

  private static void checkSlug(String field, String slug) {
    if (slug == null || slug.isEmpty()) {
      throw ValidationException.of(field, "is required");
    }
    if (slug.length() > CatalogValidation.MAX_SLUG_LENGTH) {
      throw ValidationException.of(
          field,
          "must be at most "
              + CatalogValidation.MAX_SLUG_LENGTH
              + " characters, was "
              + slug.length());
    }
  }
}
