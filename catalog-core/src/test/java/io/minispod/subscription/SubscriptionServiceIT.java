package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.ValidationException;
import io.minispod.billing.BillingLine;
import io.minispod.billing.LineStatus;
import io.minispod.billing.LineType;
import io.minispod.catalog.Plan;
import io.minispod.catalog.PlanDetails;
import io.minispod.catalog.PlanUpdate;
import io.minispod.catalog.ServiceDefinition;
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

final class SubscriptionServiceIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");
  private Platform platform;
  private ServiceDefinition service;

  @BeforeEach
  void start() {
    platform = Platform.start(db.dataSource(), clock, b -> b.instancesPerUser(2));
    service = platform.service(3, 2, 1);
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  private static String user() {
    return "user-" + UUID.randomUUID();
  }

  private static String key() {
    return "key-" + UUID.randomUUID();
  }

  private Subscription subscribe(String user, String plan) {
    return platform.subscribe().subscribe(user, service.slug(), plan, key());
  }

  private PoolAvailability planQuota(String planSlug) {
    Plan plan =
        platform.catalog.admin().listPlans(service.id()).stream()
            .map(PlanDetails::plan)
            .filter(p -> p.slug().equals(planSlug))
            .findFirst()
            .orElseThrow();
    return platform.quota.availability(List.of(Plan.poolKey(plan.id()))).get(0);
  }

  private List<BillingLine> billingOf(String user) {
    return platform.billing.history(user, 1, 100).lines();
  }

  @Test
  void subscribe_freePlanSlot_isPaidProvisionedAndRunning() {
    String user = user();

    Subscription s = subscribe(user, "pro");

    assertThat(s.status()).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(s.plan().slug()).isEqualTo("pro");
    assertThat(s.amountPaid()).isEqualTo(250_000);
    assertThat(s.currentPeriod().start()).isEqualTo(clock.instant());
    assertThat(s.currentPeriod().end()).isEqualTo(java.time.Instant.parse("2026-05-01T00:00:00Z"));
    assertThat(s.instance().status()).isEqualTo(InstanceStatus.RUNNING);
    assertThat(s.instance().url())
        .matches("https://" + service.slug() + "-[a-z0-9]{8}\\.apps\\.test");
    assertThat(planQuota("pro").used()).isEqualTo(1);
    assertThat(billingOf(user))
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.type()).isEqualTo(LineType.CHARGE);
              assertThat(line.status()).isEqualTo(LineStatus.PAID);
              assertThat(line.amount().minorUnits()).isEqualTo(250_000);
            });
    assertThat(platform.provisioner.instance(s.instance().id()))
        .hasValueSatisfying(
            spec -> {
              assertThat(spec.app().resources()).isEqualTo(new ResourceLimits(1000, 1024, 10));
              assertThat(spec.companions()).extracting(c -> c.name()).containsExactly("mysql");
              assertThat(spec.ownerId()).isEqualTo(user);
            });
    assertThat(platform.subscribe().subscription(user, s.id())).isEqualTo(s);
    assertThat(platform.subscribe().subscriptions(user)).containsExactly(s);
  }

  @Test
  void subscribe_ghostTemplate_reachesTheProvisionerTranslated() {
    Subscription s = subscribe(user(), "basic");

    var spec = platform.provisioner.instance(s.instance().id()).orElseThrow();
    assertThat(spec.app().env())
        .containsEntry("url", "{{url}}")
        .containsEntry("database__connection__host", "{{companion:mysql}}")
        .containsEntry("NODE_ENV", "production")
        .doesNotContainKey("database__connection__password");
    assertThat(spec.app().secretEnv())
        .containsExactly(java.util.Map.entry("database__connection__password", "db-password"));
    assertThat(spec.generatedSecrets())
        .containsExactlyInAnyOrder("db-password", "db-root-password");
    assertThat(spec.app().readiness().path()).isEqualTo("/ghost/api/admin/site/");
    assertThat(spec.app().liveness()).isNull();
    assertThat(spec.app().runAsUser()).isEqualTo(1000L);
    assertThat(spec.companions())
        .singleElement()
        .satisfies(
            mysql -> {
              assertThat(mysql.secretEnv())
                  .containsEntry("MYSQL_PASSWORD", "db-password")
                  .containsEntry("MYSQL_ROOT_PASSWORD", "db-root-password");
              assertThat(mysql.resources()).isEqualTo(new ResourceLimits(500, 1024, 5));
              assertThat(mysql.runAsUser()).isEqualTo(999L);
            });
    assertThat(spec.totalResources()).isEqualTo(new ResourceLimits(1000, 1536, 10));
  }

  @Test
  void subscribe_sameKeyAgain_returnsFirstResultAndChargesOnce() {
    String user = user();
    String key = key();

    Subscription first = platform.subscribe().subscribe(user, service.slug(), "basic", key);
    Subscription retry = platform.subscribe().subscribe(user, service.slug(), "basic", key);

    assertThat(retry).isEqualTo(first);
    assertThat(platform.gateway.charges()).hasSize(1);
    assertThat(planQuota("basic").used()).isEqualTo(1);
    assertThat(platform.provisioner.count(Operation.PROVISION)).isEqualTo(1);
  }

  @Test
  void subscribe_sameKeyOtherPlan_isConflictAndTakesNothing() {
    String user = user();
    String key = key();
    Subscription first = platform.subscribe().subscribe(user, service.slug(), "basic", key);

    assertThatThrownBy(() -> platform.subscribe().subscribe(user, service.slug(), "pro", key))
        .isInstanceOfSatisfying(
            SubscriptionConflictException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
              assertThat(e.getMessage())
                  .contains("idempotency key '" + key + "' was first used for a different request");
            });
    assertThat(platform.subscribe().subscriptions(user)).containsExactly(first);
    assertThat(platform.gateway.charges()).hasSize(1);
    assertThat(planQuota("pro").used()).isZero();
  }

  @Test
  void subscribe_secondToSameService_isDuplicateWithUpgradeOptions() {
    String user = user();
    Subscription existing = subscribe(user, "basic");

    assertThatThrownBy(() -> subscribe(user, "pro"))
        .isInstanceOfSatisfying(
            DuplicateSubscriptionException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_SUBSCRIPTION);
              assertThat(e.existing().id()).isEqualTo(existing.id());
              assertThat(e.upgradeOptions())
                  .extracting(Plan::slug)
                  .containsExactly("pro", "business");
              assertThat(e.details())
                  .containsEntry("existingSubscriptionId", existing.id().toString());
            });
    assertThat(planQuota("pro").used()).isZero();
  }

  @Test
  void subscribe_fullPlan_isQuotaExceededAndHoldsNothing() {
    subscribe(user(), "business");
    String user = user();

    assertThatThrownBy(() -> subscribe(user, "business"))
        .isInstanceOfSatisfying(
            PlanQuotaExceededException.class,
            e ->
                assertThat(e.details())
                    .containsEntry("planName", "Business")
                    .containsEntry("availableQuota", 0L)
                    .containsEntry("totalQuota", 1L));
    assertThat(platform.subscribe().subscriptions(user)).isEmpty();
    assertThat(platform.quota.utilisation())
        .filteredOn(pool -> pool.poolKey().equals(QuotaPools.userInstances(user)))
        .allSatisfy(pool -> assertThat(pool.used()).isZero());
    assertThat(billingOf(user)).isEmpty();
  }

  @Test
  void subscribe_userInstanceLimitReached_isInsufficientResources() {
    String user = user();
    ServiceDefinition other = platform.service(5, 5, 5);
    ServiceDefinition third = platform.service(5, 5, 5);
    subscribe(user, "basic");
    platform.subscribe().subscribe(user, other.slug(), "basic", key());

    assertThatThrownBy(() -> platform.subscribe().subscribe(user, third.slug(), "basic", key()))
        .isInstanceOfSatisfying(
            InsufficientResourcesException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_RESOURCES);
              assertThat(e.details())
                  .containsEntry("resource", "instances of the user")
                  .containsEntry("total", 2L);
            });
  }

  @Test
  void subscribe_clusterFull_isInsufficientResources() {
    try (Platform small =
        platform.anotherNode(
            db.newDataSource(4),
            b -> b.clusterCapacity(new ResourceLimits(64_000, 262_144, 10_000)))) {
      platform.quota.setCapacity(
          QuotaPools.CLUSTER_CPU,
          platform.quota.availability(List.of(QuotaPools.CLUSTER_CPU)).get(0).used() + 100);
      assertThatThrownBy(() -> subscribe(user(), "basic"))
          .isInstanceOfSatisfying(
              InsufficientResourcesException.class,
              e -> assertThat(e.details()).containsEntry("resource", "cluster CPU (millicores)"));
      platform.quota.setCapacity(QuotaPools.CLUSTER_CPU, 64_000);
      assertThat(small.subscriptions).isNotNull();
    }
  }

  @Test
  void subscribe_unknownServiceOrPlan_isRefusedBeforeAnythingIsHeld() {
    assertThatThrownBy(
            () -> platform.subscribe().subscribe(user(), "no-such-service", "pro", key()))
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> subscribe(user(), "platinum"))
        .isInstanceOfSatisfying(
            InvalidPlanException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidPlanException.UNKNOWN_PLAN));
    assertThatThrownBy(() -> platform.subscribe().subscribe(" ", "", null, "k".repeat(151)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.fieldErrors())
                    .containsOnlyKeys("userId", "serviceSlug", "planSlug", "idempotencyKey"));
  }

  @Test
  void subscribe_sameKeyAfterThePlanAndServiceWent_stillReturnsTheFirstResult() {
    String user = user();
    String key = key();
    Subscription first = platform.subscribe().subscribe(user, service.slug(), "basic", key);
    Plan basic = platform.catalog.admin().listPlans(service.id()).get(0).plan();
    platform
        .catalog
        .admin()
        .updatePlan(service.id(), basic.id(), PlanUpdate.builder().active(false).build());

    Subscription planGone = platform.subscribe().subscribe(user, service.slug(), "basic", key);
    platform.catalog.admin().archiveService(service.id());
    Subscription serviceGone = platform.subscribe().subscribe(user, service.slug(), "basic", key);

    assertThat(planGone.id()).isEqualTo(first.id());
    assertThat(serviceGone.id()).isEqualTo(first.id());
    assertThat(serviceGone.status()).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(platform.gateway.charges()).hasSize(1);
  }

  @Test
  void subscribe_inactivePlan_isInvalidPlan() {
    Plan basic = platform.catalog.admin().listPlans(service.id()).get(0).plan();
    platform
        .catalog
        .admin()
        .updatePlan(service.id(), basic.id(), PlanUpdate.builder().active(false).build());

    assertThatThrownBy(() -> subscribe(user(), "basic"))
        .isInstanceOfSatisfying(
            InvalidPlanException.class,
            e -> assertThat(e.reason()).isEqualTo(UpgradeDecision.INACTIVE_PLAN));
  }

  @Test
  void subscribe_paymentDeclined_isPaymentFailedAndKeepsNothing() {
    String user = user();
    platform.gateway.declineAccount(user, "card declined");

    assertThatThrownBy(() -> subscribe(user, "pro"))
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYMENT_FAILED));

    assertThat(planQuota("pro").used()).isZero();
    assertThat(platform.subscribe().subscriptions(user)).isEmpty();
    assertThat(platform.provisioner.count(Operation.PROVISION)).isZero();
    platform.gateway.clearRules();
    assertThat(subscribe(user, "pro").status()).isEqualTo(SubscriptionStatus.ACTIVE);
  }

  @Test
  void subscribe_provisioningFails_refundsReleasesAndRemovesTheInstance() {
    String user = user();
    platform.provisioner.failNext(1, false);
    String key = key();

    assertThatThrownBy(() -> platform.subscribe().subscribe(user, service.slug(), "pro", key))
        .isInstanceOfSatisfying(
            MinisPodException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED));

    assertThat(planQuota("pro").used()).isZero();
    assertThat(billingOf(user))
        .extracting(BillingLine::type)
        .containsExactlyInAnyOrder(LineType.CHARGE, LineType.REFUND);
    assertThat(platform.provisioner.size()).isZero();
    assertThat(platform.provisioner.count(Operation.DEPROVISION)).isEqualTo(1);
    assertThat(platform.subscribe().subscriptions(user)).isEmpty();
    assertThat(platform.subscriptions.instances().instances(user)).isEmpty();
    assertThatThrownBy(() -> platform.subscribe().subscribe(user, service.slug(), "pro", key))
        .isInstanceOfSatisfying(
            MinisPodException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED));
    assertThat(platform.gateway.charges()).hasSize(1);
  }

  @Test
  void subscribe_provisionerAsksToRetry_returnsProvisioningAndTheRunnerFinishes() {
    String user = user();
    platform.provisioner.failNext(1, true);

    Subscription s = subscribe(user, "basic");

    assertThat(s.status()).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(s.instance().status()).isEqualTo(InstanceStatus.PROVISIONING);
    assertThat(platform.subscriptions.runDueWorkflows()).isZero();
    clock.advance(Duration.ofSeconds(5));
    assertThat(platform.subscriptions.runDueWorkflows()).isEqualTo(1);
    assertThat(platform.subscribe().subscription(user, s.id()).instance().status())
        .isEqualTo(InstanceStatus.RUNNING);
  }

  @Test
  void subscribe_provisionerKeepsFailing_compensatesAfterTheLastAttempt() {
    String user = user();
    platform.provisioner.failNext(3, true);

    Subscription s = subscribe(user, "basic");
    for (int round = 0; round < 2; round++) {
      clock.advance(Duration.ofMinutes(1));
      platform.subscriptions.runDueWorkflows();
    }

    assertThatThrownBy(() -> platform.subscribe().subscription(user, s.id()))
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(planQuota("basic").used()).isZero();
    assertThat(billingOf(user)).extracting(BillingLine::type).contains(LineType.REFUND);
  }

  @Test
  void subscription_ofAnotherUser_isNotFound() {
    Subscription mine = subscribe(user(), "basic");

    assertThatThrownBy(() -> platform.subscribe().subscription("someone-else", mine.id()))
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThatThrownBy(() -> platform.subscribe().cancel("someone-else", mine.id()))
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
  }

  @Test
  void cancel_deprovisionsAndReleasesQuota_andIsHarmlessTwice() {
    String user = user();
    Subscription s = subscribe(user, "business");

    Subscription cancelled = platform.subscribe().cancel(user, s.id());
    Subscription again = platform.subscribe().cancel(user, s.id());

    assertThat(cancelled.status()).isEqualTo(SubscriptionStatus.CANCELLED);
    assertThat(cancelled.instance().status()).isEqualTo(InstanceStatus.DELETED);
    assertThat(again.status()).isEqualTo(SubscriptionStatus.CANCELLED);
    assertThat(planQuota("business").used()).isZero();
    assertThat(platform.provisioner.instance(s.instance().id())).isEmpty();
    assertThat(billingOf(user)).extracting(BillingLine::type).containsExactly(LineType.CHARGE);
    assertThat(subscribe(user, "business").status()).isEqualTo(SubscriptionStatus.ACTIVE);
  }

  @Test
  void cancel_withRefundPolicy_refundsWhatThePolicyGrants() {
    try (Platform refunding =
        platform.anotherNode(
            db.newDataSource(4), b -> b.cancellationPolicy((s, at) -> s.amountPaid() / 2))) {
      String user = user();
      Subscription s = refunding.subscribe().subscribe(user, service.slug(), "pro", key());

      refunding.subscribe().cancel(user, s.id());

      assertThat(billingOf(user))
          .filteredOn(line -> line.type() == LineType.REFUND)
          .singleElement()
          .satisfies(line -> assertThat(line.amount().minorUnits()).isEqualTo(-125_000));
    }
  }

  @Test
  void cancel_fullRefundPolicyAfterAnUpgrade_refundsWhatWasPaidAndEnds() {
    try (Platform refunding =
        platform.anotherNode(
            db.newDataSource(4), b -> b.cancellationPolicy((s, at) -> s.amountPaid()))) {
      String user = user();
      Subscription s = refunding.subscribe().subscribe(user, service.slug(), "basic", key());
      clock.advance(Duration.ofDays(10));
      Subscription upgraded =
          refunding.subscriptions.upgrades().upgrade(user, s.id(), "pro", key());

      Subscription cancelled = refunding.subscribe().cancel(user, s.id());

      assertThat(cancelled.status()).isEqualTo(SubscriptionStatus.CANCELLED);
      List<BillingLine> refunds =
          billingOf(user).stream().filter(line -> line.type() == LineType.REFUND).toList();
      assertThat(refunds).hasSize(2);
      assertThat(refunds.stream().mapToLong(line -> line.amount().minorUnits()).sum())
          .as("everything paid: the first period and the upgrade's due, not its gross charge")
          .isEqualTo(-upgraded.amountPaid());
      assertThat(planQuota("pro").used()).isZero();
      assertThat(platform.quota.reconcile(false).isClean()).isTrue();
    }
  }

  @Test
  void cancel_refundDeclinedByTheGateway_endsWithoutTheRefund() {
    try (Platform refunding =
        platform.anotherNode(
            db.newDataSource(4), b -> b.cancellationPolicy((s, at) -> s.amountPaid()))) {
      String user = user();
      Subscription s = refunding.subscribe().subscribe(user, service.slug(), "basic", key());
      platform.gateway.declineAccount(user, "card closed");

      refunding.subscribe().cancel(user, s.id());
      clock.advance(Duration.ofMinutes(1));
      refunding.subscriptions.runDueWorkflows();

      assertThat(refunding.subscribe().subscription(user, s.id()).status())
          .isEqualTo(SubscriptionStatus.CANCELLED);
      assertThat(billingOf(user))
          .filteredOn(line -> line.type() == LineType.REFUND)
          .singleElement()
          .satisfies(line -> assertThat(line.status()).isEqualTo(LineStatus.DECLINED));
      assertThat(planQuota("basic").used()).isZero();
    }
  }
}
