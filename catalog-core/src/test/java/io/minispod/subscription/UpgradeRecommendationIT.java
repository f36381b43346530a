package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.ResourceUsage;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The health monitor's upgrade recommendation on the instance: usage above 85% of a limit of the
 * basic plan (500 millicores, 512 MiB, 5 GiB) for 3 checks in a row recommends pro, the next plan
 * the upgrade policy allows; it goes when usage drops or the plan changes.
 */
final class UpgradeRecommendationIT {

  private static final String MEMORY_REASON = "memory above 85% of the plan's limit for 3 checks";

  /** 480 MiB of basic's 512 (above 85%), CPU and storage well below. */
  private static final ResourceUsage HIGH_MEMORY = new ResourceUsage(100, 480, 1.0);

  private static final ResourceUsage LOW = new ResourceUsage(100, 200, 1.0);

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");
  private Platform platform;
  private ServiceDefinition service;

  @BeforeEach
  void start() {
    platform =
        Platform.start(
            db.newDataSource(6),
            clock,
            b -> b.healthChecks(Duration.ofMinutes(1), 3).usageAlertRatio(0.85));
    service = platform.service(20, 20, 20);
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  private Subscription subscribe(String plan) {
    return platform.subscribe().subscribe("user-" + UUID.randomUUID(), service.slug(), plan, "k");
  }

  private UpgradeRecommendation recommendation(Subscription s) {
    return platform
        .subscriptions
        .instances()
        .instance(s.userId(), s.instance().id())
        .recommendation();
  }

  private void rounds(int count) {
    for (int i = 0; i < count; i++) {
      clock.advance(Duration.ofMinutes(1));
      platform.subscriptions.healthMonitor().runRound();
    }
  }

  @Test
  void highMemoryForThresholdChecks_recommendsTheNextPlanNamingTheResource() {
    Subscription s = subscribe("basic");
    platform.provisioner.setUsage(s.instance().id(), HIGH_MEMORY);

    rounds(2);
    assertThat(recommendation(s)).isNull();
    rounds(1);

    assertThat(recommendation(s)).isEqualTo(new UpgradeRecommendation("pro", MEMORY_REASON));
  }

  @Test
  void severalResourcesHigh_areAllNamed() {
    Subscription s = subscribe("basic");
    platform.provisioner.setUsage(s.instance().id(), new ResourceUsage(490, 500, 4.5));

    rounds(3);

    assertThat(recommendation(s).reason())
        .isEqualTo("CPU, memory and storage above 85% of the plan's limits for 3 checks");
  }

  @Test
  void aCheckBelowTheLine_startsTheStreakAgain() {
    Subscription s = subscribe("basic");
    platform.provisioner.setUsage(s.instance().id(), HIGH_MEMORY);
    rounds(2);
    platform.provisioner.setUsage(s.instance().id(), LOW);
    rounds(1);
    platform.provisioner.setUsage(s.instance().id(), HIGH_MEMORY);

    rounds(2);
    assertThat(recommendation(s)).isNull();
    rounds(1);
    assertThat(recommendation(s)).isNotNull();
  }

  @Test
  void usageDrops_clearsTheRecommendation() {
    Subscription s = subscribe("basic");
    platform.provisioner.setUsage(s.instance().id(), HIGH_MEMORY);
    rounds(3);
    assertThat(recommendation(s)).isNotNull();

    platform.provisioner.setUsage(s.instance().id(), LOW);
    rounds(1);

    assertThat(recommendation(s)).isNull();
  }

  @Test
  void usageNotMeasured_keepsTheRecommendation() {
    Subscription s = subscribe("basic");
    platform.provisioner.setUsage(s.instance().id(), HIGH_MEMORY);
    rounds(3);

    platform.provisioner.setUsage(s.instance().id(), null);
    rounds(1);

    assertThat(recommendation(s)).isEqualTo(new UpgradeRecommendation("pro", MEMORY_REASON));
  }

  @Test
  void planChanges_clearsTheRecommendationAndTheStreaks() {
    Subscription s = subscribe("basic");
    platform.provisioner.setUsage(s.instance().id(), HIGH_MEMORY);
    rounds(3);
    assertThat(recommendation(s)).isNotNull();

    platform.subscriptions.upgrades().upgrade(s.userId(), s.id(), "pro", "up");
    assertThat(recommendation(s)).isNull();
    // 1,000 of pro's 1,024 MiB: a fresh streak, recommending business after 3 checks.
    platform.provisioner.setUsage(s.instance().id(), new ResourceUsage(100, 1000, 1.0));
    rounds(2);
    assertThat(recommendation(s)).isNull();
    rounds(1);

    assertThat(recommendation(s)).isEqualTo(new UpgradeRecommendation("business", MEMORY_REASON));
  }

  @Test
  void highUsageOnTheTopPlan_recommendsNothing() {
    Subscription s = subscribe("business");
    platform.provisioner.setUsage(s.instance().id(), new ResourceUsage(1490, 1500, 1.0));

    rounds(3);

    assertThat(recommendation(s)).isNull();
  }

  @Test
  void cancelledInstance_hasNoRecommendation() {
    Subscription s = subscribe("basic");
    platform.provisioner.setUsage(s.instance().id(), HIGH_MEMORY);
    rounds(3);

    platform.subscribe().cancel(s.userId(), s.id());

    assertThat(recommendation(s)).isNull();
  }
}
