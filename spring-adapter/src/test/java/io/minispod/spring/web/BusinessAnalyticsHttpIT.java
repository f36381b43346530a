package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.subscription.Subscriptions;
import io.minispod.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The business analytics of API.md over HTTP: each endpoint answers an administrator with the
 * documented shape, and a user with 403. The clock is a {@link MutableClock}; the figures
 * themselves are asserted by catalog-core's {@code BusinessAnalyticsIT}.
 */
final class BusinessAnalyticsHttpIT {

  private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-03-10T08:00:00Z"));
  private static final String RANGE = "?from=2026-03-01&to=2026-04-30&service=n8n";

  private static RunningApp app;
  private static Http http;

  @BeforeAll
  static void start() {
    app = RunningApp.startAt(CLOCK, Map.of());
    http = app.http();
    Http.Response created =
        http.post(
            "alice", "/api/user/subscriptions", "{\"serviceSlug\":\"n8n\",\"planSlug\":\"basic\"}");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    Http.Response refused =
        http.post(
            "alice", "/api/user/subscriptions", "{\"serviceSlug\":\"n8n\",\"planSlug\":\"basic\"}");
    assertThat(refused.code()).isEqualTo("DUPLICATE_SUBSCRIPTION");
    app.bean(Subscriptions.class).healthMonitor().runRound();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  private static JsonNode admin(String endpoint) {
    Http.Response response = http.get("admin", "/api/admin/analytics/" + endpoint + RANGE);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    JsonNode data = response.data();
    assertThat(data.path("from").asString()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(data.path("to").asString()).isEqualTo("2026-05-01T00:00:00Z");
    assertThat(data.path("service").asString()).isEqualTo("n8n");
    return data;
  }

  private static List<String> names(JsonNode node) {
    return node.propertyNames().stream().toList();
  }

  @Test
  void mrr_perMonthAndCurrency() {
    JsonNode months = admin("mrr").path("months");

    assertThat(months.size()).isEqualTo(2);
    assertThat(names(months.get(0)))
        .containsExactly(
            "month",
            "currency",
            "mrr",
            "arr",
            "newMrr",
            "expansionMrr",
            "contractionMrr",
            "churnedMrr");
    assertThat(months.get(0).path("month").asString()).isEqualTo("2026-03");
    assertThat(months.get(0).path("newMrr").asLong()).isPositive();
    assertThat(months.get(0).path("arr").asLong())
        .isEqualTo(12 * months.get(0).path("mrr").asLong());
  }

  @Test
  void churn_perMonth() {
    JsonNode months = admin("churn").path("months");

    assertThat(months.size()).isEqualTo(2);
    assertThat(names(months.get(1)))
        .containsExactly(
            "month", "liveAtStart", "cancelled", "voluntary", "afterSuspension", "churnRate");
    assertThat(months.get(1).path("liveAtStart").asLong()).isPositive();
    assertThat(months.get(1).path("churnRate").asDouble()).isZero();
  }

  @Test
  void conversion_perPlan_withFailuresByCode() {
    JsonNode plans = admin("conversion").path("plans");

    JsonNode basic = plans.get(0);
    assertThat(names(basic))
        .containsExactly(
            "service", "plan", "attempts", "successes", "pending", "failures", "conversionRate");
    assertThat(basic.path("plan").asString()).isEqualTo("basic");
    assertThat(basic.path("failures").path("DUPLICATE_SUBSCRIPTION").asLong()).isEqualTo(1);
    assertThat(names(basic.path("failures")))
        .contains(
            "QUOTA_EXCEEDED",
            "INSUFFICIENT_RESOURCES",
            "PAYMENT_FAILED",
            "PROVISIONING_FAILED",
            "DUPLICATE_SUBSCRIPTION");
  }

  @Test
  void upgrades_adoptionAndChanges() {
    JsonNode data = admin("upgrades");

    assertThat(names(data))
        .containsExactly(
            "from",
            "to",
            "service",
            "subscriptions",
            "upgraded",
            "share",
            "medianDaysToFirstUpgrade",
            "changes");
    assertThat(data.path("subscriptions").asLong()).isPositive();
    assertThat(data.path("changes").isArray()).isTrue();
  }

  @Test
  void utilisation_perPlan() {
    JsonNode plans = admin("utilisation").path("plans");

    assertThat(plans.isArray()).isTrue();
    for (JsonNode plan : plans) {
      assertThat(names(plan))
          .containsExactly("service", "plan", "samples", "cpu", "memory", "storage");
      assertThat(names(plan.path("cpu"))).containsExactly("mean", "p95");
    }
  }

  @Test
  void everyEndpoint_asAUser_is403() {
    for (String endpoint : List.of("mrr", "churn", "conversion", "upgrades", "utilisation")) {
      Http.Response response = http.get("alice", "/api/admin/analytics/" + endpoint + RANGE);
      assertThat(response.status()).as(endpoint).isEqualTo(403);
      assertThat(response.code()).isEqualTo("FORBIDDEN");
    }
  }
}
