package io.minispod.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A floor under what a subscription can cost while each one is its own crash-safe workflow: the
 * bare rows it must write, as hand-written JDBC with prepared statements, in the three transactions
 * its outside calls separate (before the payment, between the payment and provisioning, after
 * provisioning), on lean tables of its own. Ten statements: no reads, no history, no billing tags,
 * no allocation items or quota ledger, one quota pool per caller (so no row is shared), no jOOQ.
 *
 * <p>What the library does beyond this floor (statements, history, shared cluster pools, jOOQ) is
 * what a figure between the floor and the real one costs. A floor below a target says the target
 * needs more than trimming each subscription: batching the work of concurrent subscriptions into
 * shared transactions and statements.
 */
final class SubscriptionFloor {

  private static final Duration WARMUP = Duration.ofSeconds(3);

  private SubscriptionFloor() {}

  /** Subscriptions per second of {@code callers} threads, each writing as fast as it can. */
  static double subscriptionsPerSecond(DataSource dataSource, int callers, Duration measure)
      throws Exception {
    createTables(dataSource, callers);
    return ClosedLoop.callsPerSecond(
        callers, WARMUP, measure, null, caller -> subscribe(dataSource, "floor-pool-" + caller));
  }

  private static void createTables(DataSource dataSource, int callers) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement ddl = connection.createStatement()) {
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS floor_pool (pool_key varchar(100) PRIMARY KEY,"
              + " capacity bigint NOT NULL, used bigint NOT NULL, CHECK (used <= capacity))");
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS floor_subscription (subscription_id uuid PRIMARY KEY,"
              + " user_id varchar(150) NOT NULL, pool_key varchar(100) NOT NULL,"
              + " status varchar(20) NOT NULL, amount_paid bigint NOT NULL,"
              + " created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,"
              + " UNIQUE (user_id, pool_key))");
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS floor_allocation (allocation_id uuid PRIMARY KEY,"
              + " subscription_id uuid NOT NULL, pool_key varchar(100) NOT NULL,"
              + " amount bigint NOT NULL, created_at timestamptz NOT NULL)");
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS floor_workflow (workflow_id uuid PRIMARY KEY,"
              + " subscription_id uuid NOT NULL, step varchar(30) NOT NULL,"
              + " status varchar(20) NOT NULL, lease_generation bigint NOT NULL,"
              + " updated_at timestamptz NOT NULL)");
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS floor_charge (line_id uuid PRIMARY KEY,"
              + " subscription_id uuid NOT NULL, amount bigint NOT NULL,"
              + " status varchar(20) NOT NULL, created_at timestamptz NOT NULL)");
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS floor_instance (instance_id uuid PRIMARY KEY,"
              + " subscription_id uuid NOT NULL UNIQUE, status varchar(20) NOT NULL,"
              + " url varchar(300), updated_at timestamptz NOT NULL)");
      for (int c = 0; c < callers; c++) {
        ddl.execute(
            "INSERT INTO floor_pool VALUES ('floor-pool-"
                + c
                + "', 1000000000, 0) ON CONFLICT DO NOTHING");
      }
    }
  }

  /** One subscription's writes: three transactions, ten statements. */
  private static void subscribe(DataSource dataSource, String pool) {
    UUID subscription = UUID.randomUUID();
    UUID workflow = UUID.randomUUID();
    UUID instance = UUID.randomUUID();
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      // Before the payment: the subscription, its quota, its workflow.
      run(
          connection,
          "INSERT INTO floor_subscription VALUES (?, ?, ?, 'PENDING', 0, now(), now())",
          subscription,
          "u-" + subscription,
          pool);
      run(
          connection,
          "UPDATE floor_pool SET used = used + 1 WHERE pool_key = ? AND used + 1 <= capacity",
          pool);
      run(
          connection,
          "INSERT INTO floor_allocation VALUES (?, ?, ?, 1, now())",
          UUID.randomUUID(),
          subscription,
          pool);
      run(
          connection,
          "INSERT INTO floor_workflow VALUES (?, ?, 'CHARGE', 'RUNNING', 1, now())",
          workflow,
          subscription);
      connection.commit();
      // After the payment: the paid line, the subscription active, the instance to be.
      run(
          connection,
          "INSERT INTO floor_charge VALUES (?, ?, 100000, 'PAID', now())",
          UUID.randomUUID(),
          subscription);
      run(
          connection,
          "UPDATE floor_subscription SET status = 'ACTIVE', amount_paid = 100000,"
              + " updated_at = now() WHERE subscription_id = ?",
          subscription);
      run(
          connection,
          "INSERT INTO floor_instance VALUES (?, ?, 'PROVISIONING', NULL, now())",
          instance,
          subscription);
      run(
          connection,
          "UPDATE floor_workflow SET step = 'PROVISION', updated_at = now()"
              + " WHERE workflow_id = ? AND lease_generation = 1",
          workflow);
      connection.commit();
      // After provisioning: the instance running, the workflow done.
      run(
          connection,
          "UPDATE floor_instance SET status = 'RUNNING', url = 'https://x.apps.bench',"
              + " updated_at = now() WHERE instance_id = ?",
          instance);
      run(
          connection,
          "UPDATE floor_workflow SET status = 'SUCCEEDED', updated_at = now()"
              + " WHERE workflow_id = ? AND lease_generation = 1",
          workflow);
      connection.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      if (statement.executeUpdate() != 1) {
        throw new IllegalStateException("no row changed: " + sql);
      }
    }
  }
}
