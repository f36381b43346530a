package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minispod.provisioner.InMemoryProvisioner;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Asynchronous operations over HTTP (API.md): a slow platform turns subscribe, upgrade, cancel and
 * PATCH into {@code 202 Accepted} with an operation to poll, {@code Prefer} chooses the wait, and
 * the operation ends SUCCEEDED with its result or FAILED with its error.
 */
final class AsyncOperationsHttpIT {

  private static final Duration SERVER_WAIT = Duration.ofMillis(500);

  private static RunningApp app;
  private static ConfigurableApplicationContext context;
  private static Http http;
  private static InMemoryProvisioner platform;

  @BeforeAll
  static void start() {
    app =
        RunningApp.start(
            Map.of(
                "minispod.web.operation-wait",
                SERVER_WAIT.toMillis() + "ms",
                "minispod.web.max-operation-wait",
                "30s"));
    context = app.context();
    http = app.http();
    platform = context.getBean(InMemoryProvisioner.class);
  }

  @AfterEach
  void releasePlatform() {
    platform.release();
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void slowProvisioning_subscribeIs202WithAnOperation_thatEndsSucceeded() {
    platform.hang();

    Http.Response accepted = subscribe("alice", "n8n", "basic", "k1", Map.of());

    assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
    JsonNode operation = accepted.data();
    String location = accepted.header("Location");
    assertThat(location).isEqualTo("/api/user/operations/" + operation.path("id").asString());
    assertThat(operation.path("kind").asString()).isEqualTo("SUBSCRIBE");
    assertThat(operation.path("status").asString()).isEqualTo("RUNNING");
    assertThat(operation.path("subscriptionId").asString()).isNotBlank();
    assertThat(http.get("bob", location).status()).as("another user's operation").isEqualTo(404);
    assertThat(http.get("alice", location).data().path("status").asString()).isEqualTo("RUNNING");

    platform.release();
    JsonNode done = awaitFinished("alice", location);

    assertThat(done.path("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(done.path("result").path("status").asString()).isEqualTo("ACTIVE");
    assertThat(done.path("result").path("id").asString())
        .isEqualTo(operation.path("subscriptionId").asString());
    assertThat(done.path("error").isNull()).isTrue();
    // The same key and request answers with the final result now.
    assertThat(subscribe("alice", "n8n", "basic", "k1", Map.of()).status()).isEqualTo(201);
  }

  @Test
  void preferRespondAsync_is202AtOnce_evenWhenThePlatformIsFast() {
    Http.Response accepted =
        subscribe("carol", "n8n", "basic", "k1", Map.of("Prefer", "respond-async"));

    assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
    assertThat(accepted.header("Preference-Applied")).isEqualTo("respond-async");
    JsonNode done = awaitFinished("carol", accepted.header("Location"));
    assertThat(done.path("status").asString()).isEqualTo("SUCCEEDED");
  }

  @Test
  void preferWait_waitsLongerThanTheServersDefault_forTheFinalAnswer() {
    platform.hang();
    CompletableFuture<Http.Response> waiting =
        CompletableFuture.supplyAsync(
            () -> subscribe("dave", "n8n", "basic", "k1", Map.of("Prefer", "wait=20")));

    // Still waiting well past the server's default wait, which would have answered 202.
    await()
        .during(SERVER_WAIT.multipliedBy(3))
        .atMost(SERVER_WAIT.multipliedBy(6))
        .until(() -> !waiting.isDone());
    platform.release();

    Http.Response created = waiting.join();
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    assertThat(created.data().path("status").asString()).isEqualTo("ACTIVE");
  }

  @Test
  void failingProvisioning_operationEndsFailedWithItsErrorCode() {
    platform.failNext(1, false);

    Http.Response accepted =
        subscribe("erin", "ghost", "basic", "k1", Map.of("Prefer", "respond-async"));
    JsonNode failed = awaitFinished("erin", accepted.header("Location"));

    assertThat(failed.path("status").asString()).isEqualTo("FAILED");
    assertThat(failed.path("error").path("code").asString()).isEqualTo("PROVISIONING_FAILED");
    assertThat(failed.path("result").isNull()).isTrue();
    // A retry with the key replays the failure as the synchronous answer would have been.
    Http.Response replay = subscribe("erin", "ghost", "basic", "k1", Map.of());
    assertThat(replay.status()).isEqualTo(502);
    assertThat(replay.code()).isEqualTo("PROVISIONING_FAILED");
  }

  @Test
  void upgradePatchAndCancel_withRespondAsync_are202_andEachEndSucceeded() {
    Http.Response created = subscribe("frank", "n8n", "basic", "k1", Map.of());
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String subscriptionId = created.data().path("id").asString();
    String instanceId = created.data().path("instance").path("id").asString();
    Map<String, String> async = Map.of("Prefer", "respond-async");

    Http.Response upgrade =
        http.send(
            "frank",
            "POST",
            "/api/user/subscriptions/" + subscriptionId + "/upgrade",
            "{\"planSlug\":\"pro\"}",
            "up-1",
            async);
    assertThat(upgrade.status()).as(upgrade.text()).isEqualTo(202);
    JsonNode upgraded = awaitFinished("frank", upgrade.header("Location"));
    assertThat(upgraded.path("kind").asString()).isEqualTo("UPGRADE");
    assertThat(upgraded.path("result").path("plan").path("slug").asString()).isEqualTo("pro");

    Http.Response patch =
        http.send(
            "frank",
            "PATCH",
            "/api/user/instances/" + instanceId,
            "{\"env\":{\"TZ\":\"UTC\"}}",
            null,
            async);
    assertThat(patch.status()).as(patch.text()).isEqualTo(202);
    JsonNode patched = awaitFinished("frank", patch.header("Location"));
    assertThat(patched.path("kind").asString()).isEqualTo("UPDATE_ENV");
    assertThat(patched.path("result").path("env").path("TZ").asString()).isEqualTo("UTC");

    Http.Response cancel =
        http.send(
            "frank", "DELETE", "/api/user/subscriptions/" + subscriptionId, null, null, async);
    assertThat(cancel.status()).as(cancel.text()).isEqualTo(202);
    JsonNode cancelled = awaitFinished("frank", cancel.header("Location"));
    assertThat(cancelled.path("result").path("status").asString()).isEqualTo("CANCELLED");
    assertThat(http.delete("frank", "/api/user/subscriptions/" + subscriptionId).status())
        .as("cancelling again answers with the ended cancel")
        .isEqualTo(204);
  }

  @Test
  void unknownOrMalformedOperationIds_areErrors() {
    assertThat(
            http.get("grace", "/api/user/operations/00000000-0000-0000-0000-000000000000").status())
        .isEqualTo(404);
    assertThat(http.get("grace", "/api/user/operations/not-a-uuid").status()).isIn(400, 404);
  }

  private static Http.Response subscribe(
      String user, String service, String plan, String key, Map<String, String> headers) {
    return http.send(
        user,
        "POST",
        "/api/user/subscriptions",
        "{\"serviceSlug\":\"" + service + "\",\"planSlug\":\"" + plan + "\"}",
        key,
        headers);
  }

  private static JsonNode awaitFinished(String user, String location) {
    return await()
        .atMost(30, TimeUnit.SECONDS)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> http.get(user, location).data(),
            operation -> !operation.path("status").asString().equals("RUNNING"));
  }
}
