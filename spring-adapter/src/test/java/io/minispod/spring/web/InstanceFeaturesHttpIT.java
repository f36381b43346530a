package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.provisioner.InMemoryProvisioner;
import io.minispod.provisioner.ResourceUsage;
import io.minispod.subscription.Subscriptions;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The instance additions of API.md over HTTP, on the seed catalog (n8n basic has no custom domain,
 * pro has): the history endpoint, the upgrade recommendation and the custom domain. The clock is a
 * {@link MutableClock} and the background work is off, so the test runs the health monitor's rounds
 * itself.
 */
final class InstanceFeaturesHttpIT {

  private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-05-04T08:00:00Z"));

  private static RunningApp app;
  private static Http http;

  @BeforeAll
  static void start() {
    app = RunningApp.startAt(CLOCK, Map.of());
    http = app.http();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  /** Subscribes the user to an n8n plan and returns the subscription's data. */
  private static JsonNode subscribe(String user, String plan) {
    Http.Response created =
        http.post(
            user,
            "/api/user/subscriptions",
            "{\"serviceSlug\":\"n8n\",\"planSlug\":\"" + plan + "\"}");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.data();
  }

  private static String instancePath(JsonNode subscription) {
    return "/api/user/instances/" + subscription.path("instance").path("id").asString();
  }

  // ---- custom domain ----

  @Test
  void customDomain_onABasicPlan_is409UpgradeRequiredNamingTheCheapestPlanWithIt() {
    JsonNode basic = subscribe("alice", "basic");

    Http.Response refused =
        http.patch("alice", instancePath(basic), "{\"customDomain\":\"blog.example.com\"}");

    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.code()).isEqualTo("UPGRADE_REQUIRED");
    JsonNode details = refused.body().path("error").path("details");
    assertThat(details.path("requiredFeature").asString()).isEqualTo("customDomain");
    assertThat(details.path("cheapestPlan").path("slug").asString()).isEqualTo("pro");
    assertThat(details.path("cheapestPlan").path("price").path("currency").asString())
        .isEqualTo("IDR");
    assertThat(http.get("alice", instancePath(basic)).data().path("customDomain").isNull())
        .isTrue();
  }

  @Test
  void customDomain_onAProPlan_isSetKeptByAnEnvChangeAndRemovedByNull() {
    JsonNode pro = subscribe("bob", "pro");

    Http.Response set =
        http.patch("bob", instancePath(pro), "{\"customDomain\":\"Shop.Example.com\"}");
    assertThat(set.status()).as(set.text()).isEqualTo(200);
    assertThat(set.data().path("customDomain").asString()).isEqualTo("shop.example.com");
    assertThat(set.data().path("url").asString())
        .isEqualTo(pro.path("instance").path("url").asString());

    // No customDomain in the body leaves it as it is.
    Http.Response env = http.patch("bob", instancePath(pro), "{\"env\":{\"TZ\":\"UTC\"}}");
    assertThat(env.status()).as(env.text()).isEqualTo(200);
    assertThat(env.data().path("customDomain").asString()).isEqualTo("shop.example.com");

    Http.Response taken =
        http.patch(
            "carol",
            instancePath(subscribe("carol", "pro")),
            "{\"customDomain\":\"shop.example.com\"}");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.code()).isEqualTo("CONFLICT");

    Http.Response removed = http.patch("bob", instancePath(pro), "{\"customDomain\":null}");
    assertThat(removed.status()).as(removed.text()).isEqualTo(200);
    assertThat(removed.data().path("customDomain").isNull()).isTrue();
    assertThat(removed.data().path("env").path("TZ").asString()).isEqualTo("UTC");
  }

  @Test
  void customDomain_notAHostName_is400NamingTheField() {
    JsonNode pro = subscribe("dave", "pro");

    Http.Response refused =
        http.patch("dave", instancePath(pro), "{\"customDomain\":\"not a host\"}");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(refused.body().path("error").path("details").path("fields").has("customDomain"))
        .isTrue();
    assertThat(http.patch("dave", instancePath(pro), "{}").status()).isEqualTo(400);
  }

  // ---- history ----

  @Test
  void history_isPaginatedNewestFirst_andAnotherUsersIs404() {
    JsonNode subscription = subscribe("erin", "basic");

    Http.Response first = http.get("erin", instancePath(subscription) + "/history?page=1&size=1");
    Http.Response second = http.get("erin", instancePath(subscription) + "/history?page=2&size=1");

    assertThat(first.status()).as(first.text()).isEqualTo(200);
    assertThat(first.body().path("meta").path("total").asLong()).isEqualTo(2);
    assertThat(first.body().path("meta").path("totalPages").asLong()).isEqualTo(2);
    JsonNode newest = first.data().get(0);
    assertThat(newest.path("from").asString()).isEqualTo("PROVISIONING");
    assertThat(newest.path("to").asString()).isEqualTo("RUNNING");
    assertThat(newest.path("reason").asString()).isEqualTo("provisioned");
    assertThat(Instant.parse(newest.path("at").asString())).isEqualTo(CLOCK.instant());
    JsonNode oldest = second.data().get(0);
    assertThat(oldest.path("from").isNull()).isTrue();
    assertThat(oldest.path("to").asString()).isEqualTo("PROVISIONING");

    assertThat(http.get("frank", instancePath(subscription) + "/history").status()).isEqualTo(404);
    assertThat(http.get("erin", instancePath(subscription) + "/history?size=101").code())
        .isEqualTo("VALIDATION_FAILED");
  }

  // ---- recommendation ----

  @Test
  void recommendation_afterThreeChecksOfHighMemory_namesTheNextPlanAndWhy() {
    JsonNode subscription = subscribe("grace", "basic");
    String path = instancePath(subscription);
    JsonNode instance = http.get("grace", path).data();
    assertThat(instance.path("recommendation").isNull()).isTrue();
    int memory = instance.path("resources").path("memoryMiB").asInt();
    app.bean(InMemoryProvisioner.class)
        .setUsage(
            java.util.UUID.fromString(instance.path("id").asString()),
            new ResourceUsage(1, memory, 0));

    for (int round = 0; round < 3; round++) {
      CLOCK.advance(Duration.ofMinutes(1));
      app.bean(Subscriptions.class).healthMonitor().runRound();
    }

    JsonNode recommendation = http.get("grace", path).data().path("recommendation");
    assertThat(recommendation.path("planSlug").asString()).isEqualTo("pro");
    assertThat(recommendation.path("reason").asString())
        .isEqualTo("memory above 90% of the plan's limit for 3 checks");
  }

  @Test
  void upgrade_fromABasicPlan_listsTheBackupTakenBeforeTheResize() {
    JsonNode basic = subscribe("frank", "basic");
    Http.Response upgraded =
        http.post(
            "frank",
            "/api/user/subscriptions/" + basic.path("id").asString() + "/upgrade",
            "{\"planSlug\":\"pro\"}");
    // 200 as the synchronous upgrade answers in the other adapter ITs (202 with respond-async).
    assertThat(upgraded.status()).as(upgraded.text()).isEqualTo(200);

    JsonNode instance = http.get("frank", instancePath(basic)).data();

    assertThat(instance.path("backups")).hasSize(1);
    assertThat(instance.path("backups").get(0).path("reason").asString())
        .isEqualTo("BEFORE_UPGRADE");
    assertThat(instance.path("backups").get(0).path("takenAt").asString())
        .isEqualTo(CLOCK.instant().toString());
  }
}
