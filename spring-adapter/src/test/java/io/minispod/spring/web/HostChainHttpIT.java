package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@link MinisPodSecurity} in a host with a chain of its own: the MinisPod chain matches {@code
 * /api/**} only, so the host's endpoints keep the host's rules. (Before the chain had a matcher, it
 * ended with {@code anyRequest().permitAll()} over every path: a host chain behind it could never
 * run, and the host's endpoints were open to anyone.)
 */
final class HostChainHttpIT {

  private static RunningApp app;
  private static ConfigurableApplicationContext context;
  private static Http http;

  @BeforeAll
  static void start() {
    app = RunningApp.start(Map.of());
    context = app.context();
    http = app.http();
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void hostEndpoint_anonymous_is401ByTheHostsOwnChain() {
    Http.Response response = http.get(null, TestApplication.HOST_PATH);
    assertThat(response.status()).isEqualTo(401);
    // The host's HTTP Basic entry point answered, not MinisPod's envelope.
    assertThat(response.header("WWW-Authenticate")).startsWith("Basic");
    assertThat(response.code()).isNotEqualTo("UNAUTHENTICATED");
  }

  @Test
  void hostEndpoint_withHostCredentials_answersTheCaller() {
    Http.Response response = http.get("alice", TestApplication.HOST_PATH);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo("alice");
  }

  @Test
  void catalog_anonymous_staysPublic() {
    Http.Response response = http.get(null, "/api/catalog/services/n8n");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().path("success").asBoolean()).isTrue();
  }

  @Test
  void userApi_anonymous_is401ByTheMinisPodChain() {
    Http.Response response = http.get(null, "/api/user/subscriptions");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.code()).isEqualTo("UNAUTHENTICATED");
    assertThat(response.header("WWW-Authenticate")).isNull();
  }
}
