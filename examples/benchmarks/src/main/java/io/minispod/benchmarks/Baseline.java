package io.minispod.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The smallest transaction worth comparing a subscription with, measured on the same database and
 * with the same callers: insert one row, update it, commit. What the machine (its disk, its cores,
 * its PostgreSQL) gives such a transaction is what a subscription's figure is divided by.
 */
final class Baseline {

  private static final Duration WARMUP = Duration.ofSeconds(3);

  private Baseline() {}

  /** Transactions per second of {@code callers} threads, each committing as fast as it can. */
  static double transactionsPerSecond(DataSource dataSource, int callers, Duration measure)
      throws Exception {
    try (Connection connection = dataSource.getConnection();
        Statement ddl = connection.createStatement()) {
      ddl.execute("CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, n bigint)");
    }
    AtomicLong measured = new AtomicLong();
    long start = System.nanoTime() + 50_000_000L;
    long from = start + WARMUP.toNanos();
    long end = from + measure.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      Thread thread =
          new Thread(
              () -> {
                while (System.nanoTime() < start) {
                  Thread.onSpinWait();
                }
                long now;
                while ((now = System.nanoTime()) < end) {
                  insertAndUpdate(dataSource);
                  if (now >= from && System.nanoTime() <= end) {
                    measured.incrementAndGet();
                  }
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return measured.get() / (measure.toNanos() / 1e9);
  }

  private static void insertAndUpdate(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      long id;
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO bench_baseline (n) VALUES (1) RETURNING id")) {
        try (ResultSet row = insert.executeQuery()) {
          row.next();
          id = row.getLong(1);
        }
      }
      try (PreparedStatement update =
          connection.prepareStatement("UPDATE bench_baseline SET n = n + 1 WHERE id = ?")) {
        update.setLong(1, id);
        update.executeUpdate();
      }
      connection.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
