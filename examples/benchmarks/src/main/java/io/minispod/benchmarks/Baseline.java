package io.minispod.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
    return ClosedLoop.callsPerSecond(
        callers, WARMUP, measure, null, caller -> insertAndUpdate(dataSource));
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
