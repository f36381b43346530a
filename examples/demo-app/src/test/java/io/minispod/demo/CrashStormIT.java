package io.minispod.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.minispod.testkit.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The demo killed with SIGKILL during a subscribe storm and again during an upgrade storm,
 * restarted on the same database each time, every client retrying with its idempotency key until
 * its answer is final: every answer must be final and true (a 2xx only for an active subscription),
 * exactly the plan's capacity granted, every upgrade applied, instances (rows: the in-memory
 * platform dies with the process) for exactly the live subscriptions, and quota, quota ledger and
 * billing ledger in agreement. See docs/crash-storm.md.
 *
 * <p>The demo runs as a child JVM ({@code target/minispod-demo.jar}, built by {@code package}) on a
 * database of the test's PostgreSQL ({@link PostgresServer#shared()}: embedded, or the server named
 * by {@code MINISPOD_DB_URL}). Its in-memory provisioner takes {@value #LATENCY_MS} ms a call, so a
 * kill lands in the middle of workflows; its workflow lease and payment settlement claim are short,
 * so the restarted process takes the dead one's work over within seconds (DemoTimings).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class CrashStormIT {

  private static final int USERS = 80;
  private static final int CAPACITY = 40;
  private static final long LATENCY_MS = 200;
  private static final String SERVICE = "crash-storm";
  private static final String SECRET = "crash-storm-it-secret-0123456789-abcdef";
  private static final long SMALL_PRICE = 1_000;
  private static final long LARGE_PRICE = 3_000;
  private static final Set<String> LIVE_INSTANCE = Set.of("PROVISIONING", "RUNNING", "DEGRADED");

  private static PostgresServer server;
  private static String jdbcUrl;
  private static HikariDataSource db;
  private static DemoHost demo;
  private static StormClient client;
  private static DemoSecurity.DemoTokens tokens;
  private static String adminToken;
  private static UUID smallPlan;
  private static UUID largePlan;

  /** User to the subscription its subscribe answer granted (the storm's ACTIVE ones). */
  private static final Map<String, UUID> granted = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    Path jar = Path.of("target", "minispod-demo.jar").toAbsolutePath();
    assertThat(jar).as("the demo jar (built by mvn package, before failsafe runs)").exists();
    Path logs = Files.createDirectories(Path.of("target", "crash-storm"));
    server = PostgresServer.shared();
    jdbcUrl = server.createDatabase();
    db = server.pool(jdbcUrl, 4);
    boolean external = System.getenv("MINISPOD_DB_URL") != null;
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MINISPOD_DB_URL", jdbcUrl);
    env.put("MINISPOD_DB_USER", external ? env("MINISPOD_DB_USER", "postgres") : "postgres");
    env.put("MINISPOD_DB_PASSWORD", external ? env("MINISPOD_DB_PASSWORD", "") : "");
    env.put("MINISPOD_JWT_SECRET", SECRET);
    demo =
        new DemoHost(
            jar,
            env,
            List.of(
                "--server.port=0",
                "--minispod.demo.provision-latency=" + LATENCY_MS + "ms",
                "--minispod.workflows.lease=12s",
                "--minispod.payment.settlement-claim=10s"),
            logs);
    client = new StormClient(demo);
    tokens =
        new DemoSecurity.DemoTokens(
            new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    adminToken = tokens.token("storm-admin", List.of("admin"), Duration.ofHours(1));
    long started = System.nanoTime();
    demo.start();
    report("demo process 1 ready in %d ms", elapsedMs(started));
    createServiceWithTwoPlans();
  }

  @AfterAll
  static void stop() throws Exception {
    if (demo != null) {
      demo.close();
      report("demo processes started %d, killed %d", demo.generations(), demo.kills());
    }
    if (db != null) {
      db.close();
    }
    if (server != null && jdbcUrl != null) {
      server.dropDatabase(jdbcUrl);
    }
  }

  @Test
  @Order(1)
  void subscribeStorm_killedMidwayAndRetriedWithKeys_grantsExactlyCapacityWithTrueAnswers()
      throws Exception {
    StormClient.Stats stats = new StormClient.Stats();
    String body =
        StormClient.JSON.writeValueAsString(Map.of("serviceSlug", SERVICE, "planSlug", "small"));
    Storm storm =
        storm(
            users(),
            user ->
                client.untilFinal(
                    token(user), "/api/user/subscriptions", body, "subscribe-" + user, stats));
    Map<String, StormClient.Final> answers = storm.answers();
    report("subscribe storm: %s", stats);

    Map<String, Long> byAnswer = stats.finals();
    assertThat(byAnswer)
        .as("final answers of %d users to a plan of capacity %d", USERS, CAPACITY)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("201", (long) CAPACITY, "409 QUOTA_EXCEEDED", (long) (USERS - CAPACITY)));
    for (Map.Entry<String, StormClient.Final> e : answers.entrySet()) {
      StormClient.Final answer = e.getValue();
      assertOperationAgrees(e.getKey(), answer);
      if (answer.success()) {
        assertThat(answer.data().path("status").asString()).isEqualTo("ACTIVE");
        assertThat(answer.data().path("instance").path("status").asString()).isEqualTo("RUNNING");
        assertThat(answer.data().path("plan").path("slug").asString()).isEqualTo("small");
        granted.put(e.getKey(), UUID.fromString(answer.data().path("id").asString()));
      }
    }

    assertReplaysAgree(
        answers,
        user ->
            client.untilFinal(
                token(user), "/api/user/subscriptions", body, "subscribe-" + user, replays()));

    Observed after = Observed.read(db);
    report("after the subscribe storm: %s", after.summary());
    Map<String, UUID> expectedPlans = new TreeMap<>();
    granted.keySet().forEach(user -> expectedPlans.put(user, smallPlan));
    assertAgreement(after, expectedPlans, false);
    assertAnswersAreTrue(answers, after);
  }

  @Test
  @Order(2)
  void upgradeStorm_killedMidwayAndRetriedWithKeys_appliesEveryUpgrade() throws Exception {
    assertThat(granted).as("the subscribe storm's active subscriptions").hasSize(CAPACITY);
    StormClient.Stats stats = new StormClient.Stats();
    String body = StormClient.JSON.writeValueAsString(Map.of("planSlug", "large"));
    Storm storm =
        storm(
            new ArrayList<>(granted.keySet()),
            user ->
                client.untilFinal(
                    token(user),
                    "/api/user/subscriptions/" + granted.get(user) + "/upgrade",
                    body,
                    "upgrade-" + user,
                    stats));
    report("upgrade storm: %s", stats);

    assertThat(stats.finals())
        .as("final answers of %d upgrades", CAPACITY)
        .containsExactlyEntriesOf(Map.of("200", (long) CAPACITY));
    for (Map.Entry<String, StormClient.Final> e : storm.answers().entrySet()) {
      StormClient.Final answer = e.getValue();
      assertOperationAgrees(e.getKey(), answer);
      assertThat(answer.data().path("id").asString()).isEqualTo(granted.get(e.getKey()).toString());
      assertThat(answer.data().path("status").asString()).isEqualTo("ACTIVE");
      assertThat(answer.data().path("plan").path("slug").asString()).isEqualTo("large");
    }

    assertReplaysAgree(
        storm.answers(),
        user ->
            client.untilFinal(
                token(user),
                "/api/user/subscriptions/" + granted.get(user) + "/upgrade",
                body,
                "upgrade-" + user,
                replays()));

    Observed after = Observed.read(db);
    report("after the upgrade storm: %s", after.summary());
    Map<String, UUID> expectedPlans = new TreeMap<>();
    granted.keySet().forEach(user -> expectedPlans.put(user, largePlan));
    assertAgreement(after, expectedPlans, true);
    assertThat(after.pools.get("plan:" + smallPlan).used())
        .as("the old plan's quota, given back by every upgrade")
        .isZero();
    assertThat(after.pools.get("plan:" + largePlan).used())
        .as("the new plan's quota, taken by every upgrade")
        .isEqualTo(CAPACITY);
    for (Map.Entry<String, UUID> e : granted.entrySet()) {
      JsonNode read = client.get(token(e.getKey()), "/api/user/subscriptions/" + e.getValue());
      assertThat(read.path("plan").path("slug").asString()).isEqualTo("large");
      assertThat(read.path("status").asString()).isEqualTo("ACTIVE");
    }
  }

  // ---------------------------------------------------------------- the storm and its kill

  /** What every client of a storm finally got. */
  private record Storm(Map<String, StormClient.Final> answers) {}

  private interface Request {
    StormClient.Final send(String user) throws Exception;
  }

  /**
   * Lets every user send its request at once; kills the demo once the first success has come back
   * while other clients still wait; starts it again on the same database; and waits for every
   * client's final answer.
   */
  private static Storm storm(List<String> users, Request request) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch firstSuccess = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(users.size());
    ExecutorService threads = Executors.newFixedThreadPool(users.size());
    Map<String, Future<StormClient.Final>> futures = new TreeMap<>();
    try {
      for (String user : users) {
        futures.put(
            user,
            threads.submit(
                () -> {
                  try {
                    go.await();
                    StormClient.Final answer = request.send(user);
                    if (answer.success()) {
                      firstSuccess.countDown();
                    }
                    return answer;
                  } finally {
                    done.countDown();
                  }
                }));
      }
      long started = System.nanoTime();
      go.countDown();
      assertThat(firstSuccess.await(60, TimeUnit.SECONDS)).as("a first success").isTrue();
      long waiting = done.getCount();
      DemoHost.Live killed = demo.kill();
      report(
          "SIGKILL to demo process %d (pid %d) %d ms into the storm, %d of %d clients without a"
              + " final answer",
          killed.generation(), killed.process().pid(), elapsedMs(started), waiting, users.size());
      Map<String, Long> inFlight = runningWorkflows();
      report("  left behind in the database: %s", inFlight);
      assertThat(waiting).as("clients still waiting when the demo was killed").isPositive();
      assertThat(inFlight).as("workflows the dead process was running").isNotEmpty();

      long restarting = System.nanoTime();
      DemoHost.Live restarted = demo.start();
      report(
          "demo process %d ready on the same database in %d ms",
          restarted.generation(), elapsedMs(restarting));
      assertThat(done.await(150, TimeUnit.SECONDS)).as("every client's final answer").isTrue();
      report(
          "every client had its final answer %d ms into the storm; demo processes so far logged"
              + " %d lost workflow leases",
          elapsedMs(started), demo.leaseLostLines());
      Map<String, StormClient.Final> answers = new TreeMap<>();
      for (Map.Entry<String, Future<StormClient.Final>> e : futures.entrySet()) {
        answers.put(e.getKey(), e.getValue().get());
      }
      return new Storm(answers);
    } finally {
      threads.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- assertions

  /**
   * A final answer stays final: every request sent once more with its key, after the storm, gets
   * the same answer (the same subscription for a success).
   */
  private static void assertReplaysAgree(Map<String, StormClient.Final> answers, Request again)
      throws Exception {
    Map<String, Long> labels = new TreeMap<>();
    for (Map.Entry<String, StormClient.Final> e : answers.entrySet()) {
      StormClient.Final first = e.getValue();
      StormClient.Final replayed = again.send(e.getKey());
      labels.merge(replayed.label(), 1L, Long::sum);
      assertThat(replayed.label())
          .as("%s's request sent again with its key", e.getKey())
          .isEqualTo(first.label());
      if (first.success()) {
        assertThat(replayed.data().path("id").asString())
            .isEqualTo(first.data().path("id").asString());
        assertThat(replayed.data().path("plan").path("slug").asString())
            .isEqualTo(first.data().path("plan").path("slug").asString());
      }
    }
    report("  every key sent once more after the storm: %s", labels);
  }

  private static StormClient.Stats replays() {
    return new StormClient.Stats();
  }

  /** An answer that came after a 202 agrees with what the operation said before it. */
  private static void assertOperationAgrees(String user, StormClient.Final answer) {
    if (answer.operation() == null || "RUNNING".equals(answer.operation())) {
      return;
    }
    assertThat(answer.operation())
        .as("%s: the operation before the final answer %s", user, answer.label())
        .isEqualTo(answer.success() ? "SUCCEEDED" : "FAILED " + answer.code());
  }

  /** A success only for a subscription that is active; a failure only where nothing is live. */
  private static void assertAnswersAreTrue(Map<String, StormClient.Final> answers, Observed after)
      throws Exception {
    for (Map.Entry<String, StormClient.Final> e : answers.entrySet()) {
      String user = e.getKey();
      List<Observed.Subscription> live = after.liveSubscriptionsOf(user);
      JsonNode listed = client.get(token(user), "/api/user/subscriptions");
      if (e.getValue().success()) {
        UUID id = granted.get(user);
        assertThat(live)
            .as("%s was answered 201 for %s", user, id)
            .extracting(Observed.Subscription::id)
            .containsExactly(id);
        JsonNode read = client.get(token(user), "/api/user/subscriptions/" + id);
        assertThat(read.path("status").asString()).isEqualTo("ACTIVE");
        assertThat(read.path("instance").path("status").asString()).isEqualTo("RUNNING");
        assertThat(listed).hasSize(1);
      } else {
        assertThat(live).as("%s was answered %s", user, e.getValue().label()).isEmpty();
        assertThat(listed).as("%s's subscriptions, read back", user).isEmpty();
        assertThat(after.settledSumOf(user))
            .as("%s was answered %s: nothing may stay charged", user, e.getValue().label())
            .isZero();
      }
    }
  }

  /**
   * Subscriptions, instances, quota, quota ledger and billing ledger agree, with exactly the
   * expected users active on the expected plans.
   */
  private static void assertAgreement(Observed o, Map<String, UUID> expectedPlans, boolean upgraded)
      throws Exception {
    Map<String, UUID> activePlans = new TreeMap<>();
    for (Observed.Subscription s : o.subscriptions) {
      assertThat(s.status())
          .as("subscription %s: no subscription may stay PENDING", s)
          .isNotEqualTo("PENDING");
      if (s.status().equals("ACTIVE")) {
        activePlans.put(s.user(), s.plan());
      }
    }
    assertThat(activePlans).as("active subscriptions by user").isEqualTo(expectedPlans);
    assertThat(o.workflows)
        .as("workflows of the storms")
        .allSatisfy(w -> assertThat(w.status()).as("workflow %s", w).isIn("SUCCEEDED", "FAILED"));

    for (Observed.Subscription s : o.subscriptions) {
      List<Observed.Instance> instances = o.instancesOf(s.id());
      if (s.status().equals("ACTIVE")) {
        Observed.PlanRow plan = o.plans.get(s.plan());
        assertThat(instances)
            .as("instance rows of active subscription %s", s)
            .singleElement()
            .satisfies(
                i -> {
                  assertThat(i.status()).isEqualTo("RUNNING");
                  assertThat(List.of(i.cpu(), i.memory(), i.storage()))
                      .as("resources of instance %s", i)
                      .containsExactly(plan.cpu(), plan.memory(), plan.storage());
                });
      } else {
        assertThat(instances)
            .as("instance rows of %s subscription %s", s.status(), s)
            .noneMatch(i -> LIVE_INSTANCE.contains(i.status()));
      }
    }

    // Quota: every pool's counter = its live allocations = its ledger; plan pools = active ones.
    assertThat(o.pools.values())
        .as("pools whose counter, live allocations and ledger disagree")
        .filteredOn(p -> p.used() != p.live() || p.used() != p.ledger())
        .isEmpty();
    for (Observed.PlanRow plan : o.plans.values()) {
      long active = activePlans.values().stream().filter(plan.id()::equals).count();
      assertThat(o.pools.get("plan:" + plan.id()).used())
          .as("quota used of plan %s", plan.slug())
          .isEqualTo(active);
    }
    for (Observed.Subscription s : o.subscriptions) {
      if (s.status().equals("ACTIVE")) {
        assertThat(o.allocations.get(s.allocation()))
            .as("the allocation of active subscription %s", s)
            .satisfies(
                a -> {
                  assertThat(a.status()).isEqualTo("CONFIRMED");
                  assertThat(a.items()).containsEntry("plan:" + s.plan(), 1L);
                  assertThat(a.items()).containsEntry("user:" + s.user() + ":instances", 1L);
                });
        assertThat(o.pools.get("user:" + s.user() + ":instances").used()).isEqualTo(1);
      }
    }
    assertThat(o.allocations.values())
        .as("holds still open (every hold is confirmed, released or expired by now)")
        .noneMatch(a -> a.status().equals("PENDING"));
    assertThat(o.allocations.values())
        .as("upgrade holds still live")
        .filteredOn(a -> a.key().startsWith("upgrade:"))
        .allSatisfy(a -> assertThat(a.status()).as("hold %s", a).isEqualTo("RELEASED"));

    // Billing: one paid first charge per active subscription, the proration of each upgrade
    // settled, nothing pending or failed, and what the subscription says it was paid.
    assertThat(o.lines)
        .as("billing lines not settled")
        .noneMatch(l -> Set.of("PENDING", "FAILED", "DECLINED").contains(l.status()));
    for (Observed.Subscription s : o.subscriptions) {
      List<Observed.Line> lines = o.linesOf(s.id());
      if (s.status().equals("ACTIVE")) {
        Map<String, Long> types =
            lines.stream()
                .collect(
                    Collectors.groupingBy(
                        l -> l.type() + " " + l.status(), TreeMap::new, Collectors.counting()));
        Map<String, Long> expected = new TreeMap<>(Map.of("CHARGE PAID", 1L));
        if (upgraded) {
          expected.put("PRORATION_CHARGE PAID", 1L);
          expected.put("PRORATION_CREDIT CREDITED", 1L);
        }
        assertThat(types).as("billing lines of %s: %s", s, lines).isEqualTo(expected);
        assertThat(lines)
            .filteredOn(l -> l.type().equals("CHARGE"))
            .singleElement()
            .extracting(Observed.Line::amount)
            .isEqualTo(SMALL_PRICE);
        assertThat(o.settledSum(lines))
            .as("amount paid of %s against its lines %s", s, lines)
            .isEqualTo(s.amountPaid());
      } else {
        assertThat(o.settledSum(lines))
            .as("net charge of %s subscription %s: %s", s.status(), s, lines)
            .isZero();
      }
    }
    for (Observed.Workflow w : o.workflows) {
      if (w.kind().equals("UPGRADE") && w.status().equals("SUCCEEDED")) {
        long due =
            o.linesOf(w.subscription()).stream()
                .filter(l -> l.type().startsWith("PRORATION"))
                .mapToLong(Observed.Line::amount)
                .sum();
        assertThat(w.amountDue()).as("the due of upgrade %s", w).isEqualTo(due);
      }
    }

    // What the demo serves agrees with the database.
    JsonNode service = client.get(null, "/api/catalog/services/" + SERVICE);
    for (JsonNode plan : service.path("plans")) {
      UUID id = UUID.fromString(plan.path("id").asString());
      assertThat(plan.path("quota").path("used").asLong())
          .as("quota used of plan %s served by the catalog", plan.path("slug").asString())
          .isEqualTo(o.pools.get("plan:" + id).used());
    }
    for (JsonNode row : client.get(adminToken, "/api/admin/analytics/quota")) {
      if (row.path("service").asString().equals(SERVICE)) {
        UUID id = o.planBySlug(row.path("plan").asString()).id();
        assertThat(row.path("used").asLong())
            .as("quota used of plan %s in the admin analytics", row.path("plan").asString())
            .isEqualTo(o.pools.get("plan:" + id).used());
      }
    }
  }

  // ---------------------------------------------------------------- set-up and reads

  private static void createServiceWithTwoPlans() throws Exception {
    JsonNode service =
        client.create(
            adminToken,
            "/api/admin/services",
            Map.of(
                "slug", SERVICE,
                "name", "Crash storm",
                "categorySlug", "automation",
                "description", "A service sold by CrashStormIT",
                "template", Map.of("image", "nginx:1.27", "port", 80)));
    String plans = "/api/admin/services/" + service.path("id").asString() + "/plans";
    smallPlan =
        UUID.fromString(client.create(adminToken, plans, plan("small", 1)).path("id").asString());
    largePlan =
        UUID.fromString(client.create(adminToken, plans, plan("large", 2)).path("id").asString());
  }

  private static Map<String, Object> plan(String slug, int tier) {
    boolean small = tier == 1;
    return Map.of(
        "slug",
        slug,
        "name",
        small ? "Small" : "Large",
        "tier",
        tier,
        "price",
        Map.of(
            "amount", small ? SMALL_PRICE : LARGE_PRICE,
            "currency", "USD",
            "period", "MONTHLY"),
        "resources",
        Map.of(
            "cpuMillicores", small ? 250 : 500,
            "memoryMiB", small ? 256 : 512,
            "storageGiB", small ? 1 : 2),
        "quotaTotal",
        CAPACITY);
  }

  /** The workflows still RUNNING, by kind and step: what a killed process left mid-way. */
  private static Map<String, Long> runningWorkflows() throws SQLException {
    Map<String, Long> running = new TreeMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT kind, step, count(*) FROM minispod_catalog.workflow"
                    + " WHERE status = 'RUNNING' GROUP BY kind, step");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        running.put(r.getString(1) + " at " + r.getString(2), r.getLong(3));
      }
    }
    return running;
  }

  private static List<String> users() {
    List<String> users = new ArrayList<>();
    for (int i = 1; i <= USERS; i++) {
      users.add("storm-user-%03d".formatted(i));
    }
    return users;
  }

  private static String token(String user) {
    return user == null ? null : tokens.token(user, List.of("user"), Duration.ofHours(1));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }

  private static long elapsedMs(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  private static void report(String format, Object... args) {
    // The test's report is read in the build's output.
    System.out.println("[CrashStormIT] " + format.formatted(args));
  }
}
