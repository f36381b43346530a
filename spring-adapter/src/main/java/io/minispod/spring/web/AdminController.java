package io.minispod.spring.web;

import io.minispod.FieldErrors;
import io.minispod.catalog.CatalogAdmin;
import io.minispod.catalog.Page;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.spring.web.Requests.PlanRequest;
import io.minispod.spring.web.Requests.ServiceRequest;
import io.minispod.spring.web.Views.AdminServiceView;
import io.minispod.spring.web.Views.ChurnView;
import io.minispod.spring.web.Views.ConversionView;
import io.minispod.spring.web.Views.PlanChangeView;
import io.minispod.spring.web.Views.PlanUsageView;
import io.minispod.spring.web.Views.PlanView;
import io.minispod.spring.web.Views.QuotaUtilisationView;
import io.minispod.spring.web.Views.RecurringRevenueView;
import io.minispod.spring.web.Views.RevenueView;
import io.minispod.spring.web.Views.SubscriptionAnalyticsView;
import io.minispod.subscription.AnalyticsService;
import io.minispod.subscription.UpgradeAdoption;
import jakarta.validation.Valid;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Services, plans and analytics for administrators ({@code ROLE_ADMIN}). */
@RestController
@RequestMapping("/api/admin")
class AdminController {

  private static final Duration DEFAULT_RANGE = Duration.ofDays(30);

  private final CatalogAdmin admin;
  private final AnalyticsService analytics;
  private final Caller caller;

  AdminController(CatalogAdmin admin, AnalyticsService analytics, Caller caller) {
    this.admin = admin;
    this.analytics = analytics;
    this.caller = caller;
  }

