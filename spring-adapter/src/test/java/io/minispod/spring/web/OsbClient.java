package io.minispod.spring.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A platform's client of the Open Service Broker API v2.17, written from the spec alone: HTTP basic
 * auth, the version header, {@code accepts_incomplete=true}, and polling {@code last_operation}
 * with the {@code operation} the broker returned until it ends.
 */
final class OsbClient {

  static final String VERSION = "2.17";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String authorization;
  private final String version;

  OsbClient(int port, String username, String password) {
    this(
        "http://localhost:" + port + "/v2",
        username == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)),
        VERSION);
  }

  private OsbClient(String base, String authorization, String version) {
    this.base = base;
    this.authorization = authorization;
    this.version = version;
  }

  /** The same client sending another {@code X-Broker-API-Version} (or none, for {@code null}). */
  OsbClient withVersion(String otherVersion) {
    return new OsbClient(base, authorization, otherVersion);
  }

  /** A status and its JSON body. */
  record Answer(int status, JsonNode body, String text) {
    String text(String field) {
      return body.path(field).asString(null);
    }
  }

  Answer catalog() {
    return send("GET", "/catalog", null, Map.of());
  }

  /** {@code PUT /v2/service_instances/:id?accepts_incomplete=…}. */
  Answer provision(
      String instanceId,
      String serviceId,
      String planId,
      Map<String, Object> context,
      boolean acceptsIncomplete) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service_id", serviceId);
    body.put("plan_id", planId);
    body.put("context", context);
    if (context.get("organization_guid") != null) {
      body.put("organization_guid", context.get("organization_guid"));
      body.put("space_guid", context.get("space_guid"));
    }
    return send(
        "PUT",
        "/service_instances/" + instanceId + query("accepts_incomplete", acceptsIncomplete),
        JSON.writeValueAsString(body),
        Map.of());
  }

  /** {@code PATCH /v2/service_instances/:id?accepts_incomplete=true} changing the plan. */
  Answer update(String instanceId, String serviceId, String planId, String previousPlanId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service_id", serviceId);
    body.put("plan_id", planId);
    body.put("previous_values", Map.of("plan_id", previousPlanId));
    return send(
        "PATCH",
        "/service_instances/" + instanceId + query("accepts_incomplete", true),
        JSON.writeValueAsString(body),
        Map.of());
  }

  Answer fetch(String instanceId) {
    return send("GET", "/service_instances/" + instanceId, null, Map.of());
  }

  Answer deprovision(
      String instanceId, String serviceId, String planId, boolean acceptsIncomplete) {
    return send(
        "DELETE",
        "/service_instances/"
            + instanceId
            + query(
                "service_id",
                serviceId,
                "plan_id",
                planId,
                "accepts_incomplete",
                acceptsIncomplete),
        null,
        Map.of());
  }

  /** {@code PUT …/service_bindings/:binding_id} for an application. */
  Answer bind(String instanceId, String bindingId, String serviceId, String planId, String app) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service_id", serviceId);
    body.put("plan_id", planId);
    body.put("bind_resource", Map.of("app_guid", app));
    return send(
        "PUT",
        "/service_instances/" + instanceId + "/service_bindings/" + bindingId,
        JSON.writeValueAsString(body),
        Map.of());
  }

  Answer fetchBinding(String instanceId, String bindingId) {
    return send(
        "GET",
        "/service_instances/" + instanceId + "/service_bindings/" + bindingId,
        null,
        Map.of());
  }

  Answer unbind(String instanceId, String bindingId, String serviceId, String planId) {
    return send(
        "DELETE",
        "/service_instances/"
            + instanceId
            + "/service_bindings/"
            + bindingId
            + query("service_id", serviceId, "plan_id", planId),
        null,
        Map.of());
  }

  Answer lastOperation(String instanceId, String operation) {
    return send(
        "GET",
        "/service_instances/"
            + instanceId
            + "/last_operation"
            + (operation == null ? "" : query("operation", operation)),
        null,
        Map.of());
  }

  /**
   * Polls {@code last_operation} as a platform does until it is no longer {@code in progress}: the
   * last answer (200 with {@code succeeded} or {@code failed}, or 410 for a finished deprovision).
   */
  Answer poll(String instanceId, String operation) {
    Answer[] last = new Answer[1];
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              last[0] = lastOperation(instanceId, operation);
              return last[0].status() != 200 || !"in progress".equals(last[0].text("state"));
            });
    return last[0];
  }

  /** A request with headers of its own. */
  Answer send(String method, String path, String json, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (version != null) {
      request.header("X-Broker-API-Version", version);
    }
    headers.forEach(request::header);
    if (json != null) {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(json));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      JsonNode body;
      try {
        body = text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
      } catch (RuntimeException e) {
        body = JSON.createObjectNode().put("unparsed", text);
      }
      return new Answer(response.statusCode(), body, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String query(Object... pairs) {
    StringJoiner query = new StringJoiner("&", "?", "");
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        query.add(
            pairs[i]
                + "="
                + URLEncoder.encode(String.valueOf(pairs[i + 1]), StandardCharsets.UTF_8));
      }
    }
    return query.toString();
  }
}
