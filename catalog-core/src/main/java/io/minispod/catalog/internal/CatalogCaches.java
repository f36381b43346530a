package io.minispod.catalog.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.minispod.catalog.QuotaFigures;
import io.minispod.catalog.ServiceCategory;
import io.minispod.catalog.ServiceStructure;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The catalog's caches, all bounded: the catalog structure (categories, services by slug, the hits
 * of searches and category listings) and each plan's quota figures. Entries age by the catalog's
 * clock ({@link ClockTicker}), not by the JVM's own timer, so that tests move time.
 *
 * <p>A load that overlaps an invalidation must not put back what it read before the change. Each
 * group of caches therefore has an epoch that every invalidation advances before it removes
 * entries; a loader notes the epoch before it reads the database and, after storing what it read,
 * removes it again if the epoch moved meanwhile. Either the invalidation's removal comes after the
 * store, or the loader sees the new epoch: a value read before a change never outlives the
 * invalidation that follows the change. (Invalidations are made after the change committed.)
 */
final class CatalogCaches {

  private static final String ALL = "all";

  private final AtomicLong structureEpoch = new AtomicLong();
  private final AtomicLong quotaEpoch = new AtomicLong();

  private final Cache<String, List<ServiceCategory>> categories;
  private final Cache<String, Optional<ServiceStructure>> services;
  private final Cache<UUID, Optional<ServiceStructure>> servicesById;
  private final Cache<CatalogStore.SearchKey, List<UUID>> searches;
  private final Cache<UUID, SearchHit> hits;
  private final Cache<UUID, QuotaFigures> quota;

  CatalogCaches(Clock clock, long maximumSize, Duration structureExpiry, Duration quotaExpiry) {
    Ticker ticker = new ClockTicker(clock);
    categories = build(ticker, 1, structureExpiry);
    services = build(ticker, maximumSize, structureExpiry);
    servicesById = build(ticker, maximumSize, structureExpiry);
    // Weighed by hits: a search holds only service ids, whose summaries are cached once each.
    searches =
        Caffeine.newBuilder()
            .ticker(ticker)
            .maximumWeight(maximumSize * 10)
            .weigher((CatalogStore.SearchKey key, List<UUID> found) -> 1 + found.size())
            .expireAfterWrite(structureExpiry)
            .build();
    hits = build(ticker, maximumSize, structureExpiry);
    quota = build(ticker, maximumSize, quotaExpiry);
  }

  private static <K, V> Cache<K, V> build(Ticker ticker, long maximumSize, Duration expiry) {
    return Caffeine.newBuilder()
        .ticker(ticker)
        .maximumSize(maximumSize)
        .expireAfterWrite(expiry)
        .build();
  }

  List<ServiceCategory> categories(Function<String, List<ServiceCategory>> loader) {
    return get(categories, structureEpoch, ALL, loader);
  }

  Optional<ServiceStructure> service(
      String slug, Function<String, Optional<ServiceStructure>> loader) {
    return get(services, structureEpoch, slug, loader);
  }

  /**
   * Any service (archived ones included) by id, with all its plans: what subscriptions refer to.
   */
  Optional<ServiceStructure> serviceById(
      UUID serviceId, Function<UUID, Optional<ServiceStructure>> loader) {
    return get(servicesById, structureEpoch, serviceId, loader);
  }

  List<UUID> search(
      CatalogStore.SearchKey key, Function<CatalogStore.SearchKey, List<UUID>> loader) {
    return get(searches, structureEpoch, key, loader);
  }

  /**
   * The summaries of several services, loading the missing ones with one call of the loader;
   * services the loader does not return (archived since) are absent from the result.
   */
  Map<UUID, SearchHit> hits(
      Collection<UUID> serviceIds, Function<List<UUID>, List<SearchHit>> loader) {
    Map<UUID, SearchHit> found = new HashMap<>(serviceIds.size() * 2);
    List<UUID> missing = null;
    for (UUID id : serviceIds) {
      SearchHit hit = hits.getIfPresent(id);
      if (hit == null) {
        if (missing == null) {
          missing = new ArrayList<>();
        }
        missing.add(id);
      } else {
        found.put(id, hit);
      }
    }
    if (missing != null) {
      long epoch = structureEpoch.get();
      Map<UUID, SearchHit> loaded = new HashMap<>();
      for (SearchHit hit : loader.apply(missing)) {
        loaded.put(hit.summary().id(), hit);
      }
      hits.putAll(loaded);
      if (structureEpoch.get() != epoch) {
        hits.invalidateAll(loaded.keySet());
      }
      found.putAll(loaded);
    }
    return found;
  }

  /** The quota figures of several plans, loading the missing ones with one call of the loader. */
  Map<UUID, QuotaFigures> quota(
      Collection<UUID> planIds, Function<List<UUID>, Map<UUID, QuotaFigures>> loader) {
    Map<UUID, QuotaFigures> found = new HashMap<>(planIds.size() * 2);
    List<UUID> missing = null;
    for (UUID planId : planIds) {
      QuotaFigures figures = quota.getIfPresent(planId);
      if (figures == null) {
        if (missing == null) {
          missing = new ArrayList<>();
        }
        missing.add(planId);
      } else {
        found.put(planId, figures);
      }
    }
    if (missing != null) {
      long epoch = quotaEpoch.get();
      Map<UUID, QuotaFigures> loaded = loader.apply(missing);
      quota.putAll(loaded);
      if (quotaEpoch.get() != epoch) {
        quota.invalidateAll(loaded.keySet());
      }
      found.putAll(loaded);
    }
    return found;
  }

  /** Drops the catalog structure and every quota figure: after any catalog change. */
  void invalidateAll() {
    structureEpoch.incrementAndGet();
    quotaEpoch.incrementAndGet();
    categories.invalidateAll();
    services.invalidateAll();
    servicesById.invalidateAll();
    searches.invalidateAll();
    hits.invalidateAll();
    quota.invalidateAll();
  }

  /** Drops the quota figures of some plans: after their usage or capacity changed. */
  void invalidateQuota(Collection<UUID> planIds) {
    quotaEpoch.incrementAndGet();
    quota.invalidateAll(planIds);
  }

  private static <K, V> V get(Cache<K, V> cache, AtomicLong epoch, K key, Function<K, V> loader) {
    V value = cache.getIfPresent(key);
    if (value != null) {
      return value;
    }
    long seen = epoch.get();
    value = loader.apply(key);
    cache.put(key, value);
    if (epoch.get() != seen) {
      cache.invalidate(key);
    }
    return value;
  }
}
