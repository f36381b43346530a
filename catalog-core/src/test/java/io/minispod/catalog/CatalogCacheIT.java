package io.minispod.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.minispod.quota.AllocationRequest;
import io.minispod.quota.QuotaItem;
import io.minispod.quota.QuotaManager;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import io.minispod.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Caching across two nodes: two catalogs, each with its own connection pool and quota manager, on
 * one database, as two host processes would run them.
 */
final class CatalogCacheIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  /** The bound for other nodes to see a change. */
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  private static QuotaManager quotaA;
  private static QuotaManager quotaB;
  private static Catalog nodeA;
  private static Catalog nodeB;

  @BeforeAll
  static void startTwoNodes() {
    DataSource poolA = db.dataSource();
    DataSource poolB = db.newDataSource(4);
    quotaA = QuotaManager.builder(poolA).build();
    quotaB = QuotaManager.builder(poolB).build();
    nodeA = Catalog.builder(poolA, quotaA).build();
    nodeB = Catalog.builder(poolB, quotaB).build();
    await().atMost(Duration.ofSeconds(10)).until(() -> nodeA.isListening() && nodeB.isListening());
    nodeA.admin().createCategory(Fixtures.category("apps", "Apps", 1));
  }

  @AfterAll
  static void stop() {
    nodeA.close();
    nodeB.close();
    quotaA.close();
    quotaB.close();
  }

  private static PlanDetails newServiceWithPlan(String slug, long quotaTotal) {
    ServiceDefinition service =
        nodeA
            .admin()
            .createService(Fixtures.service(slug, "Service " + slug, "apps", "About " + slug));
    return nodeA.admin().createPlan(service.id(), Fixtures.plan("basic", 1, 1000, quotaTotal));
  }

  private static void subscribe(QuotaManager quota, PlanDetails plan) {
    quota.allocate(
        AllocationRequest.of(
            "user", UUID.randomUUID().toString(), QuotaItem.of(plan.plan().quotaPoolKey(), 1)));
  }

  private static long used(Catalog node, String slug) {
    return node.service().getServiceDetails(slug).plans().get(0).quota().used();
  }

  @Test
  void updateService_onNodeA_isSeenByNodeBWithinOneSecond() {
    PlanDetails plan = newServiceWithPlan("cross-name", 5);
    ServiceDefinition service = nodeA.admin().getService(plan.plan().serviceId());
    assertThat(nodeB.service().getServiceDetails("cross-name").service().name())
        .isEqualTo("Service cross-name");

    nodeA
        .admin()
        .updateService(service.id(), ServiceUpdate.builder().name("Renamed Across").build());

    assertThat(nodeA.service().getServiceDetails("cross-name").service().name())
        .as("the writing node sees it at once")
        .isEqualTo("Renamed Across");
    await()
        .atMost(ONE_SECOND)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                nodeB
                    .service()
                    .getServiceDetails("cross-name")
                    .service()
                    .name()
                    .equals("Renamed Across"));
  }

  @Test
  void createAndArchive_onNodeA_changeNodeBSearchAndCategoriesWithinOneSecond() {
    SearchQuery query = SearchQuery.builder().text("quasar").build();
    assertThat(nodeB.service().searchServices(query).total()).isZero();
    long before = appsCount(nodeB);

    ServiceDefinition quasar =
        nodeA.admin().createService(Fixtures.service("quasar", "Quasar", "apps", "Bright."));

    assertThat(nodeA.service().searchServices(query).total()).isEqualTo(1);
    await()
        .atMost(ONE_SECOND)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                nodeB.service().searchServices(query).total() == 1
                    && appsCount(nodeB) == before + 1);

    nodeA.admin().archiveService(quasar.id());
    await()
        .atMost(ONE_SECOND)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> nodeB.service().searchServices(query).total() == 0 && appsCount(nodeB) == before);
  }

  private static long appsCount(Catalog node) {
    return node.service().getServiceCategories().get(0).serviceCount();
  }

  @Test
  void updatePlanCapacity_onNodeA_isSeenByNodeBWithinOneSecond() {
    PlanDetails plan = newServiceWithPlan("cross-capacity", 5);
    assertThat(nodeB.service().getServiceDetails("cross-capacity").plans().get(0).quota().total())
        .isEqualTo(5);

    nodeA
        .admin()
        .updatePlan(
            plan.plan().serviceId(), plan.plan().id(), PlanUpdate.builder().quotaTotal(9).build());

    assertThat(nodeA.service().getServiceDetails("cross-capacity").plans().get(0).quota().total())
        .isEqualTo(9);
    await()
        .atMost(ONE_SECOND)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                nodeB.service().getServiceDetails("cross-capacity").plans().get(0).quota().total()
                    == 9);
  }

  @Test
  void quotaChanged_onTheChangingNode_nextReadIsFreshWithoutWaiting() {
    PlanDetails plan = newServiceWithPlan("fresh-here", 5);
    assertThat(used("fresh-here", nodeA)).isZero();

    for (int i = 1; i <= 3; i++) {
      subscribe(quotaA, plan);
      nodeA.port().quotaChanged(List.of(plan.plan().id()));
      // No waiting: the very next read on this node shows the committed change.
      assertThat(used("fresh-here", nodeA)).isEqualTo(i);
    }
  }

  private static long used(String slug, Catalog node) {
    return used(node, slug);
  }

  @Test
  void quotaChanged_onNodeA_isSeenByNodeBWithinOneSecond() {
    PlanDetails plan = newServiceWithPlan("fresh-there", 5);
    assertThat(used(nodeB, "fresh-there")).isZero();

    subscribe(quotaA, plan);
    nodeA.port().quotaChanged(List.of(plan.plan().id()));

    await()
        .atMost(ONE_SECOND)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> used(nodeB, "fresh-there") == 1);
  }

  @Test
  void quotaChanged_notCalled_cachedFiguresAreServedUntilTold() {
    PlanDetails plan = newServiceWithPlan("untold", 5);
    // A node of its own, not listening, so that no notification drops its cache meanwhile.
    try (Catalog node = Catalog.builder(db.dataSource(), quotaA).listenForChanges(false).build()) {
      assertThat(used(node, "untold")).isZero();

      subscribe(quotaA, plan);

      // Without the hook the cached read does not go to the database: this is why the
      // subscription code must call quotaChanged after it commits.
      assertThat(used(node, "untold")).isZero();
      node.port().quotaChanged(List.of(plan.plan().id()));
      assertThat(used(node, "untold")).isEqualTo(1);
    }
  }

  @Test
  void getServiceDetails_cached_makesNoDatabaseCall() {
    PlanDetails plan = newServiceWithPlan("no-db", 5);
    CountingDataSource counting = new CountingDataSource(db.dataSource());
    try (Catalog node = Catalog.builder(counting, quotaA).listenForChanges(false).build()) {
      ServiceDetails first = node.service().getServiceDetails("no-db");
      node.service().getServiceCategories();
      assertThat(counting.connections()).isPositive();
      counting.reset();

      for (int i = 0; i < 1_000; i++) {
        assertThat(node.service().getServiceDetails("no-db")).isEqualTo(first);
      }
      node.service().getServiceCategories();
      node.service().getServiceCategories();
      assertThat(counting.connections()).as("connections taken by 1,000 cached reads").isZero();

      node.port().quotaChanged(List.of(plan.plan().id()));
      counting.reset();
      node.service().getServiceDetails("no-db");
      assertThat(counting.connections())
          .as("only the quota figures are read again, by the quota manager's own pool")
          .isZero();
    }
  }

  @Test
  void quotaCache_expiry_boundsFiguresNobodyWasToldAbout() {
    MutableClock clock = MutableClock.at("2026-01-15T10:30:00Z");
    PlanDetails plan = newServiceWithPlan("expiring", 5);
    try (Catalog node =
        Catalog.builder(db.dataSource(), quotaA)
            .clock(clock)
            .quotaCacheExpiry(Duration.ofSeconds(10))
            .listenForChanges(false)
            .build()) {
      assertThat(used(node, "expiring")).isZero();
      subscribe(quotaA, plan); // e.g. a hold that quota-core reclaims on its own
      clock.advance(Duration.ofSeconds(9));
      assertThat(used(node, "expiring")).isZero();
      clock.advance(Duration.ofSeconds(2));
      assertThat(used(node, "expiring")).isEqualTo(1);
    }
  }

  @Test
  void listener_connectionKilled_reconnectsAndKeepsInvalidating() throws Exception {
    newServiceWithPlan("survivor", 5);
    assertThat(nodeB.service().getServiceDetails("survivor").service().name())
        .isEqualTo("Service survivor");
    int terminated = terminateListeners();
    assertThat(terminated).isPositive();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> nodeA.isListening() && nodeB.isListening() && listeners() == 2);
    ServiceDefinition survivor = nodeA.admin().findService("survivor").orElseThrow();
    nodeA.admin().updateService(survivor.id(), ServiceUpdate.builder().name("Still Here").build());
    await()
        .atMost(ONE_SECOND)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                nodeB
                    .service()
                    .getServiceDetails("survivor")
                    .service()
                    .name()
                    .equals("Still Here"));
  }

  @Test
  void listener_connectionDroppedSilently_isReplacedWithinTheCheckIntervalAndCachesDropped()
      throws Exception {
    newServiceWithPlan("silent", 5);
    Duration checkInterval = Duration.ofMillis(500);
    try (SilentDropProxy proxy = SilentDropProxy.to(db.jdbcUrl());
        HikariDataSource viaProxy = PostgresServer.shared().pool(proxy.jdbcUrl(), 4);
        Catalog nodeC =
            Catalog.builder(viaProxy, quotaA).listenerCheckInterval(checkInterval).build()) {
      await().atMost(Duration.ofSeconds(10)).until(nodeC::isListening);
      assertThat(nodeC.service().getServiceDetails("silent").service().name())
          .isEqualTo("Service silent");
      // Only the listener's connection stays open through the proxy; then it goes silent: the
      // server still has the LISTEN, but nothing reaches either end and neither end is told.
      viaProxy.getHikariPoolMXBean().softEvictConnections();
      proxy.dropOpenLinksSilently();

      ServiceDefinition silent = nodeA.admin().findService("silent").orElseThrow();
      nodeA.admin().updateService(silent.id(), ServiceUpdate.builder().name("Heard").build());

      // Next check (at most one interval away) gets no answer within one interval; the listener
      // reconnects (back-off 100 ms) and drops every cached entry, since it may have missed some.
      await()
          .atMost(checkInterval.multipliedBy(3).plusSeconds(2))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> nodeC.service().getServiceDetails("silent").service().name().equals("Heard"));
      assertThat(nodeC.isListening()).isTrue();
    }
  }

  /**
   * Waits until node B has handled every notification sent so far: PostgreSQL delivers them in
   * commit order, so once B shows the effect of a last quota signal, the earlier ones are done.
   */
  private static void drainNotificationsOfNodeB() {
    String slug = "marker-" + UUID.randomUUID().toString().substring(0, 8);
    PlanDetails marker = newServiceWithPlan(slug, 5);
    assertThat(used(nodeB, slug)).isZero();
    subscribe(quotaA, marker);
    nodeA.port().quotaChanged(List.of(marker.plan().id()));
    await()
        .atMost(ONE_SECOND)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> used(nodeB, slug) == 1);
  }

  @Test
  void foreignNotification_onTheChannel_dropsEveryCachedEntry() throws Exception {
    newServiceWithPlan("foreign", 5);
    drainNotificationsOfNodeB();
    assertThat(nodeB.service().getServiceDetails("foreign").service().name())
        .isEqualTo("Service foreign");
    // Changed behind the catalog's back, without any trigger firing.
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE minispod_catalog.service DISABLE TRIGGER service_changed");
      statement.execute(
          "UPDATE minispod_catalog.service SET name = 'Changed Quietly' WHERE slug = 'foreign'");
      statement.execute("ALTER TABLE minispod_catalog.service ENABLE TRIGGER service_changed");
    }
    assertThat(nodeB.service().getServiceDetails("foreign").service().name())
        .isEqualTo("Service foreign");
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_notify('minispod_catalog', 'something new')");
    }
    await()
        .atMost(ONE_SECOND)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                nodeB
                    .service()
                    .getServiceDetails("foreign")
                    .service()
                    .name()
                    .equals("Changed Quietly"));
  }

  @Test
  void close_listener_releasesItsConnection() {
    try (Catalog node = Catalog.builder(db.newDataSource(2), quotaA).build()) {
      await().atMost(Duration.ofSeconds(10)).until(node::isListening);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> listeners() == 2);
  }

  private static int terminateListeners() throws Exception {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND query = 'LISTEN minispod_catalog'")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static int listeners() throws Exception {
    try (Connection connection = db.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND query = 'LISTEN minispod_catalog' AND state = 'idle'")) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
