package io.minispod.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * The demo as a user meets it, called with its HS256 tokens: once as {@code java -jar} starts it
 * (the development secret), once with a real secret, an issuer and an audience configured.
 */
final class DemoApplicationIT {

  private static final String SECRET = "demo-application-it-secret-0123456789-abcdef";
  private static final String ISSUER = "https://issuer.example.test";
  private static final String AUDIENCE = "minispod-api";

  private static ConfigurableApplicationContext context;
  private static ConfigurableApplicationContext secured;
  private static int port;
  private static int securedPort;
  private static String base;
  private static String userToken;
  private static String adminToken;
  private static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    // The environment's own MINISPOD_JWT_* (if any) are overridden: this is the development set-up.
    context =
        SpringApplication.run(
            DemoApplication.class,
            "--server.port=0",
            "--MINISPOD_JWT_SECRET=",
            "--MINISPOD_JWT_ISSUER=",
            "--MINISPOD_JWT_AUDIENCE=");
    port = port(context);
    base = "http://localhost:" + port;
    DemoSecurity.DemoTokens tokens = context.getBean(DemoSecurity.DemoTokens.class);
    userToken = tokens.token("alice", List.of("user"), Duration.ofMinutes(5));
    adminToken = tokens.token("root", List.of("admin"), Duration.ofMinutes(5));
    secured =
        SpringApplication.run(
            DemoApplication.class,
            "--server.port=0",
            "--MINISPOD_JWT_SECRET=" + SECRET,
            "--MINISPOD_JWT_ISSUER=" + ISSUER,
            "--MINISPOD_JWT_AUDIENCE=" + AUDIENCE);
    securedPort = port(secured);
  }

  @AfterAll
  static void stop() {
    for (ConfigurableApplicationContext running :
        new ConfigurableApplicationContext[] {context, secured}) {
      if (running != null) {
        running.close();
      }
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
  void userEndpoint_tokenWithoutExp_answers401() throws Exception {
    SecretKey key = context.getBean(DemoSecurity.JwtSettings.class).key();
    JwtClaimsSet claims =
        JwtClaimsSet.builder()
            .subject("alice")
            .claim("roles", List.of("user"))
            .issuedAt(Instant.now())
            .build();
    String withoutExp =
        NimbusJwtEncoder.withSecretKey(key)
            .algorithm(MacAlgorithm.HS256)
            .build()
            .encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), claims))
            .getTokenValue();
    HttpResponse<String> response = get("/api/user/subscriptions", withoutExp);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("UNAUTHENTICATED");
  }

  @Test
  void userEndpoint_expiredToken_answers401() throws Exception {
    // Issued two hours ago for one hour, on a clock set back: no waiting for expiry.
    SecretKey key = context.getBean(DemoSecurity.JwtSettings.class).key();
    Clock twoHoursAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-2));
    String expired =
        new DemoSecurity.DemoTokens(key, null, null, twoHoursAgo)
            .token("alice", List.of("user"), Duration.ofHours(1));
    HttpResponse<String> response = get("/api/user/subscriptions", expired);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("UNAUTHENTICATED");
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
  void actuatorHealth_anonymousGetsStatusOnly_adminGetsMinisPodDetails() throws Exception {
    HttpResponse<String> anonymous = get("/actuator/health", null);
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(anonymous.body()).contains("\"UP\"").doesNotContain("minisPod", "components");
    HttpResponse<String> user = get("/actuator/health", userToken);
    assertThat(user.body()).doesNotContain("minisPod");
    HttpResponse<String> admin = get("/actuator/health", adminToken);
    assertThat(admin.statusCode()).isEqualTo(200);
    assertThat(admin.body()).contains("minisPod", "\"UP\"");
  }

  @Test
  void actuatorMetrics_onlyForAdmins() throws Exception {
    HttpResponse<String> anonymous = get("/actuator/metrics", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("UNAUTHENTICATED");
    HttpResponse<String> user = get("/actuator/metrics/minispod.quota.total", userToken);
    assertThat(user.statusCode()).isEqualTo(403);
    HttpResponse<String> quota = get("/actuator/metrics/minispod.quota.total", adminToken);
    assertThat(quota.statusCode()).isEqualTo(200);
    assertThat(quota.body()).contains("\"plan\"");
  }

  @Test
  void banner_developmentSecret_printsTokensThatServeTheWalkthrough() throws Exception {
    String banner = context.getBean(StartupBanner.class).text(port);
    assertThat(banner)
        .contains("MinisPod demo is running at http://localhost:" + port)
        .contains("listens on 127.0.0.1 only");
    String user = exported(banner, "USER_TOKEN");
    String admin = exported(banner, "ADMIN_TOKEN");
    assertThat(get("/api/user/subscriptions", user).statusCode()).isEqualTo(200);
    assertThat(get("/api/admin/analytics/quota", admin).statusCode()).isEqualTo(200);
  }

  @Test
  void developmentSecret_listensOnLoopbackOnly() throws Exception {
    Optional<InetAddress> external = externalAddress();
    assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");
    assertThat(accepts(InetAddress.getLoopbackAddress(), port)).isTrue();
    assertThat(accepts(external.get(), port)).as("development demo on %s", external).isFalse();
    assertThat(accepts(external.get(), securedPort)).as("demo with a real secret").isTrue();
  }

  @Test
  void developmentSecret_withNonLoopbackServerAddress_failsStartup() {
    assertThatThrownBy(
            () ->
                SpringApplication.run(
                    DemoApplication.class,
                    "--server.port=0",
                    "--server.address=0.0.0.0",
                    "--MINISPOD_JWT_SECRET="))
        .hasStackTraceContaining("server.address=0.0.0.0 needs MINISPOD_JWT_SECRET");
  }

  @Test
  void banner_realSecret_printsTheRulesAndNoToken() {
    String banner = secured.getBean(StartupBanner.class).text(securedPort);
    assertThat(banner)
        .contains("MinisPod demo is running at http://localhost:" + securedPort)
        .contains("exp is required", "iss must be " + ISSUER, "aud must include " + AUDIENCE)
        .doesNotContain("export USER_TOKEN", "export ADMIN_TOKEN", "eyJ", "127.0.0.1 only");
  }

  @Test
  void realSecret_checksIssuerAndAudience() throws Exception {
    DemoSecurity.JwtSettings jwt = secured.getBean(DemoSecurity.JwtSettings.class);
    assertThat(jwt.developmentSecret()).isFalse();
    Clock clock = Clock.systemUTC();
    String valid =
        new DemoSecurity.DemoTokens(jwt.key(), ISSUER, AUDIENCE, clock)
            .token("alice", List.of("user"), Duration.ofMinutes(5));
    assertThat(securedGet("/api/user/subscriptions", valid).statusCode()).isEqualTo(200);
    String otherAudience =
        new DemoSecurity.DemoTokens(jwt.key(), ISSUER, "another-api", clock)
            .token("alice", List.of("user"), Duration.ofMinutes(5));
    assertThat(securedGet("/api/user/subscriptions", otherAudience).statusCode()).isEqualTo(401);
    String noIssuer =
        new DemoSecurity.DemoTokens(jwt.key(), null, AUDIENCE, clock)
            .token("alice", List.of("user"), Duration.ofMinutes(5));
    assertThat(securedGet("/api/user/subscriptions", noIssuer).statusCode()).isEqualTo(401);
    // A token signed with the public development secret is worthless here.
    assertThat(securedGet("/api/user/subscriptions", userToken).statusCode()).isEqualTo(401);
  }

  private static String exported(String banner, String variable) {
    Matcher matcher = Pattern.compile("export " + variable + "=(\\S+)").matcher(banner);
    assertThat(matcher.find()).as("%s in the banner", variable).isTrue();
    return matcher.group(1);
  }

  private static int port(ConfigurableApplicationContext running) {
    return Integer.parseInt(running.getEnvironment().getProperty("local.server.port"));
  }

  private static Optional<InetAddress> externalAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
            return Optional.of(address);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static boolean accepts(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    return send(base + path, token);
  }

  private static HttpResponse<String> securedGet(String path, String token) throws Exception {
    return send("http://localhost:" + securedPort + path, token);
  }

  private static HttpResponse<String> send(String url, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
