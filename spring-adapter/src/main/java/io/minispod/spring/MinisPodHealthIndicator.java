package io.minispod.spring;

import io.minispod.subscription.AnalyticsService;
import io.minispod.subscription.PlanUtilisation;
import java.sql.Connection;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Up while the database answers; its details name the plans that have no free quota left. */
final class MinisPodHealthIndicator implements HealthIndicator {

  private final DataSource dataSource;
  private final AnalyticsService analytics;

  MinisPodHealthIndicator(DataSource dataSource, AnalyticsService analytics) {
    this.dataSource = dataSource;
    this.analytics = analytics;
  }

  @Override
  public Health health() {
    try (Connection connection = dataSource.getConnection()) {
      if (!connection.isValid(2)) {
        return Health.down().withDetail("database", "not answering").build();
      }
    } catch (Exception e) {
      return Health.down().withDetail("database", "unreachable").build();
    }
    List<PlanUtilisation> plans = analytics.quotaUtilisation();
    List<String> full =
        plans.stream()
            .filter(p -> p.used() >= p.total())
            .map(p -> p.serviceSlug() + "/" + p.planSlug())
            .toList();
    return Health.up().withDetail("plans", plans.size()).withDetail("fullPlans", full).build();
  }
}
