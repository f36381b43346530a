package io.minispod.catalog;

import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * What code that sells the catalog reads of it: the subscription side, a service broker. It is the
 * one door from those into the catalog, narrow on purpose: services and their plans by slug or id,
 * and the signal that some plans' quota usage changed. Plans name their quota pool themselves
 * ({@link Plan#quotaPoolKey()}).
 *
 * <p>Reads come from the same caches that {@link CatalogService} serves browsers from, so what a
 * node sells is what it shows. Get it with {@link Catalog#port()}.
 */
public interface CatalogPort {

  /**
   * An active service with all its plans, active or not.
   *
   * @param slug the service's slug
   * @return the service, or empty if no active service has that slug
   */
  Optional<ServiceStructure> activeService(String slug);

  /**
   * Any service with all its plans, archived or not: subscriptions outlive what the catalog offers.
   *
   * @param serviceId the service's id
   * @return the service
   * @throws CatalogNotFoundException if there is no such service
   */
  ServiceStructure service(UUID serviceId);

  /**
   * A plan of a service, active or not.
   *
   * @param serviceId the service's id
   * @param planId the plan's id
   * @return the plan
   * @throws CatalogNotFoundException if the service has no such plan
   */
  default Plan plan(UUID serviceId, UUID planId) {
    return service(serviceId)
        .plan(planId)
        .orElseThrow(() -> CatalogNotFoundException.plan(serviceId, planId));
  }

  /**
   * Tells the catalog that the usage of some plans changed: call it right after the transaction
   * that allocated, released or swapped their quota committed. It drops this node's cached figures
   * of those plans at once, so the next read here is fresh, and tells the other nodes to do the
   * same. A failure to tell them is logged, not thrown: the change is committed, and other nodes'
   * figures then expire with the quota cache expiry.
   *
   * @param planIds the plans whose pools changed
   */
  void quotaChanged(Collection<UUID> planIds);
}
