package io.minispod.subscription.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.Plan;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Companion;
import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.ResourceLimits;
import io.minispod.quota.Allocation;
import io.minispod.quota.QuotaConflictException;
import io.minispod.quota.QuotaItem;
import io.minispod.quota.QuotaManager;
import io.minispod.quota.QuotaOperations;
import io.minispod.subscription.QuotaPools;
import io.minispod.subscription.UserLimit;
import io.minispod.subscription.UserLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a subscription holds in quota-core: a slot of its plan, one of its user's instances, the
 * cluster resources its instance takes (the plan's plus its companions'), and the same resources
 * from its user's own pools where {@link UserLimits} limits them.
 *
 * <p>A user's pools are defined, or moved to the user's current limit, the first time this node
 * needs them and again once the answer it keeps is older than its refresh period; until then a
 * changed limit is not seen here. Unlimited figures have no pool and cost nothing.
 */
final class QuotaFootprint {

  private final CatalogPort catalog;
  private final QuotaManager quota;
  private final UserLimits userLimits;

  /** The limit this node last saw for each user, whose pools it has defined accordingly. */
  private final Cache<String, UserLimit> seenLimits;

  QuotaFootprint(
      CatalogPort catalog,
      QuotaManager quota,
      UserLimits userLimits,
      Clock clock,
      Duration refresh) {
    this.catalog = catalog;
    this.quota = quota;
    this.userLimits = userLimits;
    // Entries age on the injected clock (tests move it instead of sleeping); a wall clock set back
    // keeps an entry at most that much longer.
    this.seenLimits =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(refresh)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .build();
  }

  /**
   * What a subscription of a user to a plan holds, its user's pools before the cluster's (a refusal
   * names the first pool that is short: a user at their limit reads about their limit). Defines the
   * user's pools first when this node has not done so within its refresh period.
   */
  List<QuotaItem> items(String userId, Plan plan) {
    UserLimit limit = limitOf(userId);
    ResourceLimits total =
        totalResources(catalog.service(plan.serviceId()).definition().template(), plan);
    List<QuotaItem> items = new ArrayList<>();
    items.add(QuotaItem.of(plan.quotaPoolKey(), 1));
    if (UserLimit.isLimited(limit.instances())) {
      items.add(QuotaItem.of(QuotaPools.userInstances(userId), 1));
    }
    if (UserLimit.isLimited(limit.cpuMillicores())) {
      items.add(QuotaItem.of(QuotaPools.userCpu(userId), total.cpuMillicores()));
    }
    if (UserLimit.isLimited(limit.memoryMiB())) {
      items.add(QuotaItem.of(QuotaPools.userMemory(userId), total.memoryMiB()));
    }
    if (UserLimit.isLimited(limit.storageGiB())) {
      addIfPositive(items, QuotaPools.userStorage(userId), total.storageGiB());
    }
    items.add(QuotaItem.of(QuotaPools.CLUSTER_CPU, total.cpuMillicores()));
    items.add(QuotaItem.of(QuotaPools.CLUSTER_MEMORY, total.memoryMiB()));
    addIfPositive(items, QuotaPools.CLUSTER_STORAGE, total.storageGiB());
    return items;
  }

  /**
   * What an upgrade holds until it commits, beside what the subscription holds: of every pool the
   * new plan's footprint ({@link #items}) takes, what it takes beyond what the subscription's
   * allocation holds there now. That is a slot of the new plan and the cluster's and the user's
   * resources the new plan takes beyond the current one; a user pool the allocation does not hold
   * (the user's limit was set after they subscribed) is held in full. Releasing the hold and
   * swapping the allocation to the new plan's footprint at commit then needs nothing more.
   *
   * @param target the new plan's footprint, from {@link #items}
   * @param current the subscription's allocation
   */
  static List<QuotaItem> upgradeHold(List<QuotaItem> target, Allocation current) {
    List<QuotaItem> items = new ArrayList<>();
    for (QuotaItem item : target) {
      addIfPositive(items, item.poolKey(), item.amount() - current.amountOf(item.poolKey()));
    }
    return items;
  }

  /**
   * The user's limit as this node last saw it, asking {@link UserLimits} again (and moving the
   * user's pools to its answer) once that is older than the refresh period.
   */
  private UserLimit limitOf(String userId) {
    return seenLimits.get(userId, this::defineUserPools);
  }

  private UserLimit defineUserPools(String userId) {
    UserLimit limit = userLimits.limitOf(userId);
    if (limit == null) {
      throw new IllegalStateException("UserLimits answered no limit for user " + userId);
    }
    ensureUserPool(QuotaPools.userInstances(userId), limit.instances());
    ensureUserPool(QuotaPools.userCpu(userId), limit.cpuMillicores());
    ensureUserPool(QuotaPools.userMemory(userId), limit.memoryMiB());
    ensureUserPool(QuotaPools.userStorage(userId), limit.storageGiB());
    return limit;
  }

  /**
   * Defines a user's pool with their limit, or moves it there. A limit below what the user holds
   * moves the pool to what they hold, so nothing more is granted until their usage drops below the
   * limit (a later refresh moves it on down). An unlimited figure leaves the pool, if one is left
   * from an earlier limit, as it is: new subscriptions no longer take from it.
   */
  private void ensureUserPool(String poolKey, long limit) {
    if (UserLimit.isLimited(limit) && !ensurePool(quota, poolKey, limit)) {
      long used = quota.availability(List.of(poolKey)).get(0).used();
      ensurePool(quota, poolKey, Math.max(limit, used));
    }
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
      default -> userResourceName(poolKey);
    };
  }

  private static String userResourceName(String poolKey) {
    if (poolKey.startsWith("plan:")) {
      return "plan capacity";
    }
    if (poolKey.endsWith(":cpu-millicores")) {
      return "CPU of the user (millicores)";
    }
    if (poolKey.endsWith(":memory-mib")) {
      return "memory of the user (MiB)";
    }
    if (poolKey.endsWith(":storage-gib")) {
      return "storage of the user (GiB)";
    }
    return "instances of the user";
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
   * Defines the cluster's pools with the given capacity, or moves them to it where usage allows: a
   * pool with more in use than its new capacity is kept as it is until a later build.
   */
  static void defineClusterPools(QuotaOperations quota, ResourceLimits capacity) {
    ensurePool(quota, QuotaPools.CLUSTER_CPU, capacity.cpuMillicores());
    ensurePool(quota, QuotaPools.CLUSTER_MEMORY, capacity.memoryMiB());
    ensurePool(quota, QuotaPools.CLUSTER_STORAGE, capacity.storageGiB());
  }

  /**
   * Defines a pool with a capacity, or moves an existing pool to it where its usage allows.
   *
   * @return false if more is in use than the capacity, and the pool was kept as it is
   */
  static boolean ensurePool(QuotaOperations quota, String poolKey, long capacity) {
    try {
      quota.definePool(poolKey, capacity);
    } catch (QuotaConflictException alreadyDefined) {
      try {
        quota.setCapacity(poolKey, capacity);
      } catch (QuotaConflictException belowUsage) {
        return false;
      }
    }
    return true;
  }
}
