package io.minispod.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * A floor under what a subscription can cost while each one is its own crash-safe workflow: the
 * bare rows it must write, as hand-written JDBC with prepared statements, in the three transactions
 * its outside calls separate (before the payment, between the payment and provisioning, after
 * provisioning). Ten statements: no reads, no history, no billing tags, no allocation items or
 * quota ledger, one quota pool per caller (so no row is shared), no jOOQ.
 *
 * <p>The floor is measured on two sets of tables. {@link #LEAN} tables of its own carry a primary
 * key and little else. The {@link #LIBRARY}'s own tables carry what the library's features need of
 * them: the unique and partial indexes, the foreign keys and the checks; they live in a database of
 * their own, so that no background task of the library sees these rows.
 *
 * <p>What the library does beyond this floor (statements, history, shared cluster pools, jOOQ) is
 * what a figure between the floor and the real one costs. A floor near a target says the target
 * needs more than trimming each subscription: batching the work of concurrent subscriptions into
 * shared transactions and statements.
 */
final class SubscriptionFloor {

  /** What a caller's subscriptions refer to: a service and its plan, one of each per caller. */
  record Target(UUID serviceId, UUID planId) {}

  /** The identifiers of one subscription's rows. */
  private record Subscriber(
      UUID subscription, UUID workflow, UUID instance, String user, String pool, Target target) {}

  /** One statement that must change exactly one row, with its parameters for a subscriber. */
  private record Write(String sql, Function<Subscriber, List<Object>> parameters) {}

  /** The ten writes on one set of tables, in their three transactions. */
  record Tables(String name, List<String> setUp, List<List<Write>> transactions) {}

  private static final String FINGERPRINT =
      "8dd61423a36441df3ccd1a3c39dfee9cf539846754a3205f47d5dcf93b450c1d";

  /** Lean tables of the floor's own: a primary key, and a unique key where a rule needs one. */
  static final Tables LEAN =
      new Tables(
          "lean",
          List.of(
              "CREATE TABLE IF NOT EXISTS floor_pool (pool_key varchar(100) PRIMARY KEY,"
                  + " capacity bigint NOT NULL, used bigint NOT NULL, CHECK (used <= capacity))",
              "CREATE TABLE IF NOT EXISTS floor_subscription (subscription_id uuid PRIMARY KEY,"
                  + " user_id varchar(150) NOT NULL, pool_key varchar(100) NOT NULL,"
                  + " status varchar(20) NOT NULL, amount_paid bigint NOT NULL,"
                  + " created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,"
                  + " UNIQUE (user_id, pool_key))",
              "CREATE TABLE IF NOT EXISTS floor_allocation (allocation_id uuid PRIMARY KEY,"
                  + " subscription_id uuid NOT NULL, pool_key varchar(100) NOT NULL,"
                  + " amount bigint NOT NULL, created_at timestamptz NOT NULL)",
              "CREATE TABLE IF NOT EXISTS floor_workflow (workflow_id uuid PRIMARY KEY,"
                  + " subscription_id uuid NOT NULL, step varchar(30) NOT NULL,"
                  + " status varchar(20) NOT NULL, lease_generation bigint NOT NULL,"
                  + " updated_at timestamptz NOT NULL)",
              "CREATE TABLE IF NOT EXISTS floor_charge (line_id uuid PRIMARY KEY,"
                  + " subscription_id uuid NOT NULL, amount bigint NOT NULL,"
                  + " status varchar(20) NOT NULL, created_at timestamptz NOT NULL)",
              "CREATE TABLE IF NOT EXISTS floor_instance (instance_id uuid PRIMARY KEY,"
                  + " subscription_id uuid NOT NULL UNIQUE, status varchar(20) NOT NULL,"
                  + " url varchar(300), updated_at timestamptz NOT NULL)",
              "INSERT INTO floor_pool SELECT 'floor-pool-' || c, 1000000000, 0"
                  + " FROM generate_series(0, 999) c ON CONFLICT DO NOTHING"),
          List.of(
              // Before the payment: the subscription, its quota, its workflow.
              List.of(
                  new Write(
                      "INSERT INTO floor_subscription VALUES (?, ?, ?, 'PENDING', 0, now(), now())",
                      s -> List.of(s.subscription(), s.user(), s.pool())),
                  new Write(
                      "UPDATE floor_pool SET used = used + 1"
                          + " WHERE pool_key = ? AND used + 1 <= capacity",
                      s -> List.of(s.pool())),
                  new Write(
                      "INSERT INTO floor_allocation VALUES (?, ?, ?, 1, now())",
                      s -> List.of(UUID.randomUUID(), s.subscription(), s.pool())),
                  new Write(
                      "INSERT INTO floor_workflow VALUES (?, ?, 'CHARGE', 'RUNNING', 1, now())",
                      s -> List.of(s.workflow(), s.subscription()))),
              // After the payment: the paid line, the subscription active, the instance to be.
              List.of(
                  new Write(
                      "INSERT INTO floor_charge VALUES (?, ?, 100000, 'PAID', now())",
                      s -> List.of(UUID.randomUUID(), s.subscription())),
                  new Write(
                      "UPDATE floor_subscription SET status = 'ACTIVE', amount_paid = 100000,"
                          + " updated_at = now() WHERE subscription_id = ?",
                      s -> List.of(s.subscription())),
                  new Write(
                      "INSERT INTO floor_instance VALUES (?, ?, 'PROVISIONING', NULL, now())",
                      s -> List.of(s.instance(), s.subscription())),
                  new Write(
                      "UPDATE floor_workflow SET step = 'PROVISION', updated_at = now()"
                          + " WHERE workflow_id = ? AND lease_generation = 1",
                      s -> List.of(s.workflow()))),
              // After provisioning: the instance running, the workflow done.
              List.of(
                  new Write(
                      "UPDATE floor_instance SET status = 'RUNNING', url = 'https://x.apps.bench',"
                          + " updated_at = now() WHERE instance_id = ?",
                      s -> List.of(s.instance())),
                  new Write(
                      "UPDATE floor_workflow SET status = 'SUCCEEDED', updated_at = now()"
                          + " WHERE workflow_id = ? AND lease_generation = 1",
                      s -> List.of(s.workflow())))));

  /**
   * The same ten writes on the library's own tables, as migrated: every index, foreign key and
   * check those tables carry for the library's features is paid by each write. The quota pool is
   * one per caller, as on the lean tables.
   */
  static final Tables LIBRARY =
      new Tables(
          "library",
          List.of(
              "INSERT INTO minispod_quota.pool (pool_key, capacity, used, created_at, updated_at)"
                  + " SELECT 'floor-pool-' || c, 1000000000, 0, now(), now()"
                  + " FROM generate_series(0, 999) c ON CONFLICT DO NOTHING"),
          List.of(
              List.of(
                  new Write(
                      "INSERT INTO minispod_catalog.subscription (subscription_id, user_id,"
                          + " service_id, plan_id, status, period_start, period_end, amount_paid,"
                          + " currency, idempotency_key, request_fingerprint, version, created_at,"
                          + " updated_at) VALUES (?, ?, ?, ?, 'PENDING', now(),"
                          + " now() + interval '30 days', 0, 'IDR', 'k', ?, 0, now(), now())",
                      s ->
                          List.of(
                              s.subscription(),
                              s.user(),
                              s.target().serviceId(),
                              s.target().planId(),
                              FINGERPRINT)),
                  new Write(
                      "UPDATE minispod_quota.pool SET used = used + 1, updated_at = now()"
                          + " WHERE pool_key = ? AND used + 1 <= capacity",
                      s -> List.of(s.pool())),
                  new Write(
                      "INSERT INTO minispod_quota.allocation (allocation_id, owner,"
                          + " idempotency_key, request_fingerprint, status, expires_at, created_at,"
                          + " updated_at) VALUES (?, ?, ?, ?, 'CONFIRMED', NULL, now(), now())",
                      s ->
                          List.of(
                              UUID.randomUUID(),
                              s.user(),
                              "subscription:" + s.subscription(),
                              FINGERPRINT)),
                  new Write(
                      "INSERT INTO minispod_catalog.workflow (workflow_id, kind, subscription_id,"
                          + " idempotency_key, request_fingerprint, step, status, to_plan_id,"
                          + " attempts, next_attempt_at, lease_owner, lease_expires_at,"
                          + " lease_generation, created_at, updated_at) VALUES (?, 'SUBSCRIBE', ?,"
                          + " 'k', ?, 'CHARGE', 'RUNNING', ?, 0, now(), 'node',"
                          + " now() + interval '2 minutes', 1, now(), now())",
                      s ->
                          List.of(
                              s.workflow(), s.subscription(), FINGERPRINT, s.target().planId()))),
              List.of(
                  new Write(
                      "INSERT INTO minispod_billing.ledger_line (line_id, account_id, line_type,"
                          + " amount, currency, reference_id, period_start, period_end, status,"
                          + " description, idempotency_key, request_fingerprint, created_at,"
                          + " settled_at, attempt_no, payment_id) VALUES (?, ?, 'CHARGE', 100000,"
                          + " 'IDR', ?, now(), now() + interval '30 days', 'PAID',"
                          + " 'Basic plan, first period', ?, ?, now(), now(), 1, ?)",
                      s ->
                          List.of(
                              UUID.randomUUID(),
                              s.user(),
                              s.subscription().toString(),
                              "subscription:" + s.subscription() + ":charge",
                              FINGERPRINT,
                              "mock_ch_" + s.subscription())),
                  new Write(
                      "UPDATE minispod_catalog.subscription SET status = 'ACTIVE',"
                          + " amount_paid = 100000, version = version + 1, updated_at = now()"
                          + " WHERE subscription_id = ?",
                      s -> List.of(s.subscription())),
                  new Write(
                      "INSERT INTO minispod_catalog.instance (instance_id, subscription_id,"
                          + " user_id, subdomain, status, cpu_millicores, memory_mib, storage_gib,"
                          + " health_streak, created_at, updated_at) VALUES (?, ?, ?, ?,"
                          + " 'PROVISIONING', 500, 512, 5, 0, now(), now())",
                      s -> List.of(s.instance(), s.subscription(), s.user(), "f-" + s.instance())),
                  new Write(
                      "UPDATE minispod_catalog.workflow SET step = 'PROVISION', updated_at = now()"
                          + " WHERE workflow_id = ? AND lease_generation = 1",
                      s -> List.of(s.workflow()))),
              List.of(
                  new Write(
                      "UPDATE minispod_catalog.instance SET status = 'RUNNING',"
                          + " url = 'https://x.apps.bench', updated_at = now()"
                          + " WHERE instance_id = ?",
                      s -> List.of(s.instance())),
                  new Write(
                      "UPDATE minispod_catalog.workflow SET status = 'SUCCEEDED',"
                          + " lease_owner = NULL, lease_expires_at = NULL, updated_at = now()"
                          + " WHERE workflow_id = ? AND lease_generation = 1",
                      s -> List.of(s.workflow())))));

  private static final Duration WARMUP = Duration.ofSeconds(3);

  private SubscriptionFloor() {}

  /**
   * Subscriptions per second of {@code callers} threads on {@code tables}, each writing as fast as
   * it can; caller {@code c} refers to {@code targets.get(c)} (the lean tables refer to nothing).
   */
  static double subscriptionsPerSecond(
      DataSource dataSource, Tables tables, List<Target> targets, int callers, Duration measure)
      throws Exception {
    try (Connection connection = dataSource.getConnection();
        Statement ddl = connection.createStatement()) {
      for (String sql : tables.setUp()) {
        ddl.execute(sql);
      }
    }
    return ClosedLoop.callsPerSecond(
        callers,
        WARMUP,
        measure,
        null,
        caller -> {
          UUID subscription = UUID.randomUUID();
          subscribe(
              dataSource,
              tables,
              new Subscriber(
                  subscription,
                  UUID.randomUUID(),
                  UUID.randomUUID(),
                  "u-" + subscription,
                  "floor-pool-" + caller,
                  targets.get(caller)));
        });
  }

  /** One subscription's writes: three transactions, ten statements. */
  private static void subscribe(DataSource dataSource, Tables tables, Subscriber subscriber) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      for (List<Write> transaction : tables.transactions()) {
        for (Write write : transaction) {
          run(connection, write.sql(), write.parameters().apply(subscriber));
        }
        connection.commit();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(Connection connection, String sql, List<Object> parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      if (statement.executeUpdate() != 1) {
        throw new IllegalStateException("no row changed: " + sql);
      }
    }
  }
}
