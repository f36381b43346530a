package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ValidationException;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.subscription.SubscriptionAnalytics.DailyCount;
import io.minispod.subscription.SubscriptionAnalytics.StatusCount;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class AnalyticsIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T08:00:00Z");
  private Platform platform;
  private ServiceDefinition service;

  @BeforeEach
  void start() {
    platform = Platform.start(db.dataSource(), clock);
    service = platform.service(10, 10, 10);
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  @Test
  void figures_countSubscriptionsUpgradesQuotaAndRevenue() {
    Subscription alice = platform.subscribe().subscribe("alice", service.slug(), "basic", "k");
    platform.subscribe().subscribe("bob", service.slug(), "basic", "k");
    clock.advance(Duration.ofDays(9));
    platform.subscribe().subscribe("carol", service.slug(), "pro", "k");
    platform.subscriptions.upgrades().upgrade("alice", alice.id(), "pro", "up");
    platform.gateway.declineAccount("dave", "declined");
    try {
      platform.subscribe().subscribe("dave", service.slug(), "business", "k");
    } catch (RuntimeException expected) {
      // dave's payment is declined
    }
    AnalyticsService analytics = platform.subscriptions.analytics();
    Instant from = Instant.parse("2026-04-01T00:00:00Z");
    Instant to = Instant.parse("2026-05-01T00:00:00Z");

    SubscriptionAnalytics figures = analytics.subscriptions(from, to);

    assertThat(figures.counts())
        .filteredOn(c -> c.serviceSlug().equals(service.slug()))
        .containsExactlyInAnyOrder(
            new StatusCount(service.slug(), "basic", SubscriptionStatus.ACTIVE, 1),
            new StatusCount(service.slug(), "pro", SubscriptionStatus.ACTIVE, 2),
            new StatusCount(service.slug(), "business", SubscriptionStatus.FAILED, 1));
    assertThat(figures.newSubscriptions())
        .containsExactly(
            new DailyCount(LocalDate.parse("2026-04-01"), 2),
            new DailyCount(LocalDate.parse("2026-04-10"), 2));
    assertThat(figures.upgrades())
        .containsExactly(new DailyCount(LocalDate.parse("2026-04-10"), 1));
    assertThat(analytics.quotaUtilisation())
        .filteredOn(p -> p.serviceSlug().equals(service.slug()))
        .extracting(PlanUtilisation::planSlug, PlanUtilisation::used, PlanUtilisation::available)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("basic", 1L, 9L),
            org.assertj.core.groups.Tuple.tuple("pro", 2L, 8L),
            org.assertj.core.groups.Tuple.tuple("business", 0L, 10L));
    assertThat(analytics.revenue(from, to))
        .filteredOn(r -> service.slug().equals(r.tags().get("service")))
        .extracting(r -> r.tags().get("plan"), r -> r.net().minorUnits())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("basic", 200_000L - 70_000L),
            org.assertj.core.groups.Tuple.tuple("pro", 250_000L + 175_000L));
  }

  @Test
  void ranges_missingOrReversed_areRefused() {
    AnalyticsService analytics = platform.subscriptions.analytics();
    Instant now = clock.instant();

    assertThatThrownBy(() -> analytics.subscriptions(now, now.minusSeconds(1)))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> analytics.revenue(null, now))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.fieldErrors()).containsOnlyKeys("from"));
  }
}
