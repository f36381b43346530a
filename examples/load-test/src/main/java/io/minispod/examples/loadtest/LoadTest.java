package io.minispod.examples.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.HdrHistogram.Histogram;

/**
 * A load generator against a running MinisPod demo: catalog reads at full rate (req/s, p50, p99)
 * and a subscription storm (throughput, outcome counts, and a check that no plan is
 * over-allocated). Tokens are signed here with the demo's HS256 secret ({@code MINISPOD_JWT_SECRET}
 * or the demo's development default).
 */
public final class LoadTest {

  private static final String DEVELOPMENT_SECRET =
      "minispod-development-secret-change-me-0123456789";
  private static final Pattern USED = Pattern.compile("\"used\":(\\d+)");
  private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

  private final String base;
  private final String secret;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private LoadTest(String base, String secret) {
    this.base = base;
    this.secret = secret;
  }

  /**
   * Runs both phases.
   *
   * @param args {@code --base URL --seconds N --threads N --users N --quota N}
   * @throws Exception when the demo cannot be reached
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String secret = System.getenv().getOrDefault("MINISPOD_JWT_SECRET", DEVELOPMENT_SECRET);
    LoadTest test = new LoadTest(options.getOrDefault("base", "http://localhost:8080"), secret);
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "8"));
    int users = Integer.parseInt(options.getOrDefault("users", "300"));
    int quota = Integer.parseInt(options.getOrDefault("quota", "25"));
    test.catalogReads(seconds, threads);
    boolean ok = test.subscriptionStorm(users, quota, Math.max(threads, 16));
    System.exit(ok ? 0 : 1);
  }

  private void catalogReads(int seconds, int threads) throws Exception {
    URI uri = URI.create(base + "/api/catalog/services/n8n");
    System.out.printf(
        "Catalog reads: GET %s with %d threads, 5 s warm-up, %d s measured%n",
        uri, threads, seconds);
    runReads(uri, threads, 5, new Histogram(60_000_000_000L, 3), new LongAdder());
    Histogram histogram = new Histogram(60_000_000_000L, 3);
    LongAdder errors = new LongAdder();
    long start = System.nanoTime();
    runReads(uri, threads, seconds, histogram, errors);
    double elapsed = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "  %d requests in %.1f s = %.0f req/s; p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f"
            + " ms; %d errors%n",
        histogram.getTotalCount(),
        elapsed,
        histogram.getTotalCount() / elapsed,
        histogram.getValueAtPercentile(50) / 1e6,
        histogram.getValueAtPercentile(99) / 1e6,
        histogram.getValueAtPercentile(99.9) / 1e6,
        histogram.getMaxValue() / 1e6,
        errors.sum());
  }

  private void runReads(URI uri, int threads, int seconds, Histogram total, LongAdder errors)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
    List<Future<Histogram>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      results.add(
          pool.submit(
              () -> {
                Histogram mine = new Histogram(60_000_000_000L, 3);
                while (System.nanoTime() < end) {
                  long before = System.nanoTime();
                  try {
                    HttpResponse<byte[]> response =
                        client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                      errors.increment();
                    }
                  } catch (IOException e) {
                    errors.increment();
                  }
                  mine.recordValue(System.nanoTime() - before);
                }
                return mine;
              }));
    }
    for (Future<Histogram> result : results) {
      total.add(result.get());
    }
    pool.shutdown();
  }

  private boolean subscriptionStorm(int users, int quota, int threads) throws Exception {
    String admin = token("load-admin", "admin");
    String slug = "storm-" + Long.toString(System.currentTimeMillis(), 36);
    HttpResponse<String> service =
        send(
            admin,
            "POST",
            "/api/admin/services",
            """
            {"slug":"%s","name":"Storm %s","categorySlug":"automation","description":"load test",
             "template":{"image":"nginx:1.27","port":8080}}"""
                .formatted(slug, slug));
    Matcher id = ID.matcher(service.body());
    if (service.statusCode() != 201 || !id.find()) {
      System.out.println("Could not create the storm service: " + service.body());
      return false;
    }
    HttpResponse<String> plan =
        send(
            admin,
            "POST",
            "/api/admin/services/" + id.group(1) + "/plans",
            """
            {"slug":"storm","name":"Storm","tier":1,
             "price":{"amount":100000,"currency":"IDR","period":"MONTHLY"},
             "resources":{"cpuMillicores":100,"memoryMiB":128,"storageGiB":1},"quotaTotal":%d}"""
                .formatted(quota));
    if (plan.statusCode() != 201) {
      System.out.println("Could not create the storm plan: " + plan.body());
      return false;
    }
    System.out.printf(
        "Subscription storm: %d users, %d threads, on plan %s/storm with quota %d%n",
        users, threads, slug, quota);
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    String body = "{\"serviceSlug\":\"" + slug + "\",\"planSlug\":\"storm\"}";
    for (int u = 0; u < users; u++) {
      String user = "storm-user-" + u;
      futures.add(
          pool.submit(
              () -> {
                go.await();
                HttpResponse<String> response =
                    send(token(user, "user"), "POST", "/api/user/subscriptions", body);
                String code = response.statusCode() + " " + errorCode(response.body());
                outcomes.computeIfAbsent(code.trim(), k -> new AtomicInteger()).incrementAndGet();
                return null;
              }));
    }
    long start = System.nanoTime();
    go.countDown();
    for (Future<?> future : futures) {
      future.get();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    HttpResponse<String> details = send(null, "GET", "/api/catalog/services/" + slug, null);
    Matcher used = USED.matcher(details.body());
    long usedQuota = used.find() ? Long.parseLong(used.group(1)) : -1;
    int created = outcomes.getOrDefault("201", new AtomicInteger()).get();
    System.out.printf(
        "  %d requests in %.1f s = %.0f req/s; outcomes %s%n",
        users, elapsed, users / elapsed, new TreeMap<>(outcomes));
    boolean ok = usedQuota == created && usedQuota <= quota;
    System.out.printf(
        "  plan quota: total %d, used %d, created %d -> %s%n",
        quota, usedQuota, created, ok ? "no over-allocation" : "MISMATCH");
    return ok;
  }

  private HttpResponse<String> send(String token, String method, String path, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String errorCode(String body) {
    Matcher code = Pattern.compile("\"code\":\"([A-Z_]+)\"").matcher(body);
    return code.find() ? code.group(1) : "";
  }

  /** An HS256 JWT signed by hand: header, claims, HMAC; no library needed. */
  private String token(String subject, String role) {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    long now = System.currentTimeMillis() / 1000;
    String header =
        url.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims =
        url.encodeToString(
            ("{\"sub\":\""
                    + subject
                    + "\",\"roles\":[\""
                    + role
                    + "\"],\"iat\":"
                    + now
                    + ",\"exp\":"
                    + (now + 3600)
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] signature = mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
      return header + "." + claims + "." + url.encodeToString(signature);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
