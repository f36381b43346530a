package io.minispod.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the demo that keeps at a request until it gets a final answer, as API.md asks of one:
 * it sends the request with its idempotency key; when the process it talks to dies under it, it
 * sends the same request with the same key to the next process; on {@code 202 Accepted} it reads
 * the operation at {@code Location} and, while that runs, asks again with the key and {@code
 * Prefer: wait=10} (the server waits, the client does not sleep), until the answer is final: a 2xx
 * with the result, or an error.
 */
final class StormClient {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);
  private static final Duration FINAL_WITHIN = Duration.ofSeconds(100);
  private static final int TRANSIENT_FAILURES_ALLOWED = 5;

  /**
   * A final answer.
   *
   * @param status its HTTP status (never 202)
   * @param code the error code of a failure, null for a success
   * @param data the success's {@code data}, or the failure's {@code error}
   * @param sends how many times the request was sent
   * @param operation what the last operation read said before this answer ({@code SUCCEEDED},
   *     {@code FAILED CODE}), or null when no 202 came
   */
  record Final(int status, String code, JsonNode data, int sends, String operation) {

    boolean success() {
      return status >= 200 && status < 300;
    }

    String label() {
      return code == null ? String.valueOf(status) : status + " " + code;
    }
  }

  /** What the clients of one storm did, counted. */
  static final class Stats {
    final LongAdder sends = new LongAdder();
    final LongAdder resends = new LongAdder();
    final LongAdder cut = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder operationReads = new LongAdder();
    final Map<String, LongAdder> finals = new ConcurrentHashMap<>();

    void finalAnswer(Final answer) {
      finals.computeIfAbsent(answer.label(), k -> new LongAdder()).increment();
    }

    Map<String, Long> finals() {
      Map<String, Long> sorted = new TreeMap<>();
      finals.forEach((label, count) -> sorted.put(label, count.sum()));
      return sorted;
    }

    @Override
    public String toString() {
      return "final answers "
          + finals()
          + ", requests sent "
          + sends.sum()
          + " (of which sent again with the same key "
          + resends.sum()
          + "), cut off by a kill "
          + cut.sum()
          + ", 202 Accepted "
          + accepted.sum()
          + ", operation reads "
          + operationReads.sum();
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final DemoHost demo;

  StormClient(DemoHost demo) {
    this.demo = demo;
  }

  /**
   * Sends {@code POST path} with the body and key until a final answer comes.
   *
   * @throws IllegalStateException if none comes within {@link #FINAL_WITHIN}
   */
  Final untilFinal(String token, String path, String body, String key, Stats stats)
      throws InterruptedException {
    long deadline = System.nanoTime() + FINAL_WITHIN.toNanos();
    DemoHost.Live failed = null;
    String prefer = null;
    String operation = null;
    int sends = 0;
    int transientFailures = 0;
    while (System.nanoTime() < deadline) {
      DemoHost.Live live = demo.awaitLive(failed, FINAL_WITHIN);
      HttpResponse<String> response;
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(live.baseUrl() + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (prefer != null) {
          request.header("Prefer", prefer);
        }
        sends++;
        stats.sends.increment();
        if (sends > 1) {
          stats.resends.increment();
        }
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (live.process().isAlive() && ++transientFailures > TRANSIENT_FAILURES_ALLOWED) {
          throw new IllegalStateException("the live demo keeps failing " + path, e);
        }
        stats.cut.increment();
        failed = live;
        continue;
      }
      if (response.statusCode() != 202) {
        JsonNode envelope = JSON.readTree(response.body());
        boolean ok = response.statusCode() < 300;
        Final answer =
            new Final(
                response.statusCode(),
                ok ? null : envelope.path("error").path("code").asString(),
                ok ? envelope.path("data") : envelope.path("error"),
                sends,
                operation);
        stats.finalAnswer(answer);
        return answer;
      }
      stats.accepted.increment();
      String location = response.headers().firstValue("Location").orElseThrow();
      JsonNode read;
      try {
        read = read(live, token, location, stats);
      } catch (IOException e) {
        stats.cut.increment();
        failed = live;
        continue;
      }
      String status = read.path("status").asString();
      // Running: ask again and let the server wait. Ended: ask again for the final answer, which
      // must match what the operation says.
      prefer = "RUNNING".equals(status) ? "wait=10" : null;
      operation =
          "FAILED".equals(status) ? "FAILED " + read.path("error").path("code").asString() : status;
    }
    throw new IllegalStateException(
        "no final answer to POST " + path + " with key " + key + " within " + FINAL_WITHIN);
  }

  /** {@code GET path} of the live process as {@code user}; the envelope's data. */
  JsonNode get(String token, String path) throws IOException, InterruptedException {
    DemoHost.Live live = demo.awaitLive(null, FINAL_WITHIN);
    HttpResponse<String> response = send(live, token, "GET", path, null);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body()).path("data");
  }

  /** {@code POST path} of the live process, expecting 201; the envelope's data. */
  JsonNode create(String token, String path, Object body) throws IOException, InterruptedException {
    DemoHost.Live live = demo.awaitLive(null, FINAL_WITHIN);
    HttpResponse<String> response = send(live, token, "POST", path, JSON.writeValueAsString(body));
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body()).path("data");
  }

  private JsonNode read(DemoHost.Live live, String token, String location, Stats stats)
      throws IOException, InterruptedException {
    stats.operationReads.increment();
    HttpResponse<String> response = send(live, token, "GET", location, null);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + location + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body()).path("data");
  }

  private HttpResponse<String> send(
      DemoHost.Live live, String token, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(live.baseUrl() + path)).timeout(REQUEST_TIMEOUT);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
