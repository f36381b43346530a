package io.minispod.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.minispod.billing.BillingService;
import io.minispod.billing.MockPaymentGateway;
import io.minispod.catalog.Catalog;
import io.minispod.catalog.Plan;
import io.minispod.provisioner.InMemoryProvisioner;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.Subscriptions;
import io.minispod.testkit.MutableClock;
import io.minispod.testkit.PostgresServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Renewals per second: a number of subscriptions (100,000 by default) fall due at the same instant,
 * and 1, then 2, nodes ({@link Subscriptions} instances on pools of their own, as separate JVMs
 * would be) run {@link Subscriptions#renewDue()} at once until every period is charged through the
 * mock gateway and rolled forward. Prints renewals per second and the JVM's peak heap use while
 * renewing, sampled every 10 ms after a collection before the start (the nodes' heap is shared in
 * this one JVM, so the figure is an upper bound for each).
 *
 * <p>The subscriptions are written straight into the database (active, on one plan, their period
 * ending at the instant): renewal reads nothing else of them. Options: {@code --subscriptions
 * 100000}, {@code --nodes 1,2}.
 */
final class RenewalBenchmark {

  private RenewalBenchmark() {}

  static void main(String[] args) throws Exception {
    int count = 100_000;
    List<Integer> nodeCounts = List.of(1, 2);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--subscriptions" -> count = Integer.parseInt(args[i + 1]);
        case "--nodes" ->
            nodeCounts = Arrays.stream(args[i + 1].split(",")).map(Integer::valueOf).toList();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf(
        "catalog-core renewals (mock gateway): %,d subscriptions due at one instant, %d cores%n%n",
        count, Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "%5s | %12s | %10s | %14s | %18s | %14s%n",
        "nodes", "renewals/s", "seconds", "peak heap MiB", "peak live heap MiB", "all renewed");
    System.out.println("-".repeat(89));
    try (PostgresServer server = PostgresServer.start(Map.of("max_connections", "300"))) {
      for (int nodes : nodeCounts) {
        measure(server, nodes, count);
      }
    }
  }

  private static void measure(PostgresServer server, int nodes, int count) throws Exception {
    String database = server.createDatabase();
    MutableClock clock = MutableClock.at("2026-01-15T03:00:00Z");
    MockPaymentGateway gateway = new MockPaymentGateway();
    InMemoryProvisioner provisioner = new InMemoryProvisioner("apps.bench");
    List<AutoCloseable> closing = new ArrayList<>();
    List<Subscriptions> running = new ArrayList<>();
    try {
      for (int n = 0; n < nodes; n++) {
        HikariDataSource pool = server.pool(database, 24);
        closing.add(pool);
        QuotaManager quota =
            QuotaManager.builder(pool).clock(clock).reclaimInterval(Duration.ZERO).build();
        closing.add(quota);
        Catalog catalog = Catalog.builder(pool, quota).clock(clock).build();
        closing.add(catalog);
        BillingService billing =
            BillingService.builder(pool).paymentGateway(gateway).clock(clock).build();
        Subscriptions subscriptions =
            Subscriptions.builder(catalog, billing, provisioner).clock(clock).build();
        closing.add(subscriptions);
        running.add(subscriptions);
        if (n == 0) {
          Instant due = seed(pool, catalog, clock.instant(), count);
          clock.set(due.plusSeconds(60));
        }
      }
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      System.gc();
      AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
      AtomicLong peakLive = new AtomicLong(liveAfterLastCollection());
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                  peakLive.accumulateAndGet(liveAfterLastCollection(), Math::max);
                  try {
                    Thread.sleep(10);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      sampler.setDaemon(true);
      sampler.start();
      ExecutorService threads = Executors.newFixedThreadPool(nodes);
      long start = System.nanoTime();
      List<Future<Integer>> runs = new ArrayList<>();
      for (Subscriptions node : running) {
        runs.add(threads.submit(node::renewDue));
      }
      for (Future<Integer> run : runs) {
        run.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      sampler.interrupt();
      threads.shutdown();
      long renewed = renewedCount(server.pool(database, 1), clock.instant());
      System.out.printf(
          "%5d | %12.0f | %10.1f | %14d | %18d | %14s%n",
          nodes,
          count / seconds,
          seconds,
          peak.get() / (1024 * 1024),
          peakLive.get() / (1024 * 1024),
          renewed == count && gateway.charges().size() == count
              ? "yes"
              : renewed + " renewed, " + gateway.charges().size() + " charged");
    } finally {
      for (int i = closing.size() - 1; i >= 0; i--) {
        closing.get(i).close();
      }
    }
  }

  /** What the heap's pools held after their last collection, summed: the live heap, roughly. */
  private static long liveAfterLastCollection() {
    long live = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterCollection =
          pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (afterCollection != null) {
        live += afterCollection.getUsed();
      }
    }
    return live;
  }

  /** One service and plan, and {@code count} active subscriptions whose period ends in a month. */
  private static Instant seed(HikariDataSource pool, Catalog catalog, Instant now, int count)
      throws Exception {
    BenchCatalog.createCategory(catalog);
    Plan plan = BenchCatalog.createService(catalog, "bench", "Bench", count);
    Instant start = now.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    Instant end = start.plus(Duration.ofDays(31));
    try (Connection c = pool.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO minispod_catalog.subscription (subscription_id, user_id, service_id,"
                    + " plan_id, status, period_start, period_end, amount_paid, currency,"
                    + " idempotency_key, version, created_at, updated_at)"
                    + " SELECT gen_random_uuid(), 'user-' || n, ?, ?, 'ACTIVE', ?, ?, 100000,"
                    + " 'IDR', 'k', 1, ?, ? FROM generate_series(1, ?) AS n")) {
      insert.setObject(1, plan.serviceId());
      insert.setObject(2, plan.id());
      insert.setTimestamp(3, Timestamp.from(start));
      insert.setTimestamp(4, Timestamp.from(end));
      insert.setTimestamp(5, Timestamp.from(now));
      insert.setTimestamp(6, Timestamp.from(now));
      insert.setInt(7, count);
      insert.executeUpdate();
      try (Statement s = c.createStatement()) {
        s.execute("VACUUM ANALYZE minispod_catalog.subscription");
      }
    }
    return end;
  }

  private static long renewedCount(HikariDataSource pool, Instant now) throws Exception {
    try (pool;
        Connection c = pool.getConnection();
        PreparedStatement q =
            c.prepareStatement(
                "SELECT count(*) FROM minispod_catalog.subscription"
                    + " WHERE status = 'ACTIVE' AND period_end > ?")) {
      q.setTimestamp(1, Timestamp.from(now));
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
