package io.minispod.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.catalog.QuotaFigures;
import io.minispod.catalog.SearchQuery;
import io.minispod.catalog.ServiceStructure;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class CatalogCachesTest {

  private final MutableClock clock = MutableClock.at("2026-01-15T10:30:00Z");
  private final CatalogCaches caches =
      new CatalogCaches(clock, 100, Duration.ofMinutes(10), Duration.ofSeconds(10));
  private final AtomicInteger loads = new AtomicInteger();

  private Optional<ServiceStructure> countLoad(String slug) {
    loads.incrementAndGet();
    return Optional.empty();
  }

  @Test
  void service_secondRead_isServedFromCache() {
    caches.service("a", this::countLoad);
    caches.service("a", this::countLoad);
    assertThat(loads).hasValue(1);
  }

  @Test
  void service_invalidatedWhileLoading_isNotKept() {
    caches.service(
        "a",
        slug -> {
          // A change commits and is invalidated while this load reads the old row.
          caches.invalidateAll();
          return Optional.empty();
        });
    caches.service("a", this::countLoad);
    assertThat(loads).as("the value read before the change was dropped").hasValue(1);
  }

  @Test
  void search_invalidatedWhileLoading_isNotKept() {
    CatalogStore.SearchKey key = CatalogStore.SearchKey.of(SearchQuery.builder().text("x").build());
    caches.search(
        key,
        k -> {
          caches.invalidateAll();
          return List.of();
        });
    caches.search(
        key,
        k -> {
          loads.incrementAndGet();
          return List.of();
        });
    assertThat(loads).hasValue(1);
  }

  @Test
  void quota_invalidatedWhileLoading_isNotKept() {
    UUID plan = UUID.randomUUID();
    Map<UUID, QuotaFigures> first =
        caches.quota(
            List.of(plan),
            missing -> {
              caches.invalidateQuota(List.of(plan));
              return Map.of(plan, new QuotaFigures(10, 1));
            });
    assertThat(first).containsEntry(plan, new QuotaFigures(10, 1));
    Map<UUID, QuotaFigures> second =
        caches.quota(
            List.of(plan),
            missing -> {
              loads.incrementAndGet();
              return Map.of(plan, new QuotaFigures(10, 2));
            });
    assertThat(loads).hasValue(1);
    assertThat(second).containsEntry(plan, new QuotaFigures(10, 2));
  }

  @Test
  void quota_afterExpiry_isReadAgain() {
    UUID plan = UUID.randomUUID();
    caches.quota(List.of(plan), missing -> Map.of(plan, new QuotaFigures(10, 1)));
    clock.advance(Duration.ofSeconds(9));
    caches.quota(
        List.of(plan),
        missing -> {
          loads.incrementAndGet();
          return Map.of(plan, new QuotaFigures(10, 2));
        });
    assertThat(loads).as("still fresh after 9 s").hasValue(0);
    clock.advance(Duration.ofSeconds(2));
    assertThat(
            caches.quota(
                List.of(plan),
                missing -> {
                  loads.incrementAndGet();
                  return Map.of(plan, new QuotaFigures(10, 2));
                }))
        .containsEntry(plan, new QuotaFigures(10, 2));
    assertThat(loads).hasValue(1);
  }

  @Test
  void service_afterCatalogExpiryOfTheInjectedClock_isReadAgain() {
    caches.service("a", this::countLoad);
    clock.advance(Duration.ofMinutes(9));
    caches.service("a", this::countLoad);
    assertThat(loads).as("fresh after 9 of 10 minutes").hasValue(1);
    clock.advance(Duration.ofMinutes(1));
    caches.service("a", this::countLoad);
    assertThat(loads).as("expired after 10 minutes of the injected clock").hasValue(2);
  }

  @Test
  void quota_clockSetBack_stillExpiresAfterItsExpiryOfForwardTime() {
    UUID plan = UUID.randomUUID();
    caches.quota(List.of(plan), missing -> Map.of(plan, new QuotaFigures(10, 1)));
    // The wall clock is set back an hour (NTP, an operator): entries must not live an hour longer.
    clock.set(clock.instant().minus(Duration.ofHours(1)));
    caches.quota(List.of(plan), missing -> Map.of(plan, new QuotaFigures(10, 2)));
    clock.advance(Duration.ofSeconds(9));
    caches.quota(
        List.of(plan),
        missing -> {
          loads.incrementAndGet();
          return Map.of(plan, new QuotaFigures(10, 2));
        });
    assertThat(loads).as("still fresh after 9 s of forward time").hasValue(0);
    clock.advance(Duration.ofSeconds(2));
    caches.quota(
        List.of(plan),
        missing -> {
          loads.incrementAndGet();
          return Map.of(plan, new QuotaFigures(10, 2));
        });
    assertThat(loads).as("expired after 11 s of forward time").hasValue(1);
  }

  @Test
  void invalidateQuota_onePlan_keepsTheOthers() {
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    caches.quota(
        List.of(a, b), missing -> Map.of(a, new QuotaFigures(1, 0), b, new QuotaFigures(2, 0)));
    caches.invalidateQuota(List.of(a));
    caches.quota(
        List.of(a, b),
        missing -> {
          assertThat(missing).containsExactly(a);
          loads.incrementAndGet();
          return Map.of(a, new QuotaFigures(1, 1));
        });
    assertThat(loads).hasValue(1);
  }

  @Test
  void categoriesAndSearches_areDroppedByInvalidateAll() {
    caches.categories(all -> List.of());
    CatalogStore.SearchKey key = CatalogStore.SearchKey.of(SearchQuery.builder().text("x").build());
    caches.search(key, k -> List.of());
    caches.invalidateAll();
    caches.categories(
        all -> {
          loads.incrementAndGet();
          return List.of();
        });
    caches.search(
        key,
        k -> {
          loads.incrementAndGet();
          return List.of();
        });
    assertThat(loads).hasValue(2);
  }
}