  @GetMapping("/services")
  Map<String, Object> services(
      @RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "20") int size) {
    caller.requireAdmin();
    Page<ServiceDefinition> services = admin.listServices(Pages.of(page, size));
    return Envelope.page(
        services.items().stream().map(AdminServiceView::of).toList(),
        services.page(),
        services.size(),
        services.total());
  }

  @PostMapping("/services")
  ResponseEntity<Map<String, Object>> createService(@Valid @RequestBody ServiceRequest request) {
    caller.requireAdmin();
    ServiceDefinition created = admin.createService(request.toDraft());
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(Envelope.ok(AdminServiceView.of(created)));
  }

  @PutMapping("/services/{serviceId}")
  Map<String, Object> updateService(
      @PathVariable String serviceId, @Valid @RequestBody ServiceRequest request) {
    caller.requireAdmin();
    UUID id = Ids.parse("service", serviceId);
    return Envelope.ok(AdminServiceView.of(admin.updateService(id, request.toUpdate())));
  }

  @DeleteMapping("/services/{serviceId}")
  ResponseEntity<Void> archiveService(@PathVariable String serviceId) {
    caller.requireAdmin();
    admin.archiveService(Ids.parse("service", serviceId));
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/services/{serviceId}/plans")
  Map<String, Object> plans(@PathVariable String serviceId) {
    caller.requireAdmin();
    UUID id = Ids.parse("service", serviceId);
    return Envelope.ok(admin.listPlans(id).stream().map(PlanView::of).toList());
  }

  @PostMapping("/services/{serviceId}/plans")
  ResponseEntity<Map<String, Object>> createPlan(
      @PathVariable String serviceId, @Valid @RequestBody PlanRequest request) {
    caller.requireAdmin();
    UUID id = Ids.parse("service", serviceId);
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(Envelope.ok(PlanView.of(admin.createPlan(id, request.toDraft()))));
  }

  @PutMapping("/services/{serviceId}/plans/{planId}")
  Map<String, Object> updatePlan(
      @PathVariable String serviceId,
      @PathVariable String planId,
      @Valid @RequestBody PlanRequest request) {
    caller.requireAdmin();
    UUID service = Ids.parse("service", serviceId);
    UUID plan = Ids.parse("plan", planId);
    return Envelope.ok(PlanView.of(admin.updatePlan(service, plan, request.toUpdate())));
  }

  @GetMapping("/analytics/subscriptions")
  Map<String, Object> subscriptionAnalytics(
      @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
    caller.requireAdmin();
    Instant[] range = range(from, to);
    return Envelope.ok(
        SubscriptionAnalyticsView.of(
            range[0], range[1], analytics.subscriptions(range[0], range[1])));
  }

  @GetMapping("/analytics/quota")
  Map<String, Object> quotaAnalytics() {
    caller.requireAdmin();
    return Envelope.ok(
        analytics.quotaUtilisation().stream().map(QuotaUtilisationView::of).toList());
  }

  @GetMapping("/analytics/revenue")
  Map<String, Object> revenueAnalytics(
      @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
    caller.requireAdmin();
    Instant[] range = range(from, to);
    return Envelope.ok(
        Map.of(
            "from",
            range[0],
            "to",
            range[1],
            "totals",
            analytics.revenue(range[0], range[1]).stream().map(RevenueView::of).toList()));
  }

  /**
   * The query parameters of the business analytics: {@code from}/{@code to} as for {@link #range},
   * and {@code service}, a service slug (all services when absent).
   */
  record AnalyticsQuery(String from, String to, String service) {}

  /** One figure of the analytics over a range, per line. */
  @FunctionalInterface
  private interface Figures<T> {
    List<T> over(Instant from, Instant to, String serviceSlug);
  }

  @GetMapping("/analytics/mrr")
  Map<String, Object> recurringRevenue(AnalyticsQuery query) {
    return lines(query, "months", analytics::recurringRevenue, RecurringRevenueView::of);
  }

  @GetMapping("/analytics/churn")
  Map<String, Object> churn(AnalyticsQuery query) {
    return lines(query, "months", analytics::churn, ChurnView::of);
  }

  @GetMapping("/analytics/conversion")
  Map<String, Object> conversion(AnalyticsQuery query) {
    return lines(query, "plans", analytics::conversion, ConversionView::of);
  }

  @GetMapping("/analytics/utilisation")
  Map<String, Object> utilisation(AnalyticsQuery query) {
    return lines(query, "plans", analytics::resourceUtilisation, PlanUsageView::of);
  }

  @GetMapping("/analytics/upgrades")
  Map<String, Object> upgrades(AnalyticsQuery query) {
    caller.requireAdmin();
    Instant[] range = range(query.from(), query.to());
    UpgradeAdoption adoption = analytics.upgradeAdoption(range[0], range[1], slug(query));
    Map<String, Object> body = body(range, query);
    body.put("subscriptions", adoption.subscriptions());
    body.put("upgraded", adoption.upgraded());
    body.put("share", adoption.share());
    body.put("medianDaysToFirstUpgrade", adoption.medianDaysToFirstUpgrade());
    body.put("changes", adoption.changes().stream().map(PlanChangeView::of).toList());
    return Envelope.ok(body);
  }

  /** A figure's lines over the query's range, as views under {@code name}. */
  private <T> Map<String, Object> lines(
      AnalyticsQuery query, String name, Figures<T> figures, Function<T, ?> view) {
    caller.requireAdmin();
    Instant[] range = range(query.from(), query.to());
    Map<String, Object> body = body(range, query);
    body.put(name, figures.over(range[0], range[1], slug(query)).stream().map(view).toList());
    return Envelope.ok(body);
  }

  /** The range and the service the figures are for. */
  private static Map<String, Object> body(Instant[] range, AnalyticsQuery query) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", range[0]);
    body.put("to", range[1]);
    body.put("service", slug(query));
    return body;
  }

  /** The service asked for, or {@code null} for all. */
  private static String slug(AnalyticsQuery query) {
    return query.service() == null || query.service().isBlank() ? null : query.service();
  }

  /** {@code from}/{@code to} as ISO instants or dates (UTC); the last 30 days by default. */
  private static Instant[] range(String from, String to) {
    FieldErrors errors = new FieldErrors();
    Instant end = to == null || to.isBlank() ? Instant.now() : instant(errors, "to", to, true);
    Instant start =
        from == null || from.isBlank()
            ? (end == null ? Instant.now() : end).minus(DEFAULT_RANGE)
            : instant(errors, "from", from, false);
    errors.throwIfAny();
    errors.require(!start.isAfter(end), "from", "must not be after to");
    errors.throwIfAny();
    return new Instant[] {start, end};
  }

  private static Instant instant(FieldErrors errors, String field, String value, boolean end) {
    try {
      if (value.length() == 10) {
        LocalDate day = LocalDate.parse(value);
        return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      errors.require(false, field, "must be an ISO date (2026-01-15) or instant");
      return null;
    }
  }
}
