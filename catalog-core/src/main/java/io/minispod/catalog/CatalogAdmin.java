package io.minispod.catalog;

import io.minispod.billing.CurrencyScales;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Managing the catalog: categories, services and plans. Reads here always go to the database
 * (archived services included); every write is one transaction, drops this node's caches when it
 * commits and tells the other nodes through PostgreSQL NOTIFY.
 *
 * <p>Input is validated whole: a {@link io.minispod.ValidationException} names every bad field at
 * once, by its path ({@code slug}, {@code template.port}, {@code price.currency}, {@code
 * tags[2]}…). Nothing is ever deleted: services are archived and plans deactivated, so that
 * existing subscriptions keep referring to them.
 *
 * <p>A price is in minor units of its currency at the {@linkplain #currencyScales() scales} the
 * catalog was built with, which must be those of the billing service that charges for it: a
 * currency billing would refuse (one without a minor unit in ISO 4217, such as XAU or XXX, unless a
 * scale is configured for it) is a {@code VALIDATION_FAILED} on {@code price.currency}.
 */
public interface CatalogAdmin {

  /**
   * Creates a category.
   *
   * @param draft the category
   * @return it, with a service count of 0
   * @throws io.minispod.ValidationException naming every bad field
   * @throws CatalogConflictException if the slug is taken
   */
  ServiceCategory createCategory(CategoryDraft draft);

  /**
   * Every category, read from the database.
   *
   * @return the categories by display order, then name, with their active service counts
   */
  List<ServiceCategory> listCategories();

  /**
   * One page of every service, archived ones included, by name.
   *
   * @param page which page
   * @return the page
   */
  Page<ServiceDefinition> listServices(PageRequest page);

  /**
   * One service, archived or not.
   *
   * @param serviceId its id
   * @return the service
   * @throws CatalogNotFoundException if there is no such service
   */
  ServiceDefinition getService(UUID serviceId);

  /**
   * One service by slug, archived or not.
   *
   * @param slug its slug
   * @return the service, or empty if there is none
   */
  Optional<ServiceDefinition> findService(String slug);

  /**
   * Creates an active service.
   *
   * @param draft the service
   * @return it as stored
   * @throws io.minispod.ValidationException naming every bad field, an unknown category included
   * @throws CatalogConflictException if the slug is taken
   */
  ServiceDefinition createService(ServiceDraft draft);

  /**
   * Changes a service; the catalog reflects it at once.
   *
   * @param serviceId its id
   * @param update the fields to change
   * @return it as stored
   * @throws CatalogNotFoundException if there is no such service
   * @throws io.minispod.ValidationException naming every bad field
   * @throws CatalogConflictException if a new slug is taken
   */
  ServiceDefinition updateService(UUID serviceId, ServiceUpdate update);

  /**
   * Archives a service: it leaves the catalog and takes no new subscriptions, while existing
   * subscriptions and instances keep running. Archiving an archived service changes nothing.
   *
   * @param serviceId its id
   * @return it as stored
   * @throws CatalogNotFoundException if there is no such service
   */
  ServiceDefinition archiveService(UUID serviceId);

  /**
   * Brings an archived service back into the catalog. Restoring an active service changes nothing.
   *
   * @param serviceId its id
   * @return it as stored
   * @throws CatalogNotFoundException if there is no such service
   */
  ServiceDefinition restoreService(UUID serviceId);

  /**
   * Every plan of a service, inactive ones included, by tier, with live quota figures.
   *
   * @param serviceId the service's id
   * @return its plans
   * @throws CatalogNotFoundException if there is no such service
   */
  List<PlanDetails> listPlans(UUID serviceId);

  /**
   * One plan with live quota figures.
   *
   * @param serviceId the service's id
   * @param planId the plan's id
   * @return the plan
   * @throws CatalogNotFoundException if the service has no such plan
   */
  PlanDetails getPlan(UUID serviceId, UUID planId);

  /**
   * Creates an active plan and its quota pool {@code plan:<id>} in one transaction.
   *
   * @param serviceId the service's id (archived services may get plans too)
   * @param draft the plan
   * @return it, with its quota figures
   * @throws CatalogNotFoundException if there is no such service
   * @throws io.minispod.ValidationException naming every bad field, a currency other than that of
   *     the service's other plans and a currency without a {@linkplain #currencyScales() scale}
   *     included
   * @throws CatalogConflictException if the slug or the tier is taken within the service
   */
  PlanDetails createPlan(UUID serviceId, PlanDraft draft);

  /**
   * Changes a plan and, when {@code quotaTotal} is given, its pool's capacity, in one transaction.
   *
   * @param serviceId the service's id
   * @param planId the plan's id
   * @param update the fields to change
   * @return it, with its quota figures
   * @throws CatalogNotFoundException if the service has no such plan
   * @throws io.minispod.ValidationException naming every bad field, a new price in another currency
   *     than the service's other plans or in a currency without a {@linkplain #currencyScales()
   *     scale} included
   * @throws CatalogConflictException if a new slug or tier is taken, or the new quota total is
   *     below what the plan's subscriptions use (then nothing changes)
   */
  PlanDetails updatePlan(UUID serviceId, UUID planId, PlanUpdate update);

  /**
   * The currency scales prices are checked against and the {@linkplain CatalogSeed seed} converts
   * its prices with: those given to {@link CatalogBuilder#currencyScales}, by default ISO 4217's.
   *
   * @return the scales
   */
  CurrencyScales currencyScales();
}
