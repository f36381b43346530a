package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.catalog.Plan;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.quota.PoolAvailability;
import io.minispod.quota.PoolUtilisation;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Per-user limits against the real database. A basic plan of {@link Platform#service} takes 1,000
 * millicores, 1,536 MiB and 10 GiB with its companion; a pro plan 1,500, 2,048 and 15.
 */
final class UserLimitsIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static final Duration REFRESHED = SubscriptionsBuilder.USER_LIMITS_REFRESH.plusSeconds(1);

  private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");

  /** What the test's {@link UserLimits} answers: a user's own entry, or {@link #standard}. */
  private final Map<String, UserLimit> overrides = new ConcurrentHashMap<>();

  private volatile UserLimit standard = UserLimit.unlimited().withInstances(10);
  private Platform platform;
  private ServiceDefinition first;
  private ServiceDefinition second;

  @BeforeEach
  void start() {
    platform = Platform.start(db.newDataSource(10), clock, withTheTestsLimits());
    first = platform.service(20, 20, 20);
    second = platform.service(20, 20, 20);
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  private UnaryOperator<SubscriptionsBuilder> withTheTestsLimits() {
    return b -> b.userLimits(user -> overrides.getOrDefault(user, standard));
  }

  /** A resource a user's limit may bound, and what a basic plan takes of it. */
  enum Dimension {
    CPU("CPU of the user (millicores)", 1_000, QuotaPools::userCpu) {
      @Override
      SubscriptionsBuilder limit(SubscriptionsBuilder b, long limit) {
        return b.cpuMillicoresPerUser(limit);
      }
    },
    MEMORY("memory of the user (MiB)", 1_536, QuotaPools::userMemory) {
      @Override
      SubscriptionsBuilder limit(SubscriptionsBuilder b, long limit) {
        return b.memoryMiBPerUser(limit);
      }
    },
    STORAGE("storage of the user (GiB)", 10, QuotaPools::userStorage) {
      @Override
      SubscriptionsBuilder limit(SubscriptionsBuilder b, long limit) {
        return b.storageGiBPerUser(limit);
      }
    };

    final String resource;
    final long basic;
    final Function<String, String> pool;

    Dimension(String resource, long basic, Function<String, String> pool) {
      this.resource = resource;
      this.basic = basic;
      this.pool = pool;
    }

    abstract SubscriptionsBuilder limit(SubscriptionsBuilder b, long limit);
  }

  private static String user() {
    return "user-" + UUID.randomUUID();
  }

  private static String key() {
    return "key-" + UUID.randomUUID();
  }

  private Subscription subscribe(Platform node, String user, ServiceDefinition service) {
    return node.subscribe().subscribe(user, service.slug(), "basic", key());
  }

  private Subscription subscribe(String user, ServiceDefinition service) {
    return subscribe(platform, user, service);
  }

  private Subscription upgrade(String user, Subscription s, String plan) {
    return platform.subscriptions.upgrades().upgrade(user, s.id(), plan, key());
  }

  private PoolAvailability pool(String poolKey) {
    return platform.quota.availability(List.of(poolKey)).get(0);
  }

  private long planUsed(ServiceDefinition service, String slug) {
    Plan plan =
        platform.catalog.port().activeService(service.slug()).orElseThrow().plan(slug).get();
    return pool(plan.quotaPoolKey()).used();
  }

  private Map<String, Long> clusterUsed() {
    return platform
        .quota
        .availability(
            List.of(QuotaPools.CLUSTER_CPU, QuotaPools.CLUSTER_MEMORY, QuotaPools.CLUSTER_STORAGE))
        .stream()
        .collect(Collectors.toMap(PoolAvailability::poolKey, PoolAvailability::used));
  }

  private int billingLines(String user) {
    return platform.billing.history(user, 1, 100).lines().size();
  }

  @ParameterizedTest
  @EnumSource(Dimension.class)
  void subscribe_userAtResourceLimit_isInsufficientResourcesAndHoldsNothing(Dimension dimension) {
    long limit = dimension.basic * 3 / 2;
    try (Platform node =
        platform.anotherNode(db.newDataSource(4), b -> dimension.limit(b, limit))) {
      String user = user();
      subscribe(node, user, first);
      Map<String, Long> clusterBefore = clusterUsed();

      assertThatThrownBy(() -> subscribe(node, user, second))
          .isInstanceOfSatisfying(
              InsufficientResourcesException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_RESOURCES);
                assertThat(e.details())
                    .containsEntry("resource", dimension.resource)
                    .containsEntry("requested", dimension.basic)
                    .containsEntry("available", limit - dimension.basic)
                    .containsEntry("total", limit);
              });
      assertThat(node.subscribe().subscriptions(user))
          .singleElement()
          .satisfies(s -> assertThat(s.serviceSlug()).isEqualTo(first.slug()));
      assertThat(pool(dimension.pool.apply(user)).used()).isEqualTo(dimension.basic);
      assertThat(pool(QuotaPools.userInstances(user)).used()).isEqualTo(1);
      assertThat(planUsed(second, "basic")).isZero();
      assertThat(clusterUsed()).isEqualTo(clusterBefore);
      assertThat(billingLines(user)).isEqualTo(1);
      assertThat(platform.quota.reconcile(false).isClean()).isTrue();
    }
  }

  @Test
  void subscribe_unlimitedResources_keepsNoPoolForThem() {
    String user = user();

    subscribe(user, first);

    assertThat(platform.quota.utilisation())
        .extracting(PoolUtilisation::poolKey)
        .contains(QuotaPools.userInstances(user))
        .doesNotContain(
            QuotaPools.userCpu(user), QuotaPools.userMemory(user), QuotaPools.userStorage(user));
  }

  @Test
  void upgrade_pastUserLimit_isRefusedAndStaysOnItsPlan() {
    standard = standard.withCpuMillicores(1_200);
    String user = user();
    Subscription basic = subscribe(user, first);
    Map<String, Long> clusterBefore = clusterUsed();

    assertThatThrownBy(() -> upgrade(user, basic, "pro"))
        .isInstanceOfSatisfying(
            InsufficientResourcesException.class,
            e ->
                assertThat(e.details())
                    .containsEntry("resource", "CPU of the user (millicores)")
                    .containsEntry("requested", 500L)
                    .containsEntry("available", 200L)
                    .containsEntry("total", 1_200L));
    Subscription after = platform.subscribe().subscription(user, basic.id());
    assertThat(after.plan().slug()).isEqualTo("basic");
    assertThat(after.status()).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(pool(QuotaPools.userCpu(user)).used()).isEqualTo(1_000);
    assertThat(planUsed(first, "pro")).isZero();
    assertThat(clusterUsed()).isEqualTo(clusterBefore);
    assertThat(billingLines(user)).isEqualTo(1);
  }

  @Test
  void upgrade_withinUserLimit_movesTheUsersPoolsToTheNewPlanAndCancelFreesThem() {
    standard = standard.withCpuMillicores(1_500).withMemoryMiB(2_048).withStorageGiB(15);
    String user = user();
    Subscription basic = subscribe(user, first);

    Subscription pro = upgrade(user, basic, "pro");

    assertThat(pro.plan().slug()).isEqualTo("pro");
    assertThat(pool(QuotaPools.userCpu(user)).used()).isEqualTo(1_500);
    assertThat(pool(QuotaPools.userMemory(user)).used()).isEqualTo(2_048);
    assertThat(pool(QuotaPools.userStorage(user)).used()).isEqualTo(15);
    assertThatThrownBy(() -> subscribe(user, second))
        .isInstanceOf(InsufficientResourcesException.class);
    platform.subscribe().cancel(user, pro.id());
    assertThat(pool(QuotaPools.userCpu(user)).used()).isZero();
    assertThat(pool(QuotaPools.userStorage(user)).used()).isZero();
    assertThat(platform.quota.reconcile(false).isClean()).isTrue();
  }

  @Test
  void upgrade_ofSubscriptionFromBeforeTheLimit_takesTheNewPlanInFullFromTheUsersPool() {
    String user = user();
    Subscription basic = subscribe(user, first);
    overrides.put(user, standard.withCpuMillicores(1_400));
    clock.advance(REFRESHED);

    assertThatThrownBy(() -> upgrade(user, basic, "pro"))
        .isInstanceOfSatisfying(
            InsufficientResourcesException.class,
            e -> assertThat(e.details()).containsEntry("requested", 1_500L));
    overrides.put(user, standard.withCpuMillicores(2_000));
    clock.advance(REFRESHED);
    upgrade(user, basic, "pro");

    assertThat(pool(QuotaPools.userCpu(user)))
        .isEqualTo(new PoolAvailability(QuotaPools.userCpu(user), 2_000, 1_500));
    assertThat(platform.quota.reconcile(false).isClean()).isTrue();
  }

  @Test
  void userLimitsOverride_forOneUser_givesThatUserMoreThanTheDefault() {
    standard = standard.withCpuMillicores(1_500);
    String vip = user();
    String regular = user();
    overrides.put(vip, standard.withCpuMillicores(3_000));

    subscribe(vip, first);
    subscribe(vip, second);
    subscribe(regular, first);

    assertThatThrownBy(() -> subscribe(regular, second))
        .isInstanceOfSatisfying(
            InsufficientResourcesException.class,
            e -> assertThat(e.details()).containsEntry("total", 1_500L));
    assertThat(platform.subscribe().subscriptions(vip)).hasSize(2);
    assertThat(pool(QuotaPools.userCpu(vip)).total()).isEqualTo(3_000);
  }

  @Test
  void userLimits_changed_takeEffectOnceTheNodeRefreshesThem() {
    standard = standard.withCpuMillicores(1_500);
    String user = user();
    ServiceDefinition third = platform.service(20, 20, 20);
    Subscription one = subscribe(user, first);

    // Raised: granted once this node asks again.
    overrides.put(user, standard.withCpuMillicores(2_500));
    clock.advance(REFRESHED);
    subscribe(user, second);
    assertThat(pool(QuotaPools.userCpu(user)).total()).isEqualTo(2_500);

    // Lowered below what the user holds: nothing is taken away, nothing more granted.
    overrides.put(user, standard.withCpuMillicores(1_000));
    clock.advance(REFRESHED);
    assertThatThrownBy(() -> subscribe(user, third))
        .isInstanceOfSatisfying(
            InsufficientResourcesException.class,
            e -> assertThat(e.details()).containsEntry("total", 2_000L));

    // Usage dropped: the pool moves on down to the limit at the next refresh.
    platform.subscribe().cancel(user, one.id());
    clock.advance(REFRESHED);
    assertThatThrownBy(() -> subscribe(user, third))
        .isInstanceOfSatisfying(
            InsufficientResourcesException.class,
            e -> assertThat(e.details()).containsEntry("total", 1_000L));
    assertThat(platform.subscribe().subscriptions(user))
        .filteredOn(s -> s.status() == SubscriptionStatus.ACTIVE)
        .singleElement()
        .satisfies(s -> assertThat(s.serviceSlug()).isEqualTo(second.slug()));
  }

  @Test
  void userLimits_failing_leavesNoSubscriptionAndHoldsNothing() {
    String user = user();
    overrides.put(user, standard);
    try (Platform node =
        platform.anotherNode(
            db.newDataSource(4),
            b ->
                b.userLimits(
                    u -> {
                      throw new IllegalStateException("limits service down");
                    }))) {

      assertThatThrownBy(() -> subscribe(node, user, first))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("limits service down");
    }
    assertThat(platform.subscribe().subscriptions(user)).isEmpty();
    assertThat(planUsed(first, "basic")).isZero();
    assertThat(subscribe(user, first).status()).isEqualTo(SubscriptionStatus.ACTIVE);
  }

  @Test
  void subscribe_oneUserToEightServicesAtOnceOnTwoNodes_neverExceedsTheLimit() throws Exception {
    standard = standard.withCpuMillicores(3_500);
    String user = user();
    List<ServiceDefinition> services = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      services.add(platform.service(5, 5, 5));
    }
    ExecutorService threads = Executors.newFixedThreadPool(services.size());
    try (Platform other = platform.anotherNode(db.newDataSource(10), withTheTestsLimits())) {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < services.size(); i++) {
        Platform node = i % 2 == 0 ? platform : other;
        ServiceDefinition service = services.get(i);
        outcomes.add(
            CompletableFuture.supplyAsync(
                    () -> {
                      awaitQuietly(go);
                      return subscribe(node, user, service).status().name();
                    },
                    threads)
                .exceptionally(
                    e ->
                        e.getCause() instanceof MinisPodException m
                            ? m.code().name()
                            : e.getCause().toString()));
      }
      go.countDown();
      Map<String, Long> tally =
          outcomes.stream()
              .map(f -> f.orTimeout(2, TimeUnit.MINUTES).join())
              .collect(Collectors.groupingBy(o -> o, Collectors.counting()));

      assertThat(tally)
          .containsExactlyInAnyOrderEntriesOf(Map.of("ACTIVE", 3L, "INSUFFICIENT_RESOURCES", 5L));
    } finally {
      threads.shutdownNow();
    }
    assertThat(pool(QuotaPools.userCpu(user))).extracting(PoolAvailability::used).isEqualTo(3_000L);
    assertThat(platform.subscribe().subscriptions(user)).hasSize(3);
    assertThat(billingLines(user)).isEqualTo(3);
    assertThat(platform.quota.reconcile(false).isClean()).isTrue();
  }

  private static void awaitQuietly(CountDownLatch go) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
