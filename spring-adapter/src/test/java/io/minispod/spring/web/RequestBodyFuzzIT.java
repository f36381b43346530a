package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.context.ConfigurableApplicationContext;

/** Random request bodies against every endpoint that takes one: never a 5xx. */
final class RequestBodyFuzzIT {

  private static final List<String> FIELDS =
      List.of(
          "serviceSlug",
          "planSlug",
          "env",
          "slug",
          "name",
          "categorySlug",
          "description",
          "tags",
          "template",
          "image",
          "port",
          "volumePath",
          "readiness",
          "type",
          "path",
          "tier",
          "price",
          "amount",
          "currency",
          "period",
          "resources",
          "cpuMillicores",
          "memoryMiB",
          "storageGiB",
          "quotaTotal",
          "features",
          "active");

  private static RunningApp app;
  private static ConfigurableApplicationContext context;
  private static Http http;
  private static String serviceId;
  private static String planId;
  private static String subscriptionId;
  private static String instanceId;

  @BeforeContainer
  static void start() {
    app =
        RunningApp.start(
            Map.of("minispod.instances-per-user", "1000", "logging.level.io.minispod", "WARN"));
    context = app.context();
    http = app.http();
    Http.Response details = http.get(null, "/api/catalog/services/n8n");
    serviceId = details.data().path("id").asString();
    planId = details.data().path("plans").get(0).path("id").asString();
    Http.Response created =
        http.post(
            "grace",
            "/api/user/subscriptions",
            "{\"serviceSlug\":\"ghost\",\"planSlug\":\"basic\"}");
    subscriptionId = created.data().path("id").asString();
    instanceId = created.data().path("instance").path("id").asString();
  }

  @AfterContainer
  static void stop() {
    if (context != null) {
      context.close();
    }
  }

  @Property(tries = 400)
  void anyBody_onAnyWriteEndpoint_neverAnswers5xx(
      @ForAll("endpoints") String endpoint, @ForAll("bodies") String body) {
    String[] parts = endpoint.split(" ", 3);
    String user = parts[0];
    String method = parts[1];
    String path =
        parts[2]
            .replace("{serviceId}", serviceId)
            .replace("{planId}", planId)
            .replace("{subscriptionId}", subscriptionId)
            .replace("{instanceId}", instanceId);
    Http.Response response = http.send(user, method, path, body, null);
    assertThat(response.status())
        .as(method + " " + path + " " + body + " -> " + response.text())
        .isLessThan(500);
    if (response.status() >= 400) {
      assertThat(response.text()).doesNotContainIgnoringCase("exception").doesNotContain("SQL");
    }
  }

  @Provide
  Arbitrary<String> endpoints() {
    return Arbitraries.of(
        "grace POST /api/user/subscriptions",
        "grace POST /api/user/subscriptions/{subscriptionId}/upgrade",
        "grace PATCH /api/user/instances/{instanceId}",
        "admin POST /api/admin/services",
        "admin PUT /api/admin/services/{serviceId}",
        "admin POST /api/admin/services/{serviceId}/plans",
        "admin PUT /api/admin/services/{serviceId}/plans/{planId}");
  }

  @Provide
  Arbitrary<String> bodies() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(200)),
        net.jqwik.api.Tuple.of(4, object(2)));
  }

  private Arbitrary<String> object(int depth) {
    Arbitrary<String> entry =
        Combinators.combine(
                Arbitraries.oneOf(
                    Arbitraries.of(FIELDS), Arbitraries.strings().alpha().ofMaxLength(12)),
                value(depth))
            .as((key, value) -> quote(key) + ":" + value);
    return entry
        .list()
        .ofMaxSize(8)
        .map(e -> e.stream().collect(Collectors.joining(",", "{", "}")));
  }

  private Arbitrary<String> value(int depth) {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(300).map(RequestBodyFuzzIT::quote),
            Arbitraries.of(
                    "n8n", "pro", "business", "basic", "automation", "IDR", "MONTHLY", "http")
                .map(RequestBodyFuzzIT::quote),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.integers().between(-5, 70_000).map(String::valueOf),
            Arbitraries.doubles().map(String::valueOf),
            Arbitraries.of("true", "false", "null", "1e400", "-0", "99999999999999999999999"));
    if (depth == 0) {
      return scalar;
    }
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, scalar),
        net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> object(depth - 1))),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.lazy(() -> value(depth - 1))
                .list()
                .ofMaxSize(4)
                .map(l -> String.join(",", l))
                .map(s -> "[" + s + "]")));
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || Character.isSurrogate(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
