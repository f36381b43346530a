package io.minispod.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.minispod.billing.BillingService;
import io.minispod.billing.MockPaymentGateway;
import io.minispod.catalog.Catalog;
import io.minispod.catalog.Plan;
import io.minispod.provisioner.InMemoryProvisioner;
import io.minispod.provisioner.ResourceLimits;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.subscription.Subscriptions;
import io.minispod.testkit.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.HdrHistogram.Recorder;

/**
 * Subscriptions per second end to end: duplicate check, quota (plan, user and cluster pools), the
 * first period's charge through the mock payment gateway, the billing ledger, and provisioning
 * through the in-memory provisioner, at 1 and 32 concurrent users, each caller on a plan of its
 * own. Every subscription must end {@code ACTIVE} with a running instance.
 *
 * <p>So that machines compare, each row also measures, in the same run on the same database, a
 * baseline: the same callers each committing one small transaction (a one-row insert and a one-row
 * update) as fast as they can. It prints subscriptions per second as a fraction of those
 * transactions per second, and what one subscription costs: transactions (commits, and statements
 * run in autocommit) and statements, counted at the JDBC driver over the whole cell.
 *
 * <p>Then a floor, measured with the same callers after each row ({@link SubscriptionFloor}): only
 * the rows one subscription must write, as plain JDBC in three transactions, as a fraction of the
 * same baseline, once on lean tables of its own and once on the library's own tables (in a second
 * database, so that the library's background tasks never see those rows). It bounds what trimming a
 * subscription's own statements can reach.
 *
 * <p>Options: {@code --callers 1,32}, {@code --seconds 10}, {@code --warmup 15}, {@code --commit
 * async}. The embedded PostgreSQL keeps its crash-safe defaults; {@code MINISPOD_DB_URL} points it
 * elsewhere.
 */
final class SubscriptionBenchmark {

  /** A benchmark service: its slug, and what a floor's subscriptions to it refer to. */
  private record BenchService(String slug, SubscriptionFloor.Target target) {}

  private SubscriptionBenchmark() {}

