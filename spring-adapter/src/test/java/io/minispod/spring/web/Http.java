package io.minispod.spring.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the tests: JSON in, status and parsed JSON out. */
final class Http {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  Http(int port) {
    this.base = "http://localhost:" + port;
  }

  record Response(int status, JsonNode body, String text, java.net.http.HttpHeaders headers) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    JsonNode data() {
      return body.path("data");
    }

    String code() {
      return body.path("error").path("code").asString("");
    }
  }

  Response get(String user, String path) {
    return send(user, "GET", path, null, null);
  }

  Response delete(String user, String path) {
    return send(user, "DELETE", path, null, null);
  }

  Response post(String user, String path, String json) {
    return send(user, "POST", path, json, null);
  }

  Response post(String user, String path, String json, String idempotencyKey) {
    return send(user, "POST", path, json, idempotencyKey);
  }

  Response put(String user, String path, String json) {
    return send(user, "PUT", path, json, null);
  }

  Response patch(String user, String path, String json) {
    return send(user, "PATCH", path, json, null);
  }

  Response send(String user, String method, String path, String json, String idempotencyKey) {
    return send(user, method, path, json, idempotencyKey, java.util.Map.of());
  }

  /** A request with headers of its own besides the caller's credentials and key. */
  Response send(
      String user,
      String method,
      String path,
      String json,
      String idempotencyKey,
      java.util.Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (user != null) {
      String credentials = user + ":" + TestApplication.PASSWORD;
      request.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
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
      JsonNode body = text == null || text.isBlank() ? JSON.createObjectNode() : parse(text);
      return new Response(response.statusCode(), body, text, response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A JSON body of about {@code bytes} bytes sent without a Content-Length (chunked). */
  Response postChunked(String user, String path, int bytes) {
    String json = "{\"serviceSlug\":\"" + "n".repeat(bytes) + "\",\"planSlug\":\"pro\"}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (user + ":" + TestApplication.PASSWORD)
                                .getBytes(StandardCharsets.UTF_8)))
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
            .build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(
          response.statusCode(), parse(response.body()), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response sendWithHeader(String method, String path, String header, String value) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header(header, value)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(
          response.statusCode(), parse(response.body()), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (RuntimeException e) {
      return JSON.createObjectNode().put("unparsed", text);
    }
  }
}
