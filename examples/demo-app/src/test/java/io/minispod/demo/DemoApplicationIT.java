package io.minispod.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The demo as a user meets it: started on a random port, called with its HS256 tokens. */
final class DemoApplicationIT {

  private static ConfigurableApplicationContext context;
  private static String base;
  private static String userToken;
  private static String adminToken;
  private static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    context = SpringApplication.run(DemoApplication.class, "--server.port=0");
    base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    DemoSecurity.DemoTokens tokens = context.getBean(DemoSecurity.DemoTokens.class);
    userToken = tokens.token("alice", List.of("user"), Duration.ofMinutes(5));
    adminToken = tokens.token("root", List.of("admin"), Duration.ofMinutes(5));
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void database_poolBoundsStatementsAndLockWaits() throws Exception {
    try (Connection connection = context.getBean(DataSource.class).getConnection();
        Statement statement = connection.createStatement()) {
      assertThat(show(statement, "statement_timeout")).isEqualTo("30s");
      assertThat(show(statement, "lock_timeout")).isEqualTo("10s");
    }
  }

  private static String show(Statement statement, String setting) throws Exception {
    try (ResultSet result = statement.executeQuery("SHOW " + setting)) {
      result.next();
      return result.getString(1);
    }
  }

  @Test
  void catalog_anonymous_servesSeedCatalog() throws Exception {
    HttpResponse<String> response = get("/api/catalog/services/n8n", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"slug\":\"pro\"", "\"quota\"");
  }

  @Test
  void userEndpoint_withUserToken_answers200() throws Exception {
    HttpResponse<String> response = get("/api/user/subscriptions", userToken);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"success\":true");
  }

  @Test
  void userEndpoint_withForgedOrMissingToken_answers401Envelope() throws Exception {
    String forged = userToken.substring(0, userToken.length() - 4) + "AAAA";
    HttpResponse<String> bad = get("/api/user/subscriptions", forged);
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.body()).contains("UNAUTHENTICATED");
    assertThat(get("/api/user/subscriptions", null).statusCode()).isEqualTo(401);
  }

  @Test
  void adminEndpoint_userTokenIs403_adminTokenIs200() throws Exception {
    HttpResponse<String> user = get("/api/admin/services", userToken);
    assertThat(user.statusCode()).isEqualTo(403);
    assertThat(user.body()).contains("FORBIDDEN");
    assertThat(get("/api/admin/services", adminToken).statusCode()).isEqualTo(200);
  }

  @Test
  void openApiDocument_anonymous_describesEveryPath() throws Exception {
    HttpResponse<String> response = get("/v3/api-docs", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains(
            "/api/catalog/search",
            "/api/admin/services/{serviceId}/plans/{planId}",
            "/api/user/subscriptions/{id}/upgrade",
            "/api/user/billing");
  }

  @Test
  void actuator_healthAndMetrics_showMinisPod() throws Exception {
    HttpResponse<String> health = get("/actuator/health", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("minisPod", "\"UP\"");
    HttpResponse<String> quota = get("/actuator/metrics/minispod.quota.total", null);
    assertThat(quota.statusCode()).isEqualTo(200);
    assertThat(quota.body()).contains("\"plan\"");
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
