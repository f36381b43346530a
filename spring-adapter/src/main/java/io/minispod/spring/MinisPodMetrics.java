package io.minispod.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.minispod.DaemonThreads;
import io.minispod.subscription.AnalyticsService;
import io.minispod.subscription.PlanUtilisation;
import io.minispod.subscription.SubscriptionAnalytics;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quota and subscription gauges, refreshed from {@link AnalyticsService} every 30 seconds (plans
 * and services come and go, so the gauges are multi-gauges re-registered on each refresh). Each
 * refresh reads aggregates only: quota-core's pool figures and the subscription counts by service,
 * plan and status, never the subscriptions themselves.
 */
final class MinisPodMetrics implements MeterBinder, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MinisPodMetrics.class);

  private final AnalyticsService analytics;
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("minispod-metrics"));
  private MultiGauge total;
  private MultiGauge used;
  private MultiGauge utilisation;
  private MultiGauge subscriptions;

  MinisPodMetrics(AnalyticsService analytics) {
    this.analytics = analytics;
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    total =
        MultiGauge.builder("minispod.quota.total")
            .description("Quota of each plan")
            .register(registry);
    used =
        MultiGauge.builder("minispod.quota.used")
            .description("Quota in use per plan")
            .register(registry);
    utilisation =
        MultiGauge.builder("minispod.quota.utilisation")
            .description("Share of each plan's quota in use, 0 to 1")
            .register(registry);
    subscriptions =
        MultiGauge.builder("minispod.subscriptions")
            .description("Subscriptions per service, plan and status")
            .register(registry);
    refresh();
    refresher.scheduleWithFixedDelay(this::refresh, 30, 30, TimeUnit.SECONDS);
  }

  synchronized void refresh() {
    try {
      List<PlanUtilisation> plans = analytics.quotaUtilisation();
      total.register(plans.stream().map(p -> MultiGauge.Row.of(tags(p), p.total())).toList(), true);
      used.register(plans.stream().map(p -> MultiGauge.Row.of(tags(p), p.used())).toList(), true);
      utilisation.register(
          plans.stream()
              .map(
                  p ->
                      MultiGauge.Row.of(
                          tags(p), p.total() == 0 ? 0.0 : (double) p.used() / p.total()))
              .toList(),
          true);
      // The counts by service, plan and status are all-time aggregates of one GROUP BY, whatever
      // the range; the range only selects the per-day series, which the gauge does not use and
      // which are read a row per subscription. The narrowest range the database can tell apart
      // (one microsecond) keeps that read empty instead of loading every subscription since 1970
      // on every node every 30 s.
      Instant now = Instant.now();
      SubscriptionAnalytics counts = analytics.subscriptions(now, now.plus(1, ChronoUnit.MICROS));
      subscriptions.register(
          counts.counts().stream()
              .map(
                  c ->
                      MultiGauge.Row.of(
                          Tags.of(
                              "service", c.serviceSlug(),
                              "plan", c.planSlug(),
                              "status", c.status().name()),
                          c.count()))
              .toList(),
          true);
    } catch (RuntimeException e) {
      log.warn("Could not refresh the MinisPod metrics; the next round tries again", e);
    }
  }

  private static Tags tags(PlanUtilisation plan) {
    return Tags.of("service", plan.serviceSlug(), "plan", plan.planSlug());
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
