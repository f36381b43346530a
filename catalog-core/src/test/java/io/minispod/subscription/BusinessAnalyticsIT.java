package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.ValidationException;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.ResourceUsage;
import io.minispod.subscription.PlanUsage.UsageShare;
import io.minispod.subscription.UpgradeAdoption.PlanChange;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The business analytics over a known history, on the real database with a {@link MutableClock}:
 * subscribes and refusals of every kind, an upgrade, a cancel now, a cancel at period end, and a
 * suspension that ran out into a cancel. (The upgrade service refuses a change that leaves nothing
 * due, so contraction is shown through a price raised after an upgrade.)
 */
final class BusinessAnalyticsIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static final Instant JAN_5 = Instant.parse("2026-01-05T08:00:00Z");
  private static final Instant JAN_1 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant MAR_1 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant APR_1 = Instant.parse("2026-04-01T00:00:00Z");

  private final MutableClock clock = MutableClock.at(JAN_5.toString());
  private Platform platform;
  private ServiceDefinition service;
  private AnalyticsService analytics;
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  @BeforeEach
  void start() {
    platform =
        Platform.start(
            db.dataSource(),
            clock,
            b ->
                b.dunningPolicy(DunningPolicy.schedule(List.of(), Duration.ofDays(14)))
                    .cpuMillicoresPerUser(1999));
    service = platform.service(10, 2, 10);
    analytics = platform.subscriptions.analytics();
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  @Test
  void figures_ofAKnownHistory_areExact() {
    history();

    assertThat(analytics.recurringRevenue(Instant.parse("2025-12-01T00:00:00Z"), APR_1, slug()))
        .containsExactly(
            new RecurringRevenue(
                YearMonth.of(2026, 1), "IDR", 700_000, 8_400_000, 800_000, 150_000, 0, 250_000),
            new RecurringRevenue(
                YearMonth.of(2026, 2), "IDR", 600_000, 7_200_000, 100_000, 0, 0, 200_000),
            new RecurringRevenue(YearMonth.of(2026, 3), "IDR", 600_000, 7_200_000, 0, 0, 0, 0));

    assertThat(analytics.churn(JAN_1, APR_1, slug()))
        .containsExactly(
            new MonthlyChurn(YearMonth.of(2026, 1), 0, 1, 1, 0, null),
            new MonthlyChurn(YearMonth.of(2026, 2), 4, 2, 1, 1, 0.5),
            new MonthlyChurn(YearMonth.of(2026, 3), 3, 0, 0, 0, 0.0));

    assertThat(analytics.conversion(JAN_1, MAR_1, slug()))
        .containsExactly(
            new SubscribeConversion(
                slug(),
                "basic",
                7,
                4,
                0,
                failures(
                    Map.of(
                        ErrorCode.DUPLICATE_SUBSCRIPTION,
                        1L,
                        ErrorCode.PAYMENT_FAILED,
                        1L,
                        ErrorCode.PROVISIONING_FAILED,
                        1L))),
            new SubscribeConversion(
                slug(), "pro", 3, 2, 0, failures(Map.of(ErrorCode.QUOTA_EXCEEDED, 1L))),
            new SubscribeConversion(
                slug(),
                "business",
                1,
                0,
                0,
                failures(Map.of(ErrorCode.INSUFFICIENT_RESOURCES, 1L))),
            new SubscribeConversion(
                slug(), "nope", 1, 0, 0, failures(Map.of(ErrorCode.INVALID_PLAN, 1L))));

    UpgradeAdoption adoption = analytics.upgradeAdoption(JAN_1, MAR_1, slug());
    assertThat(adoption.subscriptions()).isEqualTo(6);
    assertThat(adoption.upgraded()).isEqualTo(1);
    assertThat(adoption.share()).isEqualTo(1.0 / 6);
    assertThat(adoption.medianDaysToFirstUpgrade()).isEqualTo(9.0);
    assertThat(adoption.changes()).containsExactly(new PlanChange(slug(), "basic", "pro", 1));
  }

  @Test
  void figures_ofAnotherService_leaveThisOneOut() {
    history();
    ServiceDefinition other = platform.service(10, 10, 10);

    assertThat(analytics.recurringRevenue(JAN_1, APR_1, other.slug())).isEmpty();
    assertThat(analytics.churn(JAN_1, MAR_1, other.slug()))
        .containsExactly(
            new MonthlyChurn(YearMonth.of(2026, 1), 0, 0, 0, 0, null),
            new MonthlyChurn(YearMonth.of(2026, 2), 0, 0, 0, 0, null));
    assertThat(analytics.conversion(JAN_1, MAR_1, other.slug())).isEmpty();
    assertThat(analytics.upgradeAdoption(JAN_1, MAR_1, other.slug()))
        .isEqualTo(new UpgradeAdoption(0, 0, null, List.of()));
    assertThat(analytics.recurringRevenue(JAN_1, APR_1, null))
        .filteredOn(r -> r.month().equals(YearMonth.of(2026, 1)))
        .extracting(RecurringRevenue::newMrr)
        .allMatch(n -> n >= 800_000);
  }

  @Test
  void conversion_aRetryOfTheSameKey_countsOnce_withItsLatestOutcome() {
    platform.gateway.declineAccount(user("kim"), "card expired");
    assertThatThrownBy(() -> platform.subscribe().subscribe(user("kim"), slug(), "basic", "k"))
        .isInstanceOf(MinisPodException.class);
    platform.gateway.clearRules();
    // A failed subscribe keeps its key: the retry is given the first answer again.
    assertThatThrownBy(() -> platform.subscribe().subscribe(user("kim"), slug(), "basic", "k"))
        .isInstanceOf(MinisPodException.class);
    platform.subscribe().subscribe(user("lee"), slug(), "pro", "k");
    platform.subscribe().subscribe(user("max"), slug(), "pro", "k");
    // Refused before anything was kept, twice with the same key, then carried through.
    assertThatThrownBy(() -> platform.subscribe().subscribe(user("ned"), slug(), "pro", "k"))
        .isInstanceOf(PlanQuotaExceededException.class);
    assertThatThrownBy(() -> platform.subscribe().subscribe(user("ned"), slug(), "pro", "k"))
        .isInstanceOf(PlanQuotaExceededException.class);
    platform
        .subscribe()
        .cancel(user("max"), platform.subscribe().subscriptions(user("max")).get(0).id());
    platform.subscribe().subscribe(user("ned"), slug(), "pro", "k");

    assertThat(analytics.conversion(JAN_1, MAR_1, slug()))
        .extracting(
            SubscribeConversion::planSlug,
            SubscribeConversion::attempts,
            SubscribeConversion::successes,
            c -> c.failures().get(ErrorCode.PAYMENT_FAILED),
            c -> c.failures().get(ErrorCode.QUOTA_EXCEEDED))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("basic", 1L, 0L, 1L, 0L),
            org.assertj.core.groups.Tuple.tuple("pro", 3L, 3L, 0L, 0L));
  }

  @Test
  void recurringRevenue_pricesAsTheyAreNow_aRaisedOldPriceTurnsAnUpgradeIntoAContraction() {
    Subscription tom = platform.subscribe().subscribe(user("tom"), slug(), "basic", "k");
    clock.advance(Duration.ofDays(3));
    platform.subscriptions.upgrades().upgrade(user("tom"), tom.id(), "pro", "up");
    UUID basic =
        platform.catalog.admin().listPlans(service.id()).stream()
            .map(io.minispod.catalog.PlanDetails::plan)
            .filter(p -> p.slug().equals("basic"))
            .findFirst()
            .orElseThrow()
            .id();
    platform
        .catalog
        .admin()
        .updatePlan(
            service.id(),
            basic,
            new io.minispod.catalog.PlanUpdate(
                null,
                null,
                null,
                io.minispod.billing.Price.monthly(300_000, Platform.IDR),
                null,
                null,
                null,
                null));

    // Started on basic at today's 300,000, moved to pro at 250,000: a contraction of 50,000.
    assertThat(analytics.recurringRevenue(JAN_1, Instant.parse("2026-02-01T00:00:00Z"), slug()))
        .containsExactly(
            new RecurringRevenue(
                YearMonth.of(2026, 1), "IDR", 250_000, 3_000_000, 300_000, 0, 50_000, 0));
  }

  @Test
  void recurringRevenue_aYearlyPrice_isSpreadOverTwelveMonths() {
    ServiceDefinition yearly =
        platform
            .catalog
            .admin()
            .createService(
                new io.minispod.catalog.ServiceDraft(
                    "yearly-" + UUID.randomUUID().toString().substring(0, 8),
                    "Yearly",
                    "testing",
                    "Sold by the year",
                    List.of("test"),
                    io.minispod.catalog.CatalogSeed.ghostTemplate()));
    platform
        .catalog
        .admin()
        .createPlan(
            yearly.id(),
            new io.minispod.catalog.PlanDraft(
                "annual",
                "Annual",
                1,
                io.minispod.billing.Price.yearly(1_000_000, Platform.IDR),
                new io.minispod.catalog.template.Resources(500, 512, 5),
                10,
                Map.of()));
    platform.subscribe().subscribe(user("olga"), yearly.slug(), "annual", "k");
    platform.subscribe().subscribe(user("pia"), yearly.slug(), "annual", "k");
    platform.subscribe().subscribe(user("quinn"), yearly.slug(), "annual", "k");

    // 3,000,000 a year: 250,000 a month, rounded once for the month, not once per subscription.
    assertThat(
            analytics.recurringRevenue(JAN_1, Instant.parse("2026-02-01T00:00:00Z"), yearly.slug()))
        .containsExactly(
            new RecurringRevenue(
                YearMonth.of(2026, 1), "IDR", 250_000, 3_000_000, 250_000, 0, 0, 0));
  }

  @Test
  void resourceUtilisation_fromTheHealthSamples_withinTheirRetention() {
    Subscription a = platform.subscribe().subscribe(user("rae"), slug(), "basic", "k");
    Subscription b = platform.subscribe().subscribe(user("sol"), slug(), "pro", "k");
    // basic: 500 millicores, 512 MiB, 5 GiB; pro twice that.
    platform.provisioner.setUsage(a.instance().id(), new ResourceUsage(250, 256, 1.0));
    platform.provisioner.setUsage(b.instance().id(), new ResourceUsage(100, 1024, 5.0));
    platform.subscriptions.healthMonitor().runRound();
    clock.advance(Duration.ofMinutes(2));
    platform.provisioner.setUsage(a.instance().id(), new ResourceUsage(500, 512, 5.0));
    platform.subscriptions.healthMonitor().runRound();
    Instant to = clock.instant().plusSeconds(1);

    assertThat(analytics.resourceUtilisation(JAN_1, to, slug()))
        .usingRecursiveComparison()
        .withComparatorForType(
            (x, y) -> Math.abs(x - y) < 1e-9 ? 0 : Double.compare(x, y), Double.class)
        .isEqualTo(
            List.of(
                new PlanUsage(
                    slug(),
                    "basic",
                    2,
                    new UsageShare(0.75, 0.975),
                    new UsageShare(0.75, 0.975),
                    new UsageShare(0.6, 0.96)),
                new PlanUsage(
                    slug(),
                    "pro",
                    2,
                    new UsageShare(0.1, 0.1),
                    new UsageShare(1.0, 1.0),
                    new UsageShare(0.5, 0.5))));

    // 91 days on, a round deletes what is older than the 90 days kept, and samples anew.
    clock.advance(Duration.ofDays(91));
    platform.subscriptions.healthMonitor().runRound();
    assertThat(analytics.resourceUtilisation(JAN_1, clock.instant().plusSeconds(1), slug()))
        .extracting(PlanUsage::planSlug, PlanUsage::samples)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("basic", 1L),
            org.assertj.core.groups.Tuple.tuple("pro", 1L));
  }

  @Test
  void ranges_missingReversedOrTooLong_areRefused() {
    Instant now = clock.instant();

    assertThatThrownBy(() -> analytics.recurringRevenue(now, now.minusSeconds(1), null))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> analytics.churn(null, now, null))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.fieldErrors()).containsOnlyKeys("from"));
    assertThatThrownBy(() -> analytics.churn(now, now.plus(Duration.ofDays(3700)), null))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.fieldErrors()).containsOnlyKeys("to"));
    assertThatThrownBy(() -> analytics.conversion(now, null, null))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> analytics.upgradeAdoption(now, now, null))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> analytics.resourceUtilisation(null, null, null))
        .isInstanceOf(ValidationException.class);
  }

  /**
   * January 5th: alice, bob and sam on basic, carol and ivan on pro (pro is then full); refused:
   * dave (pro is full), erin (business needs more CPU than a user may have), alice again (a
   * duplicate), frank (payment declined), gina (provisioning failed), harry (no such plan). Ivan
   * cancels on the 10th, alice upgrades to pro on the 14th, bob cancels at the end of his period on
   * the 25th, and sam's card is declined. February 5th: the period ends, bob's subscription with
   * it, and sam's renewal is declined (suspended, no retry); his grace period runs out on the 19th.
   * Judy subscribes to basic on February 20th.
   */
  private void history() {
    SubscriptionService subs = platform.subscribe();
    Subscription alice = subs.subscribe(user("alice"), slug(), "basic", "k");
    Subscription bob = subs.subscribe(user("bob"), slug(), "basic", "k");
    subs.subscribe(user("sam"), slug(), "basic", "k");
    subs.subscribe(user("carol"), slug(), "pro", "k");
    Subscription ivan = subs.subscribe(user("ivan"), slug(), "pro", "k");
    assertThat(subs.subscribe(user("alice"), slug(), "basic", "k").id()).isEqualTo(alice.id());
    refused(ErrorCode.QUOTA_EXCEEDED, user("dave"), "pro", "k");
    refused(ErrorCode.INSUFFICIENT_RESOURCES, user("erin"), "business", "k");
    refused(ErrorCode.DUPLICATE_SUBSCRIPTION, user("alice"), "basic", "k2");
    platform.gateway.declineAccount(user("frank"), "card expired");
    refused(ErrorCode.PAYMENT_FAILED, user("frank"), "basic", "k");
    platform.provisioner.failNext(1, false);
    refused(ErrorCode.PROVISIONING_FAILED, user("gina"), "basic", "k");
    refused(ErrorCode.INVALID_PLAN, user("harry"), "nope", "k");

    clock.set(Instant.parse("2026-01-10T08:00:00Z"));
    subs.cancel(user("ivan"), ivan.id());
    clock.set(Instant.parse("2026-01-14T08:00:00Z"));
    platform.subscriptions.upgrades().upgrade(user("alice"), alice.id(), "pro", "up");
    clock.set(Instant.parse("2026-01-25T08:00:00Z"));
    subs.cancelAtPeriodEnd(user("bob"), bob.id());
    platform.gateway.declineAccount(user("sam"), "insufficient funds");

    clock.set(Instant.parse("2026-02-05T09:00:00Z"));
    platform.subscriptions.renewDue();
    assertThat(subs.subscriptions(user("sam")).get(0).status())
        .isEqualTo(SubscriptionStatus.SUSPENDED);
    clock.set(Instant.parse("2026-02-19T10:00:00Z"));
    platform.subscriptions.renewDue();
    assertThat(subs.subscription(user("bob"), bob.id()).status())
        .isEqualTo(SubscriptionStatus.CANCELLED);
    clock.set(Instant.parse("2026-02-20T08:00:00Z"));
    subs.subscribe(user("judy"), slug(), "basic", "k");
  }

  private void refused(ErrorCode code, String user, String plan, String key) {
    assertThatThrownBy(() -> platform.subscribe().subscribe(user, slug(), plan, key))
        .isInstanceOfSatisfying(MinisPodException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  /** The five codes always shown, 0 unless given. */
  private static Map<ErrorCode, Long> failures(Map<ErrorCode, Long> seen) {
    Map<ErrorCode, Long> all =
        new java.util.EnumMap<>(
            Map.of(
                ErrorCode.QUOTA_EXCEEDED, 0L,
                ErrorCode.INSUFFICIENT_RESOURCES, 0L,
                ErrorCode.PAYMENT_FAILED, 0L,
                ErrorCode.PROVISIONING_FAILED, 0L,
                ErrorCode.DUPLICATE_SUBSCRIPTION, 0L));
    all.putAll(seen);
    return all;
  }

  /** A user of this test alone (the database is shared by the class's tests). */
  private String user(String name) {
    return name + "-" + suffix;
  }

  private String slug() {
    return service.slug();
  }
}
