package io.minispod.demo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * What the database holds about the crash storm's service, read with plain JDBC from the three
 * module schemas (the migrations under {@code *}{@code /src/main/resources/db/minispod} name the
 * tables): subscriptions, instance rows, workflows, plans, every quota pool with its live
 * allocations and ledger sum, every allocation, and the billing lines of the storm's users.
 */
final class Observed {

  private static final Set<String> SETTLED = Set.of("PAID", "CREDITED", "REFUNDED");

  record Subscription(
      UUID id, String user, UUID plan, String status, UUID allocation, long amountPaid) {}

  record Instance(UUID id, UUID subscription, String status, int cpu, int memory, int storage) {}

  record Workflow(
      UUID id,
      String kind,
      UUID subscription,
      String status,
      String step,
      Long amountDue,
      String errorCode) {}

  record PlanRow(UUID id, String slug, int cpu, int memory, int storage) {}

  record Pool(String key, long capacity, long used, long live, long ledger) {}

  record Allocation(UUID id, String key, String status, Map<String, Long> items) {}

  record Line(
      UUID id,
      String account,
      String type,
      long amount,
      String reference,
      String status,
      UUID related) {}

  final List<Subscription> subscriptions = new ArrayList<>();
  final List<Instance> instances = new ArrayList<>();
  final List<Workflow> workflows = new ArrayList<>();
  final Map<UUID, PlanRow> plans = new LinkedHashMap<>();
  final Map<String, Pool> pools = new TreeMap<>();
  final Map<UUID, Allocation> allocations = new LinkedHashMap<>();
  final List<Line> lines = new ArrayList<>();

  private Observed() {}

