package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.ValidationException;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProvisionerCall.Operation;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A custom domain on an instance: only on a plan with {@code features.customDomain}, a DNS-1123
 * host name, held by one instance at a time, applied by a workflow through the provisioner, kept by
 * an upgrade, undone when the platform refuses it.
 */
final class CustomDomainIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");
  private Platform platform;

  /** Basic without the feature, pro and business with it. */
  private ServiceDefinition service;

  @BeforeEach
  void start() {
    platform = Platform.start(db.newDataSource(12), clock);
    service = serviceWithFeature();
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  private ServiceDefinition serviceWithFeature() {
    return platform.service(
        40,
        40,
        40,
        Map.of("customDomain", false),
        Map.of("customDomain", true),
        Map.of("customDomain", true));
  }

  private InstanceService instances() {
    return platform.subscriptions.instances();
  }

  private Subscription subscribe(String plan) {
    return platform.subscribe().subscribe("user-" + UUID.randomUUID(), service.slug(), plan, "k");
  }

  private Instance setDomain(Subscription s, String domain) {
    return instances().update(s.userId(), s.instance().id(), InstanceUpdate.ofCustomDomain(domain));
  }

  private InstanceSpec onPlatform(Subscription s) {
    return platform.provisioner.instance(s.instance().id()).orElseThrow();
  }

  private static String domain() {
    return "blog-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
  }

  private static void assertCode(Runnable call, ErrorCode code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(MinisPodException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void update_onAPlanWithoutTheFeature_isUpgradeRequiredNamingTheCheapestPlanWithIt() {
    Subscription s = subscribe("basic");
    long provisionCalls = platform.provisioner.count(Operation.PROVISION);

    assertThatThrownBy(() -> setDomain(s, "blog.example.com"))
        .isInstanceOfSatisfying(
            UpgradeRequiredException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.UPGRADE_REQUIRED);
              assertThat(e.requiredFeature()).isEqualTo("customDomain");
              assertThat(e.cheapestPlan()).get().extracting(p -> p.slug()).isEqualTo("pro");
              assertThat(e.details())
                  .containsEntry("requiredFeature", "customDomain")
                  .containsEntry("currentPlan", "basic");
              assertThat(e.details().get("cheapestPlan"))
                  .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                  .containsEntry("slug", "pro")
                  .containsEntry("tier", 2)
                  .containsEntry(
                      "price", Map.of("amount", 250_000L, "currency", "IDR", "period", "MONTHLY"));
            });
    assertThat(instances().instance(s.userId(), s.instance().id()).customDomain()).isNull();
    assertThat(platform.provisioner.count(Operation.PROVISION)).isEqualTo(provisionCalls);
  }

  @Test
  void update_serviceWithoutAnyPlanWithTheFeature_isUpgradeRequiredWithoutACheapestPlan() {
    ServiceDefinition plain = platform.service(5, 5, 5);
    Subscription s =
        platform.subscribe().subscribe("user-" + UUID.randomUUID(), plain.slug(), "business", "k");

    assertThatThrownBy(() -> setDomain(s, "blog.example.com"))
        .isInstanceOfSatisfying(
            UpgradeRequiredException.class,
            e -> {
              assertThat(e.cheapestPlan()).isEmpty();
              assertThat(e.details()).doesNotContainKey("cheapestPlan");
              assertThat(e.getMessage()).isEqualTo("Plan Business does not include customDomain");
            });
  }

  @Test
  void update_onAPlanWithTheFeature_isAppliedThroughTheProvisionerAndShownInLowerCase() {
    Subscription s = subscribe("pro");
    String domain = domain();

    Instance updated = setDomain(s, " " + domain.toUpperCase() + " ");

    assertThat(updated.customDomain()).isEqualTo(domain);
    assertThat(onPlatform(s).customDomain()).isEqualTo(domain);
    assertThat(updated.url()).isEqualTo(s.instance().url());

    Instance removed = setDomain(s, null);

    assertThat(removed.customDomain()).isNull();
    assertThat(onPlatform(s).customDomain()).isNull();
  }

  @Test
  void update_envAndDomainTogether_areOneOperation() {
    Subscription s = subscribe("pro");
    String domain = domain();

    io.minispod.subscription.Operation started =
        instances()
            .startUpdate(
                s.userId(),
                s.instance().id(),
                InstanceUpdate.ofEnv(Map.of("TZ", "UTC")).withCustomDomain(domain));
    io.minispod.subscription.Operation done =
        platform
            .subscriptions
            .operations()
            .await(s.userId(), started.id(), java.time.Duration.ofSeconds(30));

    assertThat(done.kind()).isEqualTo(OperationKind.UPDATE_ENV);
    assertThat(done.status()).isEqualTo(OperationStatus.SUCCEEDED);
    assertThat(onPlatform(s).customDomain()).isEqualTo(domain);
    assertThat(onPlatform(s).app().env()).containsEntry("TZ", "UTC");
  }

  @Test
  void update_notAHostName_isRefusedAndNothingChanges() {
    Subscription s = subscribe("pro");
    String kept = domain();
    setDomain(s, kept);

    for (String bad :
        List.of(
            "localhost",
            "blog example.com",
            "*.example.com",
            "blog_1.example.com",
            "-blog.example.com",
            "192.168.1.10",
            "a".repeat(64) + ".example.com",
            "")) {
      assertThatThrownBy(() -> setDomain(s, bad))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.fieldErrors()).containsOnlyKeys("customDomain"));
    }
    assertThat(instances().instance(s.userId(), s.instance().id()).customDomain()).isEqualTo(kept);
    assertThat(onPlatform(s).customDomain()).isEqualTo(kept);
  }

  @Test
  void update_domainAnotherInstanceHolds_isConflictUntilItIsReleased() {
    Subscription holder = subscribe("pro");
    Subscription other = subscribe("pro");
    String domain = domain();
    setDomain(holder, domain);

    assertCode(() -> setDomain(other, domain), ErrorCode.CONFLICT);
    assertCode(() -> setDomain(other, domain.toUpperCase()), ErrorCode.CONFLICT);
    assertThat(instances().instance(other.userId(), other.instance().id()).customDomain()).isNull();

    setDomain(holder, domain());
    assertThat(setDomain(other, domain).customDomain()).isEqualTo(domain);

    // A cancelled instance gives its domain up.
    platform.subscribe().cancel(other.userId(), other.id());
    assertThat(setDomain(holder, domain).customDomain()).isEqualTo(domain);
    assertThat(instances().instance(other.userId(), other.instance().id()).customDomain()).isNull();
  }

  @Test
  void update_sameDomainByManyInstancesAtOnce_exactlyOneGetsIt() throws Exception {
    int racers = 8;
    List<Subscription> subscriptions = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      subscriptions.add(subscribe("pro"));
    }
    String domain = domain();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Future<ErrorCode>> outcomes = new ArrayList<>();
      for (Subscription s : subscriptions) {
        outcomes.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    setDomain(s, domain);
                    return null;
                  } catch (MinisPodException e) {
                    return e.code();
                  }
                }));
      }
      go.countDown();
      List<ErrorCode> codes = new ArrayList<>();
      for (Future<ErrorCode> outcome : outcomes) {
        codes.add(outcome.get());
      }

      assertThat(codes.stream().filter(c -> c == null).count()).isOne();
      assertThat(codes.stream().filter(c -> c == ErrorCode.CONFLICT).count()).isEqualTo(racers - 1);
      assertThat(
              subscriptions.stream()
                  .filter(s -> domain.equals(onPlatform(s).customDomain()))
                  .count())
          .isOne();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void upgrade_toAPlanWithTheFeature_keepsTheDomain() {
    Subscription s = subscribe("pro");
    String domain = domain();
    setDomain(s, domain);

    platform.subscriptions.upgrades().upgrade(s.userId(), s.id(), "business", "up");

    assertThat(onPlatform(s).planSlug()).isEqualTo("business");
    assertThat(onPlatform(s).customDomain()).isEqualTo(domain);
    assertThat(instances().instance(s.userId(), s.instance().id()).customDomain())
        .isEqualTo(domain);
  }

  @Test
  void update_platformRefusesTheDomain_putsThePreviousOneBackAndKeepsItHeld() {
    Subscription s = subscribe("pro");
    String previous = domain();
    setDomain(s, previous);
    // The in-memory platform serves instances under apps.test: a host there is refused for good.
    String refused = "taken.apps.test";

    assertThatThrownBy(() -> setDomain(s, refused))
        .isInstanceOfSatisfying(
            MinisPodException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED);
              assertThat(e.details()).containsEntry("reason", FailureReason.CONFIGURATION.name());
              assertThat(e.getMessage()).doesNotContain(refused);
            });

    assertThat(instances().instance(s.userId(), s.instance().id()).customDomain())
        .isEqualTo(previous);
    assertThat(onPlatform(s).customDomain()).isEqualTo(previous);
    Subscription other = subscribe("pro");
    assertCode(() -> setDomain(other, previous), ErrorCode.CONFLICT);
  }
}
