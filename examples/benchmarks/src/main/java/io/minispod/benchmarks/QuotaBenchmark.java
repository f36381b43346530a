package io.minispod.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.minispod.quota.AllocationRequest;
import io.minispod.quota.PoolAvailability;
import io.minispod.quota.QuotaExceededException;
import io.minispod.quota.QuotaItem;
import io.minispod.quota.QuotaManager;
import io.minispod.quota.ReconciliationReport;
import io.minispod.testkit.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Recorder;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Allocations per second on one hot pool, against a naive baseline and against the same number of
 * callers spread over distinct pools, all in one run on one database.
 *
 * <ul>
 *   <li><b>hot</b>: every caller allocates 1 from the same pool through {@link
 *       QuotaManager#allocate}, which combines concurrent requests into shared transactions;
 *   <li><b>naive</b>: every caller allocates 1 from the same pool in a transaction of its own that
 *       locks the pool row ({@code SELECT … FOR NO KEY UPDATE}), checks, writes the allocation and
 *       ledger rows and updates the counter: the uncombined path, {@link
 *       QuotaManager#inTransaction};
 *   <li><b>spread</b>: caller {@code i} allocates from its own pool through {@link
 *       QuotaManager#allocate}.
 * </ul>
 *
 * <p>The first row is run once, unmeasured, before the table: otherwise its first cell, always the
 * hot path's, pays for a cold JVM, new connections and a fresh database (its twin, the spread path
 * at one caller, running the same code a few seconds later, measured 1.3 to 1.9 times its rate).
 *
 * <p>After the timed runs a capacity storm checks that no pool is over-allocated: 32 callers race
 * for a pool of capacity 5,000 and exactly 5,000 must be granted; finally every pool's counter,
 * live allocations and ledger must agree ({@link QuotaManager#reconcile}).
 *
 * <p>Options: {@code --callers 1,8,32,64}, {@code --seconds 3} (measured per cell), {@code --warmup
 * 1}, {@code --lanes 4}. The embedded PostgreSQL runs with its crash-safe defaults ({@code fsync}
 * and {@code synchronous_commit} on); {@code MINISPOD_DB_URL} points it elsewhere.
 */
final class QuotaBenchmark {

  private final QuotaManager quota;
  private final DSLContext dsl;
  private final Duration measure;
  private final Duration warmup;
  private final AtomicLong keys = new AtomicLong();

  private QuotaBenchmark(QuotaManager quota, DSLContext dsl, Duration measure, Duration warmup) {
    this.quota = quota;
    this.dsl = dsl;
    this.measure = measure;
    this.warmup = warmup;
  }

  static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    int connections =
        options.callers.stream().mapToInt(Integer::intValue).max().orElse(1) + options.lanes + 4;
    try (PostgresServer server = PostgresServer.start(Map.of("max_connections", "300"));
        HikariDataSource dataSource = server.pool(server.createDatabase(), connections);
        QuotaManager quota =
            QuotaManager.builder(dataSource)
                .combiningLanes(options.lanes)
                .reclaimInterval(Duration.ZERO)
                .build()) {
      QuotaBenchmark benchmark =
          new QuotaBenchmark(
              quota, DSL.using(dataSource, SQLDialect.POSTGRES), options.measure, options.warmup);
      benchmark.run(options);
    }
  }

  private void run(Options options) throws InterruptedException {
    System.out.printf(
        "quota-core allocation throughput: %d s measured per cell after %d s warm-up and one unmeasured row, %d combining lanes, %d cores%n%n",
        measure.toSeconds(),
        warmup.toSeconds(),
        options.lanes,
        Runtime.getRuntime().availableProcessors());
    System.out.printf(
        "%7s | %12s %9s | %12s %9s | %12s %9s | %10s %10s%n",
        "callers",
        "hot alloc/s",
        "p99 ms",
        "naive alloc/s",
        "p99 ms",
        "spread alloc/s",
        "p99 ms",
        "hot/naive",
        "hot/spread");
    System.out.println("-".repeat(118));
    // Unmeasured: the first cell would otherwise pay for a cold JVM (JIT), new connections and a
    // fresh database, and the first cell is always the hot path's.
    row("warmup:", options.callers.get(0));
    for (int callers : options.callers) {
      Row row = row("", callers);
      System.out.printf(
          "%7d | %12.0f %9.2f | %12.0f %9.2f | %12.0f %9.2f | %9.2fx %9.2fx%n",
          callers,
          row.hot().perSecond(),
          row.hot().p99Millis(),
          row.naive().perSecond(),
          row.naive().p99Millis(),
          row.spread().perSecond(),
          row.spread().p99Millis(),
          row.hot().perSecond() / row.naive().perSecond(),
          row.hot().perSecond() / row.spread().perSecond());
    }
    capacityStorm();
    ReconciliationReport report = quota.reconcile(false);
    System.out.printf(
        "%nreconcile: %d pools checked, %d drifting%n",
        report.poolsChecked(), report.drifts().size());
    if (!report.isClean()) {
      throw new IllegalStateException("drift found: " + report.drifts());
    }
  }

  /** Measures the three ways at one number of callers, each on pools of its own. */
  private Row row(String prefix, int callers) throws InterruptedException {
    String hotPool = definePool(prefix + "hot:" + callers);
    Result hot = measure(callers, caller -> () -> combined(hotPool, caller));
    String naivePool = definePool(prefix + "naive:" + callers);
    Result naive = measure(callers, caller -> () -> uncombined(naivePool, caller));
    List<String> spreadPools = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      spreadPools.add(definePool(prefix + "spread:" + callers + ":" + i));
    }
    Result spread = measure(callers, caller -> () -> combined(spreadPools.get(caller), caller));
    checkCounts(hotPool, hot.granted());
    checkCounts(naivePool, naive.granted());
    return new Row(hot, naive, spread);
  }

  private record Row(Result hot, Result naive, Result spread) {}

  private String definePool(String key) {
    quota.definePool(key, 1_000_000_000L);
    return key;
  }

  private boolean combined(String pool, int caller) {
    quota.allocate(
        AllocationRequest.of(
            "caller-" + caller, "k" + keys.incrementAndGet(), QuotaItem.of(pool, 1)));
    return true;
  }

  private boolean uncombined(String pool, int caller) {
    AllocationRequest request =
        AllocationRequest.of(
            "caller-" + caller, "k" + keys.incrementAndGet(), QuotaItem.of(pool, 1));
    dsl.transaction(tx -> quota.inTransaction(tx.dsl()).allocate(request));
    return true;
  }

  /** An allocation attempt: true when granted, false when refused for lack of capacity. */
  @FunctionalInterface
  private interface Attempt {
    boolean run();
  }

  private record Result(long granted, long refused, double perSecond, double p99Millis) {}

  /**
   * Runs {@code callers} threads for warm-up plus the measured time; counts only the attempts that
   * complete inside the measured window.
   */
  private Result measure(int callers, IntFunction<Attempt> attempts) throws InterruptedException {
    Recorder latencies = new Recorder(3);
    AtomicLong granted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong measuredGranted = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    long begin = System.nanoTime() + 50_000_000L;
    long measureFrom = begin + warmup.toNanos();
    long end = measureFrom + measure.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      Attempt attempt = attempts.apply(i);
      Thread thread =
          new Thread(
              () -> {
                awaitQuietly(start);
                long now;
                while ((now = System.nanoTime()) < end) {
                  boolean ok;
                  try {
                    ok = attempt.run();
                  } catch (QuotaExceededException e) {
                    ok = false;
                  }
                  long done = System.nanoTime();
                  (ok ? granted : refused).incrementAndGet();
                  if (now >= measureFrom && done <= end) {
                    latencies.recordValue(done - now);
                    if (ok) {
                      measuredGranted.incrementAndGet();
                    }
                  }
                }
              });
      threads.add(thread);
      thread.start();
    }
    while (System.nanoTime() < begin) {
      Thread.onSpinWait();
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    double perSecond = measuredGranted.get() / (measure.toNanos() / 1e9);
    double p99 = latencies.getIntervalHistogram().getValueAtPercentile(99) / 1e6;
    return new Result(granted.get(), refused.get(), perSecond, p99);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkCounts(String pool, long granted) {
    PoolAvailability figures = quota.availability(List.of(pool)).get(0);
    if (figures.used() != granted) {
      throw new IllegalStateException(
          pool + " used " + figures.used() + " but " + granted + " were granted");
    }
  }

  /** 32 callers race for a small pool; exactly its capacity must be granted. */
  private void capacityStorm() throws InterruptedException {
    int capacity = 5_000;
    String pool = "storm";
    quota.definePool(pool, capacity);
    AtomicLong granted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      int caller = i;
      Thread thread =
          new Thread(
              () -> {
                for (int attempt = 0; attempt < 400; attempt++) {
                  try {
                    combined(pool, caller);
                    granted.incrementAndGet();
                  } catch (QuotaExceededException e) {
                    refused.incrementAndGet();
                  }
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    PoolAvailability figures = quota.availability(List.of(pool)).get(0);
    System.out.printf(
        "%ncapacity storm: 32 callers x 400 attempts on a pool of %d: granted %d, refused %d, pool used %d, over-allocated %d%n",
        capacity,
        granted.get(),
        refused.get(),
        figures.used(),
        Math.max(0, figures.used() - capacity));
    if (granted.get() != capacity || figures.used() != capacity) {
      throw new IllegalStateException("the storm granted " + granted.get() + " of " + capacity);
    }
  }

  private record Options(List<Integer> callers, Duration measure, Duration warmup, int lanes) {

    static Options parse(String[] args) {
      List<Integer> callers = List.of(1, 8, 32, 64);
      Duration measure = Duration.ofSeconds(3);
      Duration warmup = Duration.ofSeconds(1);
      int lanes = 4;
      for (int i = 0; i + 1 < args.length; i += 2) {
        String value = args[i + 1];
        switch (args[i]) {
          case "--callers" ->
              callers = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
          case "--seconds" -> measure = Duration.ofSeconds(Long.parseLong(value));
          case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(value));
          case "--lanes" -> lanes = Integer.parseInt(value);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return new Options(callers, measure, warmup, lanes);
    }
  }
}
