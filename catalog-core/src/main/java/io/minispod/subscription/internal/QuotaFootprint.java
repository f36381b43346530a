package io.minispod.subscription.internal;

import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.Plan;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Companion;
import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.ResourceLimits;
import io.minispod.quota.QuotaConflictException;
import io.minispod.quota.QuotaItem;
import io.minispod.quota.QuotaOperations;
import io.minispod.subscription.QuotaPools;
import java.util.ArrayList;
import java.util.List;

/**
 * What a subscription holds in quota-core: a slot of its plan, one of its user's instances, and the
 * cluster resources its instance takes (the plan's plus its companions').
 */
final class QuotaFootprint {

  private final CatalogPort catalog;

  QuotaFootprint(CatalogPort catalog) {
    this.catalog = catalog;
  }

  /** What a subscription of a user to a plan holds. */
  List<QuotaItem> items(String userId, Plan plan) {
    ResourceLimits total =
        totalResources(catalog.service(plan.serviceId()).definition().template(), plan);
    List<QuotaItem> items = new ArrayList<>();
    items.add(QuotaItem.of(plan.quotaPoolKey(), 1));
    items.add(QuotaItem.of(QuotaPools.userInstances(userId), 1));
    items.add(QuotaItem.of(QuotaPools.CLUSTER_CPU, total.cpuMillicores()));
    items.add(QuotaItem.of(QuotaPools.CLUSTER_MEMORY, total.memoryMiB()));
    if (total.storageGiB() > 0) {
      items.add(QuotaItem.of(QuotaPools.CLUSTER_STORAGE, total.storageGiB()));
    }
    return items;
  }

  /**
   * What an upgrade holds until it commits, beside what the subscription holds for its current
   * plan: a slot of the new plan and the cluster resources the new plan takes beyond the current
   * one. Swapping both into the subscription's allocation at commit then needs nothing more.
   */
  List<QuotaItem> upgradeHold(Plan from, Plan to) {
    AppTemplate template = catalog.service(to.serviceId()).definition().template();
    ResourceLimits before = totalResources(template, from);
    ResourceLimits after = totalResources(template, to);
    List<QuotaItem> items = new ArrayList<>();
    items.add(QuotaItem.of(to.quotaPoolKey(), 1));
    addIfPositive(items, QuotaPools.CLUSTER_CPU, after.cpuMillicores() - before.cpuMillicores());
    addIfPositive(items, QuotaPools.CLUSTER_MEMORY, after.memoryMiB() - before.memoryMiB());
    addIfPositive(items, QuotaPools.CLUSTER_STORAGE, after.storageGiB() - before.storageGiB());
    return items;
  }

  private static void addIfPositive(List<QuotaItem> items, String poolKey, long amount) {
    if (amount > 0) {
      items.add(QuotaItem.of(poolKey, amount));
    }
  }

  /** What a refused pool is called in the error a user reads. */
  static String resourceName(String poolKey) {
    return switch (poolKey) {
      case QuotaPools.CLUSTER_CPU -> "cluster CPU (millicores)";
      case QuotaPools.CLUSTER_MEMORY -> "cluster memory (MiB)";
      case QuotaPools.CLUSTER_STORAGE -> "cluster storage (GiB)";
      default -> poolKey.startsWith("plan:") ? "plan capacity" : "instances of the user";
    };
  }

  /** A plan's or companion's resources as the provisioner takes them. */
  static ResourceLimits limits(Resources resources) {
    return new ResourceLimits(
        resources.cpuMillicores(), resources.memoryMiB(), resources.storageGiB());
  }

  /**
   * The plan's resources plus those of the template's companions: what an instance takes from the
   * cluster.
   */
  static ResourceLimits totalResources(AppTemplate template, Plan plan) {
    ResourceLimits total = limits(plan.resources());
    for (Companion companion : template.companions()) {
      total = total.plus(limits(companion.resources()));
    }
    return total;
  }

  /**
   * Defines the cluster's pools with the given capacity, or moves them to it where usage allows.
   */
  static void defineClusterPools(QuotaOperations quota, ResourceLimits capacity) {
    ensurePool(quota, QuotaPools.CLUSTER_CPU, capacity.cpuMillicores());
    ensurePool(quota, QuotaPools.CLUSTER_MEMORY, capacity.memoryMiB());
    ensurePool(quota, QuotaPools.CLUSTER_STORAGE, capacity.storageGiB());
  }

  /** Defines a pool with a capacity, or moves an existing pool to it where its usage allows. */
  static void ensurePool(QuotaOperations quota, String poolKey, long capacity) {
    try {
      quota.definePool(poolKey, capacity);
    } catch (QuotaConflictException alreadyDefined) {
      try {
        quota.setCapacity(poolKey, capacity);
      } catch (QuotaConflictException belowUsage) {
        // More is in use than the new capacity: keep the pool as it is until usage drops.
      }
    }
  }
}
