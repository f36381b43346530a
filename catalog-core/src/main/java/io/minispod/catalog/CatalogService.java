package io.minispod.catalog;

import java.util.List;

/**
 * The public catalog: what anyone may browse. Archived services are invisible here, and only active
 * plans are shown.
 *
 * <p>Answers come from bounded caches, dropped on every catalog change (on this node at once, on
 * other nodes within a second through PostgreSQL LISTEN/NOTIFY). Quota figures are never stale on
 * the node that changed them (see {@link Catalog}); a cached {@link #getServiceDetails} makes no
 * database call at all. Database failures surface as {@link io.minispod.MinisPodException} with
 * code {@code INTERNAL_ERROR}.
 */
public interface CatalogService {

  /**
   * Every category, with the number of active services it lists (empty categories included).
   *
   * @return the categories by display order, then name
   */
  List<ServiceCategory> getServiceCategories();

  /**
   * One page of a category's active services, by name.
   *
   * @param categorySlug the category's slug
   * @param page which page
   * @return the page, with the category's total
   * @throws CatalogNotFoundException if there is no such category
   * @throws io.minispod.ValidationException if the slug is missing or longer than 63 characters
   */
  Page<ServiceSummary> getServicesByCategory(String categorySlug, PageRequest page);

  /**
   * One active service with its active plans (by tier) and each plan's live quota figures.
   *
   * @param serviceSlug the service's slug
   * @return the details
   * @throws CatalogNotFoundException if there is no such service or it is archived
   * @throws io.minispod.ValidationException if the slug is missing or longer than 63 characters
   */
  ServiceDetails getServiceDetails(String serviceSlug);

  /**
   * Searches active services; see {@link SearchQuery} for how text matches.
   *
   * @param query what to find, how to sort it and which page to return
   * @return the page, with the total number of matches
   */
  Page<ServiceSummary> searchServices(SearchQuery query);
}
