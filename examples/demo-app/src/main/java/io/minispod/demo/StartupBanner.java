package io.minispod.demo;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Prints the URL once the demo is up, and how to get a token: with the development secret, a
 * ready-to-use user token and admin token (and that the demo listens on the loopback address only);
 * with {@code MINISPOD_JWT_SECRET} set, the token rules and no token at all.
 */
@Component
class StartupBanner {

  private static final Duration VALIDITY = Duration.ofDays(30);

  private final DemoSecurity.JwtSettings jwt;
  private final DemoSecurity.DemoTokens tokens;

  StartupBanner(DemoSecurity.JwtSettings jwt, DemoSecurity.DemoTokens tokens) {
    this.jwt = jwt;
    this.tokens = tokens;
  }

  @EventListener
  void ready(ApplicationReadyEvent event) {
    int port =
        event.getApplicationContext() instanceof WebServerApplicationContext web
            ? web.getWebServer().getPort()
            : 8080;
    // The demo's console output is its user interface.
    System.out.println(text(port));
  }

  /** What the demo prints once it listens on {@code port}. */
  String text(int port) {
    String url = "http://localhost:" + port;
    return """

        MinisPod demo is running at %s

        %s
        Try:
          curl -s %s/api/catalog/services/n8n
          curl -s -X POST %s/api/user/subscriptions -H "Authorization: Bearer $USER_TOKEN" \\
               -H 'Content-Type: application/json' -d '{"serviceSlug":"n8n","planSlug":"pro"}'
        """
        .formatted(url, jwt.developmentSecret() ? developmentTokens() : tokenRules(), url, url);
  }

  private String developmentTokens() {
    String user = tokens.token("alice", List.of("user"), VALIDITY);
    String admin = tokens.token("admin", List.of("admin"), VALIDITY);
    return """
        MINISPOD_JWT_SECRET is not set: tokens are signed with the public development secret, so
        the demo listens on %s only. Set MINISPOD_JWT_SECRET (at least 32 bytes) to serve other
        hosts; it then prints no tokens.

        User token (sub=alice, roles=[user], valid 30 days):
          export USER_TOKEN=%s
        Admin token (sub=admin, roles=[admin], valid 30 days):
          export ADMIN_TOKEN=%s
        """
        .formatted(DemoSecurity.LOOPBACK, user, admin);
  }

  private String tokenRules() {
    StringBuilder rules =
        new StringBuilder(
            "Tokens are HS256 JWTs signed with MINISPOD_JWT_SECRET: claim sub is the user,"
                + " roles [\"admin\"] makes an admin, exp is required");
    if (jwt.issuer() != null) {
      rules.append(", iss must be ").append(jwt.issuer());
    }
    if (jwt.audience() != null) {
      rules.append(", aud must include ").append(jwt.audience());
    }
    return rules.append(". None is printed with a real secret.\n").toString();
  }
}
