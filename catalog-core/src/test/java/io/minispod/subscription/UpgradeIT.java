package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.billing.BillingLine;
import io.minispod.billing.LineType;
import io.minispod.billing.Price;
import io.minispod.catalog.Plan;
import io.minispod.catalog.PlanDetails;
import io.minispod.catalog.PlanUpdate;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.ProvisionerCall.Operation;
import io.minispod.provisioner.ResourceLimits;
import io.minispod.quota.PoolAvailability;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class UpgradeIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");
  private Platform platform;
  private ServiceDefinition service;
  private String user;
  private Subscription basic;

  @BeforeEach
  void subscribeToBasic() {
    platform = Platform.start(db.dataSource(), clock);
    service = platform.service(5, 5, 1);
    user = "user-" + UUID.randomUUID();
    basic = platform.subscribe().subscribe(user, service.slug(), "basic", "first");
    clock.set(java.time.Instant.parse("2026-04-10T00:00:00Z"));
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  private UpgradeService upgrades() {
    return platform.subscriptions.upgrades();
  }

  private long used(String planSlug) {
    Plan plan =
        platform.catalog.admin().listPlans(service.id()).stream()
            .map(PlanDetails::plan)
            .filter(p -> p.slug().equals(planSlug))
            .findFirst()
            .orElseThrow();
    return platform.quota.availability(List.of(Plan.poolKey(plan.id()))).get(0).used();
  }

  private List<BillingLine> billing() {
    return platform.billing.history(user, 1, 100).lines();
  }

  @Test
  void options_listHigherTiersWithTodaysProratedQuote() {
    List<UpgradeOption> options = upgrades().options(user, basic.id());

    assertThat(options).extracting(o -> o.plan().slug()).containsExactly("pro", "business");
    UpgradeOption pro = options.get(0);
    assertThat(pro.quote().credit().minorUnits()).isEqualTo(70_000);
    assertThat(pro.quote().charge().minorUnits()).isEqualTo(175_000);
    assertThat(pro.quote().due().minorUnits()).isEqualTo(105_000);
    assertThat(pro.quotaAvailable()).isEqualTo(5);
  }

  @Test
  void upgrade_toHigherTier_swapsQuotaChargesTheDifferenceAndResizes() {
    java.util.Map<String, String> secrets =
        platform.provisioner.generatedSecrets(basic.instance().id());

    Subscription pro = upgrades().upgrade(user, basic.id(), "pro", "up-1");

    assertThat(pro.plan().slug()).isEqualTo("pro");
    assertThat(pro.status()).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(pro.amountPaid()).isEqualTo(100_000 + 105_000);
    assertThat(used("basic")).isZero();
    assertThat(used("pro")).isEqualTo(1);
    assertThat(billing())
        .extracting(BillingLine::type)
        .containsExactlyInAnyOrder(
            LineType.CHARGE, LineType.PRORATION_CREDIT, LineType.PRORATION_CHARGE);
    assertThat(platform.gateway.charges()).hasSize(2);
    assertThat(platform.gateway.charges().get(1).amount().minorUnits()).isEqualTo(105_000);
    assertThat(platform.provisioner.instance(basic.instance().id()).orElseThrow().app().resources())
        .isEqualTo(new ResourceLimits(1000, 1024, 10));
    assertThat(platform.provisioner.generatedSecrets(basic.instance().id())).isEqualTo(secrets);
    assertThat(platform.subscriptions.instances().instance(user, basic.instance().id()).resources())
        .isEqualTo(new Resources(1000, 1024, 10));
  }

  @Test
  void upgrade_sameKeyAgain_returnsFirstResultAndChargesOnce() {
    Subscription first = upgrades().upgrade(user, basic.id(), "pro", "up-1");
    Subscription retry = upgrades().upgrade(user, basic.id(), "pro", "up-1");

    assertThat(retry).isEqualTo(first);
    assertThat(platform.gateway.charges()).hasSize(2);
    assertThat(used("pro")).isEqualTo(1);
  }

  @Test
  void upgrade_sameKeyOtherTarget_isConflictAndChangesNothing() {
    Subscription first = upgrades().upgrade(user, basic.id(), "pro", "up-1");

    assertThatThrownBy(() -> upgrades().upgrade(user, basic.id(), "business", "up-1"))
        .isInstanceOfSatisfying(
            SubscriptionConflictException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
              assertThat(e.getMessage()).contains("idempotency key 'up-1'");
            });
    assertThat(platform.subscribe().subscription(user, basic.id())).isEqualTo(first);
    assertThat(platform.gateway.charges()).hasSize(2);
    assertThat(used("business")).isZero();
  }

  @Test
  void upgrade_sameOrLowerTier_isInvalidPlan() {
    upgrades().upgrade(user, basic.id(), "pro", "up-1");

    assertThatThrownBy(() -> upgrades().upgrade(user, basic.id(), "basic", "down"))
        .isInstanceOfSatisfying(
            InvalidPlanException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PLAN);
              assertThat(e.reason()).isEqualTo(UpgradeDecision.NOT_AN_UPGRADE);
            });
    assertThatThrownBy(() -> upgrades().upgrade(user, basic.id(), "pro", "same"))
        .isInstanceOfSatisfying(
            InvalidPlanException.class,
            e -> assertThat(e.reason()).isEqualTo(UpgradeDecision.NOT_AN_UPGRADE));
    assertThatThrownBy(() -> upgrades().upgrade(user, basic.id(), "gold", "unknown"))
        .isInstanceOfSatisfying(
            InvalidPlanException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidPlanException.UNKNOWN_PLAN));
    assertThat(used("pro")).isEqualTo(1);
  }

  @Test
  void upgrade_toFullPlan_isQuotaExceededAndChangesNothing() {
    platform.subscribe().subscribe("other-" + UUID.randomUUID(), service.slug(), "business", "k");

    assertThatThrownBy(() -> upgrades().upgrade(user, basic.id(), "business", "up"))
        .isInstanceOf(PlanQuotaExceededException.class);
    assertThat(used("basic")).isEqualTo(1);
    assertThat(platform.subscribe().subscription(user, basic.id()).plan().slug())
        .isEqualTo("basic");
  }

  @Test
  void upgrade_paymentDeclined_restoresOldPlanAndQuota() {
    platform.gateway.declineAccount(user, "card declined");

    assertThatThrownBy(() -> upgrades().upgrade(user, basic.id(), "pro", "up"))
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYMENT_FAILED));

    assertThat(platform.subscribe().subscription(user, basic.id()).plan().slug())
        .isEqualTo("basic");
    assertThat(used("basic")).isEqualTo(1);
    assertThat(used("pro")).isZero();
    assertThat(platform.provisioner.count(Operation.RESIZE)).isZero();
    platform.gateway.clearRules();
    assertThat(upgrades().upgrade(user, basic.id(), "pro", "up-again").plan().slug())
        .isEqualTo("pro");
  }

  @Test
  void upgrade_resizeFails_refundsAndRestoresOldPlanAndQuota() {
    platform.provisioner.failNext(1, false);

    assertThatThrownBy(() -> upgrades().upgrade(user, basic.id(), "pro", "up"))
        .isInstanceOfSatisfying(
            MinisPodException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED));

    assertThat(platform.subscribe().subscription(user, basic.id()).plan().slug())
        .isEqualTo("basic");
    assertThat(used("basic")).isEqualTo(1);
    assertThat(used("pro")).isZero();
    long net = billing().stream().mapToLong(line -> line.amount().minorUnits()).sum();
    assertThat(net).as("net of %s", billing()).isEqualTo(100_000);
    assertThat(platform.provisioner.instance(basic.instance().id()).orElseThrow().app().resources())
        .isEqualTo(new ResourceLimits(500, 512, 5));
  }

  @Test
  void upgrade_failingAfterItsOldSlotWasWanted_undoesWithoutCapacityAndCancelEnds() {
    // Basic is full once this user is on it; the upgrade's resize fails once (retryable) and then
    // for good. Meanwhile another user wants basic: the slot the upgrade may fall back to is kept.
    ServiceDefinition tight = platform.service(1, 5, 1);
    Subscription onBasic = platform.subscribe().subscribe(user, tight.slug(), "basic", "tight");
    platform.provisioner.failNext(1, true);
    Subscription during = upgrades().upgrade(user, onBasic.id(), "pro", "tight-up");
    assertThat(during.plan().slug()).as("the resize waits for a retry").isEqualTo("basic");

    assertThatThrownBy(
            () -> platform.subscribe().subscribe("other-" + user, tight.slug(), "basic", "k"))
        .isInstanceOf(PlanQuotaExceededException.class);

    platform.provisioner.failNext(1, false);
    clock.advance(Duration.ofMinutes(1));
    platform.subscriptions.runDueWorkflows();

    Subscription after = platform.subscribe().subscription(user, onBasic.id());
    assertThat(after.status()).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(after.plan().slug()).isEqualTo("basic");
    assertThat(platform.subscribe().cancel(user, onBasic.id()).status())
        .isEqualTo(SubscriptionStatus.CANCELLED);
    assertThat(platform.quota.reconcile(false).isClean()).isTrue();
    assertThat(
            platform
                .quota
                .availability(
                    platform.catalog.admin().listPlans(tight.id()).stream()
                        .map(p -> p.plan().quotaPoolKey())
                        .toList())
                .stream()
                .mapToLong(PoolAvailability::used)
                .sum())
        .as("nothing of the tight service's plans is held")
        .isZero();
  }

  @Test
  void upgrade_ofAnInstanceThePlatformLost_recreatesItOnTheNewPlan() {
    // The platform forgets the instance (a restart of the in-memory platform, a namespace deleted
    // by hand): the upgrade's resize makes it so again instead of failing.
    platform.provisioner.deprovision(new InstanceRef(basic.instance().id(), user));

    Subscription pro = upgrades().upgrade(user, basic.id(), "pro", "after-loss");

    assertThat(pro.plan().slug()).isEqualTo("pro");
    assertThat(platform.provisioner.instance(basic.instance().id()).orElseThrow().app().resources())
        .isEqualTo(new ResourceLimits(1000, 1024, 10));
  }

  @Test
  void upgrade_cancelledSubscription_isConflict() {
    platform.subscribe().cancel(user, basic.id());

    assertThatThrownBy(() -> upgrades().upgrade(user, basic.id(), "pro", "up"))
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
  }

  @Test
  void upgrade_withZeroDue_neverCallsTheGateway() {
    Plan pro =
        platform.catalog.admin().listPlans(service.id()).stream()
            .map(PlanDetails::plan)
            .filter(p -> p.slug().equals("pro"))
            .findFirst()
            .orElseThrow();
    platform
        .catalog
        .admin()
        .updatePlan(
            service.id(),
            pro.id(),
            PlanUpdate.builder().price(Price.monthly(100_000, "IDR")).build());

    Subscription upgraded = upgrades().upgrade(user, basic.id(), "pro", "free-upgrade");

    assertThat(upgraded.plan().slug()).isEqualTo("pro");
    assertThat(platform.gateway.charges()).hasSize(1);
  }

  @Test
  void options_ofAnotherUsersSubscription_isNotFound() {
    assertThatThrownBy(() -> upgrades().options("intruder", basic.id()))
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }
}