  /** Reads it all in one repeatable-read transaction, so the figures are one snapshot. */
  static Observed read(DataSource db) throws SQLException {
    Observed o = new Observed();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement s = c.createStatement()) {
        String service =
            "(SELECT service_id FROM minispod_catalog.service WHERE slug = 'crash-storm')";
        try (ResultSet r =
            s.executeQuery(
                "SELECT subscription_id, user_id, plan_id, status, allocation_id, amount_paid"
                    + " FROM minispod_catalog.subscription WHERE service_id = "
                    + service
                    + " ORDER BY user_id")) {
          while (r.next()) {
            o.subscriptions.add(
                new Subscription(
                    r.getObject(1, UUID.class),
                    r.getString(2),
                    r.getObject(3, UUID.class),
                    r.getString(4),
                    r.getObject(5, UUID.class),
                    r.getLong(6)));
          }
        }
        try (ResultSet r =
            s.executeQuery(
                "SELECT i.instance_id, i.subscription_id, i.status, i.cpu_millicores,"
                    + " i.memory_mib, i.storage_gib FROM minispod_catalog.instance i"
                    + " JOIN minispod_catalog.subscription s USING (subscription_id)"
                    + " WHERE s.service_id = "
                    + service)) {
          while (r.next()) {
            o.instances.add(
                new Instance(
                    r.getObject(1, UUID.class),
                    r.getObject(2, UUID.class),
                    r.getString(3),
                    r.getInt(4),
                    r.getInt(5),
                    r.getInt(6)));
          }
        }
        try (ResultSet r =
            s.executeQuery(
                "SELECT w.workflow_id, w.kind, w.subscription_id, w.status, w.step, w.amount_due,"
                    + " w.error_code FROM minispod_catalog.workflow w"
                    + " JOIN minispod_catalog.subscription s USING (subscription_id)"
                    + " WHERE s.service_id = "
                    + service)) {
          while (r.next()) {
            o.workflows.add(
                new Workflow(
                    r.getObject(1, UUID.class),
                    r.getString(2),
                    r.getObject(3, UUID.class),
                    r.getString(4),
                    r.getString(5),
                    (Long) r.getObject(6),
                    r.getString(7)));
          }
        }
        try (ResultSet r =
            s.executeQuery(
                "SELECT plan_id, slug, cpu_millicores, memory_mib, storage_gib"
                    + " FROM minispod_catalog.plan WHERE service_id = "
                    + service)) {
          while (r.next()) {
            UUID id = r.getObject(1, UUID.class);
            o.plans.put(id, new PlanRow(id, r.getString(2), r.getInt(3), r.getInt(4), r.getInt(5)));
          }
        }
        try (ResultSet r =
            s.executeQuery(
                "SELECT p.pool_key, p.capacity, p.used,"
                    + " (SELECT coalesce(sum(i.amount), 0) FROM minispod_quota.allocation_item i"
                    + "   JOIN minispod_quota.allocation a USING (allocation_id)"
                    + "   WHERE i.pool_key = p.pool_key AND a.status IN ('PENDING', 'CONFIRMED')),"
                    + " (SELECT coalesce(sum(l.delta), 0) FROM minispod_quota.ledger_entry l"
                    + "   WHERE l.pool_key = p.pool_key)"
                    + " FROM minispod_quota.pool p")) {
          while (r.next()) {
            o.pools.put(
                r.getString(1),
                new Pool(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)));
          }
        }
        try (ResultSet r =
            s.executeQuery(
                "SELECT a.allocation_id, a.idempotency_key, a.status, i.pool_key, i.amount"
                    + " FROM minispod_quota.allocation a"
                    + " JOIN minispod_quota.allocation_item i USING (allocation_id)")) {
          while (r.next()) {
            UUID id = r.getObject(1, UUID.class);
            String key = r.getString(2);
            String status = r.getString(3);
            o.allocations
                .computeIfAbsent(id, k -> new Allocation(id, key, status, new TreeMap<>()))
                .items()
                .put(r.getString(4), r.getLong(5));
          }
        }
        try (ResultSet r =
            s.executeQuery(
                "SELECT line_id, account_id, line_type, amount, reference_id, status,"
                    + " related_line_id FROM minispod_billing.ledger_line"
                    + " WHERE account_id LIKE 'storm-user-%' ORDER BY seq")) {
          while (r.next()) {
            o.lines.add(
                new Line(
                    r.getObject(1, UUID.class),
                    r.getString(2),
                    r.getString(3),
                    r.getLong(4),
                    r.getString(5),
                    r.getString(6),
                    r.getObject(7, UUID.class)));
          }
        }
      }
      c.commit();
    }
    return o;
  }

  /** The user's subscriptions that are PENDING or ACTIVE. */
  List<Subscription> liveSubscriptionsOf(String user) {
    return subscriptions.stream()
        .filter(s -> s.user().equals(user))
        .filter(s -> s.status().equals("PENDING") || s.status().equals("ACTIVE"))
        .toList();
  }

  List<Instance> instancesOf(UUID subscription) {
    return instances.stream().filter(i -> i.subscription().equals(subscription)).toList();
  }

  /** The billing lines of a subscription (billing references are subscription ids). */
  List<Line> linesOf(UUID subscription) {
    return lines.stream().filter(l -> l.reference().equals(subscription.toString())).toList();
  }

  /** What the user's account was charged, net of credits and refunds. */
  long settledSumOf(String user) {
    return settledSum(lines.stream().filter(l -> l.account().equals(user)).toList());
  }

  long settledSum(List<Line> some) {
    return some.stream().filter(l -> SETTLED.contains(l.status())).mapToLong(Line::amount).sum();
  }

  PlanRow planBySlug(String slug) {
    return plans.values().stream()
        .filter(p -> p.slug().equals(slug))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no plan " + slug + " in " + plans));
  }

  /** Counts worth printing: rows by status. */
  String summary() {
    return "subscriptions "
        + count(subscriptions.stream().map(Subscription::status).toList())
        + ", instances "
        + count(instances.stream().map(Instance::status).toList())
        + ", workflows "
        + count(workflows.stream().map(w -> w.kind() + " " + w.status()).toList())
        + ", billing lines "
        + count(lines.stream().map(l -> l.type() + " " + l.status()).toList())
        + ", plan quota used "
        + plans.values().stream()
            .collect(
                Collectors.toMap(
                    PlanRow::slug,
                    p -> pools.get("plan:" + p.id()).used(),
                    (a, b) -> a,
                    TreeMap::new));
  }

  private static Map<String, Long> count(List<String> values) {
    return values.stream()
        .collect(Collectors.groupingBy(v -> v, TreeMap::new, Collectors.counting()));
  }
}
