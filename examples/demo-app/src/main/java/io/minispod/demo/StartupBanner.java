package io.minispod.demo;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Prints the URL and ready-to-use tokens once the demo is up. */
@Component
class StartupBanner {

  private static final Duration VALIDITY = Duration.ofDays(30);

  private final DemoSecurity.DemoTokens tokens;

  StartupBanner(DemoSecurity.DemoTokens tokens) {
    this.tokens = tokens;
  }

  @EventListener
  void ready(ApplicationReadyEvent event) {
    int port =
        event.getApplicationContext() instanceof WebServerApplicationContext web
            ? web.getWebServer().getPort()
            : 8080;
    String url = "http://localhost:" + port;
    String user = tokens.token("alice", List.of("user"), VALIDITY);
    String admin = tokens.token("admin", List.of("admin"), VALIDITY);
    // The demo's console output is its user interface.
    System.out.println(
        """

        MinisPod demo is running at %s

        User token (sub=alice, roles=[user], valid 30 days):
          export USER_TOKEN=%s
        Admin token (sub=admin, roles=[admin], valid 30 days):
          export ADMIN_TOKEN=%s

        Try:
          curl -s %s/api/catalog/services/n8n
          curl -s -X POST %s/api/user/subscriptions -H "Authorization: Bearer $USER_TOKEN" \\
               -H 'Content-Type: application/json' -d '{"serviceSlug":"n8n","planSlug":"pro"}'
        """
            .formatted(url, user, admin, url, url));
  }
}
