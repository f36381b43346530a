package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A payment gateway that hangs while 25 users subscribe, on a connection pool of six: no gateway
 * call holds a connection, so the public catalog keeps answering at its usual speed, every
 * subscribe answers 202 with an operation, and once the gateway answers every operation ends
 * SUCCEEDED or FAILED, none stuck.
 */
final class GatewayHangHttpIT {

  private static final int USERS = 25;
  private static final int POOL = 6;

  private static RunningApp app;
  private static ConfigurableApplicationContext context;
  private static Http http;
  private static HangingGateway gateway;

  @BeforeAll
  static void start() {
    app =
        RunningApp.start(
            Map.of(
                "test.gateway", "hanging",
                "test.pool-size", String.valueOf(POOL),
                "minispod.web.operation-wait", "1s"));
    context = app.context();
    http = app.http();
    gateway = context.getBean(HangingGateway.class);
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      gateway.release(Set.of());
      context.close();
    }
  }

  @Test
  void hangingGateway_catalogStaysFast_subscribesAre202_andEveryOperationEnds() throws Exception {
    long usual = slowestOf(20); // warm, before the hang

    ExecutorService users = Executors.newFixedThreadPool(USERS);
    List<String> locations = new ArrayList<>();
    try {
      List<Future<Http.Response>> answers = new ArrayList<>();
      for (int i = 1; i <= USERS; i++) {
        String user = "racer" + i;
        answers.add(
            users.submit(
                () ->
                    http.post(
                        user,
                        "/api/user/subscriptions",
                        "{\"serviceSlug\":\"n8n\",\"planSlug\":\"basic\"}",
                        "hang-" + user)));
      }
      for (Future<Http.Response> answer : answers) {
        Http.Response response = answer.get(60, TimeUnit.SECONDS);
        assertThat(response.status()).as(response.text()).isEqualTo(202);
        locations.add(response.header("Location"));
      }
    } finally {
      users.shutdownNow();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> gateway.hanging() >= POOL + 1);

    // More charges hang than the pool has connections, yet the catalog answers as usual.
    long during = slowestOf(40);
    assertThat(during)
        .as("slowest catalog answer while the gateway hangs (usual: %d ms)", usual)
        .isLessThan(Math.max(1_000, usual * 10));
    JsonNode pending = http.get("racer1", locations.get(0)).data();
    assertThat(pending.path("status").asString()).isEqualTo("RUNNING");
    assertThat(pending.path("step").asString()).isEqualTo("CHARGE");

    Set<String> declined = new HashSet<>();
    for (int i = 1; i <= 5; i++) {
      declined.add("racer" + i);
    }
    gateway.release(declined);

    int succeeded = 0;
    int failed = 0;
    for (int i = 0; i < USERS; i++) {
      String user = "racer" + (i + 1);
      String location = locations.get(i);
      JsonNode done =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () -> http.get(user, location).data(),
                  op -> !op.path("status").asString().equals("RUNNING"));
      if (done.path("status").asString().equals("SUCCEEDED")) {
        succeeded++;
        assertThat(declined).doesNotContain(user);
      } else {
        failed++;
        assertThat(done.path("error").path("code").asString()).isEqualTo("PAYMENT_FAILED");
        assertThat(declined).contains(user);
      }
    }
    assertThat(succeeded).isEqualTo(USERS - 5);
    assertThat(failed).isEqualTo(5);
  }

  /**
   * The slowest of {@code n} rounds of reads, in milliseconds: a public catalog page (served from
   * the catalog's caches) and a user's subscription list, which takes a connection from the pool
   * each time, so an exhausted pool would show.
   */
  private static long slowestOf(int n) {
    long slowest = 0;
    for (int i = 0; i < n; i++) {
      for (String[] read :
          List.of(
              new String[] {null, "/api/catalog/services/n8n"},
              new String[] {"alice", "/api/user/subscriptions"})) {
        long start = System.nanoTime();
        Http.Response response = http.get(read[0], read[1]);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(response.status()).as(read[1]).isEqualTo(200);
        slowest = Math.max(slowest, took);
      }
    }
    return slowest;
  }
}