  /** One service with one plan per caller, so that no two callers share a plan's quota. */
  private static List<BenchService> createServices(Catalog catalog, int count) {
    BenchCatalog.createCategory(catalog);
    List<BenchService> services = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String slug = "bench-" + i;
      Plan plan = BenchCatalog.createService(catalog, slug, "Bench " + i, 1_000_000L);
      services.add(
          new BenchService(slug, new SubscriptionFloor.Target(plan.serviceId(), plan.id())));
    }
    return services;
  }

  static void main(String[] args) throws Exception {
    List<Integer> callers = List.of(1, 32);
    Duration measure = Duration.ofSeconds(10);
    // Long enough for the JIT to settle: with 2 s the 32-caller figure still climbs.
    Duration warmup = Duration.ofSeconds(15);
    Map<String, String> settings = Map.of("max_connections", "300");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--callers" ->
            callers = Arrays.stream(args[i + 1].split(",")).map(Integer::valueOf).toList();
        case "--seconds" -> measure = Duration.ofSeconds(Long.parseLong(args[i + 1]));
        case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(args[i + 1]));
        case "--commit" ->
            settings =
                args[i + 1].equals("async")
                    ? Map.of("max_connections", "300", "synchronous_commit", "off")
                    : Map.of("max_connections", "300");
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    int maxCallers = callers.stream().mapToInt(Integer::intValue).max().orElse(1);
    StatementCounter counter = new StatementCounter();
    try (PostgresServer server = PostgresServer.start(settings);
        HikariDataSource pool = server.pool(server.createDatabase(), 2 * maxCallers + 8);
        HikariDataSource floorPool = server.pool(server.createDatabase(), 2 * maxCallers + 8);
        QuotaManager quota = QuotaManager.builder(counter.wrap(pool)).build();
        Catalog catalog = Catalog.builder(counter.wrap(pool), quota).build()) {
      DataSource dataSource = counter.wrap(pool);
      BillingService billing =
          BillingService.builder(dataSource).paymentGateway(new MockPaymentGateway()).build();
      InMemoryProvisioner provisioner = new InMemoryProvisioner("apps.bench");
      try (Subscriptions subscriptions =
          Subscriptions.builder(catalog, billing, provisioner)
              .instancesPerUser(1)
              .clusterCapacity(new ResourceLimits(1_000_000_000, 1_000_000_000, 1_000_000_000))
              .build()) {
        List<String> services =
            createServices(catalog, maxCallers).stream().map(BenchService::slug).toList();
        List<SubscriptionFloor.Target> floorTargets;
        try (QuotaManager floorQuota = QuotaManager.builder(floorPool).build();
            Catalog floorCatalog = Catalog.builder(floorPool, floorQuota).build()) {
          floorTargets =
              createServices(floorCatalog, maxCallers).stream().map(BenchService::target).toList();
        }
        System.out.printf(
            "catalog-core subscriptions end to end (in-memory provisioner, mock gateway): %d s measured after %d s warm-up, %d cores%n%n",
            measure.toSeconds(), warmup.toSeconds(), Runtime.getRuntime().availableProcessors());
        System.out.printf(
            "%7s | %16s | %8s %8s | %9s | %13s %9s | %7s %7s%n",
            "callers",
            "subscriptions/s",
            "p50 ms",
            "p99 ms",
            "all ok",
            "baseline tx/s",
            "fraction",
            "tx/sub",
            "stmt/sub");
        System.out.println("-".repeat(104));
        AtomicLong users = new AtomicLong();
        List<String> floors = new ArrayList<>();
        for (int n : callers) {
          Recorder latencies = new Recorder(3);
          AtomicLong failures = new AtomicLong();
          AtomicLong subscribed = new AtomicLong();
          long statementsBefore = counter.statements();
          long transactionsBefore = counter.transactions();
          double rate =
              ClosedLoop.callsPerSecond(
                  n,
                  warmup,
                  measure,
                  latencies,
                  caller -> {
                    Subscription s =
                        subscriptions
                            .subscriptions()
                            .subscribe(
                                "u" + users.incrementAndGet(), services.get(caller), "basic", "k");
                    subscribed.incrementAndGet();
                    if (s.status() != SubscriptionStatus.ACTIVE
                        || s.instance().status() != InstanceStatus.RUNNING) {
                      failures.incrementAndGet();
                    }
                  });
          var histogram = latencies.getIntervalHistogram();
          double statements = (counter.statements() - statementsBefore) / (double) subscribed.get();
          double transactions =
              (counter.transactions() - transactionsBefore) / (double) subscribed.get();
          double baseline = Baseline.transactionsPerSecond(pool, n, measure);
          System.out.printf(
              "%7d | %16.0f | %8.2f %8.2f | %9s | %13.0f %8.3fx | %7.1f %7.1f%n",
              n,
              rate,
              histogram.getValueAtPercentile(50) / 1e6,
              histogram.getValueAtPercentile(99) / 1e6,
              failures.get() == 0 ? "yes" : failures.get() + " not running",
              baseline,
              rate / baseline,
              transactions,
              statements);
          double lean =
              SubscriptionFloor.subscriptionsPerSecond(
                  pool, SubscriptionFloor.LEAN, floorTargets, n, measure);
          double library =
              SubscriptionFloor.subscriptionsPerSecond(
                  floorPool, SubscriptionFloor.LIBRARY, floorTargets, n, measure);
          floors.add(
              String.format(
                  "%7d | %13.0f %8.3fx | %13.0f %8.3fx | %13.0f",
                  n, lean, lean / baseline, library, library / baseline, baseline));
        }
        System.out.printf(
            "%nfloor: only the rows one subscription must write, hand-written JDBC, 3 transactions,"
                + " 10 statements, no reads or history, no shared pool;%n"
                + "on lean tables, and on the library's own tables (their indexes, keys and checks),"
                + " in subscriptions/s%n%n"
                + "%7s | %13s %9s | %13s %9s | %13s%n%s%n",
            "callers",
            "lean tables",
            "fraction",
            "library's",
            "fraction",
            "baseline tx/s",
            "-".repeat(78));
        floors.forEach(System.out::println);
        System.out.printf(
            "%nquota reconcile: %s%n",
            quota.reconcile(false).isClean() ? "no drift" : quota.reconcile(false).drifts());
      }
    }
  }
}
