package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.billing.BillingLine;
import io.minispod.billing.BillingPeriod;
import io.minispod.billing.LineStatus;
import io.minispod.billing.LineType;
import io.minispod.billing.PaymentFailedException;
import io.minispod.billing.Price;
import io.minispod.billing.ProrationQuote;
import io.minispod.catalog.PageRequest;
import io.minispod.catalog.Plan;
import io.minispod.catalog.PlanDraft;
import io.minispod.catalog.PlanUpdate;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.ServiceDraft;
import io.minispod.catalog.template.Resources;
import io.minispod.quota.PoolAvailability;
import io.minispod.subscription.internal.workflow.StepObserver;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subscriptions over time, on the real database with a {@link MutableClock}: periods renewed and
 * charged once each by several nodes, a node dying mid-renewal, dunning to suspension and back,
 * cancel at period end.
 */
final class RenewalsIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static final Duration HOUR = Duration.ofHours(1);

  /** Dies once, just before committing a renewal's charge, on the first renewal it runs. */
  static final class DiesInARenewal implements StepObserver {
    final AtomicBoolean armed = new AtomicBoolean();

    @Override
    public void beforeCommit(String kind, String step) {
      if (kind.equals("RENEW") && "CHARGE".equals(step) && armed.compareAndSet(true, false)) {
        throw new CrashRecoveryIT.SimulatedCrash("before committing a renewal's charge");
      }
    }
  }

  private final MutableClock clock = MutableClock.at("2026-01-31T03:00:00Z");
  private Platform node;
  private ServiceDefinition service;

  @BeforeEach
  void start() {
    node = Platform.start(db.newDataSource(6), clock);
    service = node.service(50, 50, 50);
  }

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    node.close();
  }

  @Test
  void thirteenMonths_twoNodesRenewingAtOnce_andOneDyingMidRenewal_chargeEachPeriodOnce()
      throws Exception {
    DiesInARenewal dies = new DiesInARenewal();
    List<UUID> subscriptions = new ArrayList<>();
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String user = "user-" + UUID.randomUUID();
      users.add(user);
      subscriptions.add(node.subscribe().subscribe(user, service.slug(), "basic", "k").id());
    }
    ExecutorService nodes = Executors.newFixedThreadPool(2);
    try (Platform second = node.anotherNode(db.newDataSource(6), b -> b);
        Platform doomed = node.anotherNode(db.newDataSource(6), b -> b.observer(dies))) {
      for (int month = 1; month <= 12; month++) {
        clock.set(currentPeriod(users.get(0), subscriptions.get(0)).end().plus(HOUR));
        if (month == 6) {
          dies.armed.set(true);
          assertThatThrownBy(doomed.subscriptions::renewDue)
              .isInstanceOf(CrashRecoveryIT.SimulatedCrash.class);
          // The dead node's claim lapses; the renewal it charged is taken over, not charged anew.
          clock.advance(Duration.ofMinutes(3));
        }
        Future<Integer> a = nodes.submit(node.subscriptions::renewDue);
        Future<Integer> b = nodes.submit(second.subscriptions::renewDue);
        int queued = a.get() + b.get();
        if (month != 6) {
          // In month 6 the dead node had queued them all already.
          assertThat(queued).as("renewals queued in month %d", month).isGreaterThanOrEqualTo(12);
        }
      }
    } finally {
      nodes.shutdownNow();
    }

    for (int i = 0; i < users.size(); i++) {
      Subscription s = node.subscribe().subscription(users.get(i), subscriptions.get(i));
      List<BillingLine> charges = paidCharges(s.id());
      assertThat(s.status()).isEqualTo(SubscriptionStatus.ACTIVE);
      assertThat(charges).hasSize(13);
      assertThat(charges.get(0).type()).isEqualTo(LineType.CHARGE);
      assertThat(charges.subList(1, 13)).allMatch(line -> line.type() == LineType.RENEWAL);
      for (int period = 1; period < 13; period++) {
        assertThat(charges.get(period).period().start())
            .as("period %d follows period %d", period, period - 1)
            .isEqualTo(charges.get(period - 1).period().end());
      }
      assertThat(s.currentPeriod()).isEqualTo(charges.get(12).period());
      assertThat(s.renewsAt()).isEqualTo(s.currentPeriod().end());
      assertThat(node.gateway.charges())
          .filteredOn(c -> c.accountId().equals(s.userId()))
          .hasSize(13);
    }
    // Anchored on January 31st (UTC, the billing zone here): February's period ends on the last
    // day of February, March's on the 31st again.
    List<BillingLine> first = paidCharges(subscriptions.get(0));
    assertThat(first.get(0).period().end()).isEqualTo(Instant.parse("2026-02-28T00:00:00Z"));
    assertThat(first.get(1).period().end()).isEqualTo(Instant.parse("2026-03-31T00:00:00Z"));
  }

  @Test
  void renewDue_aNodeDownForAWeekOfPeriods_catchesUpPeriodByPeriod() {
    String user = "user-" + UUID.randomUUID();
    UUID id = node.subscribe().subscribe(user, service.slug(), "pro", "k").id();
    clock.advance(Duration.ofDays(100));

    int queued = node.subscriptions.renewDue();

    Subscription s = node.subscribe().subscription(user, id);
    // Jan 31 to May 11: three periods to renew (other tests' subscriptions in this database too).
    assertThat(queued).isGreaterThanOrEqualTo(3);
    assertThat(s.currentPeriod().contains(clock.instant())).isTrue();
    assertThat(paidCharges(id)).hasSize(4);
  }

  @Test
  void upgrades_inTheFifthPeriod_andAgainInIt_chargeWhatTheOptionsQuote() {
    String user = "user-" + UUID.randomUUID();
    UUID id = node.subscribe().subscribe(user, service.slug(), "basic", "k").id();
    for (int period = 1; period <= 4; period++) {
      clock.set(currentPeriod(user, id).end().plus(HOUR));
      node.subscriptions.renewDue();
    }
    BillingPeriod fifth = currentPeriod(user, id);
    clock.set(fifth.start().plus(Duration.ofDays(9)));

    ProrationQuote quoted = option(user, id, "pro");
    node.subscriptions.upgrades().upgrade(user, id, "pro", "u1");
    clock.advance(Duration.ofDays(10));
    ProrationQuote quotedAgain = option(user, id, "business");
    node.subscriptions.upgrades().upgrade(user, id, "business", "u2");

    long days = Duration.between(fifth.start(), fifth.end()).toDays();
    // The worked figures: basic's unused 21 days credited against pro's, in the fifth period.
    assertThat(quoted.credit().minorUnits()).isEqualTo(Math.round(100_000.0 * (days - 9) / days));
    assertThat(quoted.charge().minorUnits()).isEqualTo(Math.round(250_000.0 * (days - 9) / days));
    // The first period, four renewals, then exactly what each upgrade's options quoted.
    assertThat(collected(user))
        .hasSize(7)
        .endsWith(quoted.due().minorUnits(), quotedAgain.due().minorUnits());
    assertThat(quotedAgain.credit().minorUnits())
        .isEqualTo(Math.round(250_000.0 * (days - 19) / days));
    assertThat(node.subscribe().subscription(user, id).plan().slug()).isEqualTo("business");
  }

  @Test
  void upgrade_afterThePeriodEndedBeforeItsRenewal_isAConflict_andWorksOnceRenewed() {
    String user = "user-" + UUID.randomUUID();
    Subscription s = node.subscribe().subscribe(user, service.slug(), "basic", "k");
    clock.set(s.currentPeriod().end().plus(HOUR));

    assertThatThrownBy(() -> node.subscriptions.upgrades().upgrade(user, s.id(), "pro", "u1"))
        .isInstanceOf(SubscriptionConflictException.class);
    node.subscriptions.renewDue();
    Subscription upgraded = node.subscriptions.upgrades().upgrade(user, s.id(), "pro", "u2");

    assertThat(upgraded.plan().slug()).isEqualTo("pro");
    assertThat(node.quota.reconcile(false).drifts()).isEmpty();
  }

  private ProrationQuote option(String user, UUID id, String planSlug) {
    return node.subscriptions.upgrades().options(user, id).stream()
        .filter(o -> o.plan().slug().equals(planSlug))
        .findFirst()
        .orElseThrow()
        .quote();
  }

  private List<Long> collected(String user) {
    return collected(node, user);
  }

  @Test
  void renewal_chargesThePlansCurrentPrice() {
    String user = "user-" + UUID.randomUUID();
    UUID id = node.subscribe().subscribe(user, service.slug(), "basic", "k").id();
    node.catalog
        .admin()
        .updatePlan(
            service.id(),
            plan("basic").id(),
            new PlanUpdate(
                null, null, null, Price.monthly(120_000, "IDR"), null, null, null, null));
    clock.set(currentPeriod(user, id).end().plus(HOUR));

    node.subscriptions.renewDue();

    assertThat(paidCharges(id).get(1).amount().minorUnits()).isEqualTo(120_000);
    assertThat(node.subscribe().subscription(user, id).amountPaid()).isEqualTo(120_000);
  }

  @Test
  void
      declinedRenewal_pastDueThenRetriedOnSchedule_suspendedWithTheInstanceStopped_thenReactivated() {
    String user = "user-" + UUID.randomUUID();
    Subscription subscribed = node.subscribe().subscribe(user, service.slug(), "pro", "k");
    UUID id = subscribed.id();
    BillingPeriod unpaidAfter = subscribed.currentPeriod();
    node.gateway.declineAccount(user, "card expired");
    Instant due = unpaidAfter.end().plus(HOUR);
    clock.set(due);

    node.subscriptions.renewDue();

    Subscription pastDue = node.subscribe().subscription(user, id);
    assertThat(pastDue.status()).isEqualTo(SubscriptionStatus.PAST_DUE);
    assertThat(pastDue.pastDue()).isEqualTo(new PastDue(due, due.plus(Duration.ofDays(1)), 1));
    assertThat(pastDue.renewsAt()).isEqualTo(due.plus(Duration.ofDays(1)));
    assertThat(pastDue.currentPeriod()).isEqualTo(unpaidAfter);
    assertThat(node.provisioner.isStopped(pastDue.instance().id())).isFalse();

    // Retries on days 1 and 3 are declined too; nothing happens in between.
    clock.set(due.plus(Duration.ofDays(1)).minusSeconds(1));
    assertThat(node.subscriptions.renewDue()).isZero();
    clock.set(due.plus(Duration.ofDays(1)));
    node.subscriptions.renewDue();
    clock.set(due.plus(Duration.ofDays(3)));
    node.subscriptions.renewDue();
    assertThat(node.subscribe().subscription(user, id).pastDue())
        .isEqualTo(new PastDue(due, due.plus(Duration.ofDays(7)), 3));

    clock.set(due.plus(Duration.ofDays(7)));
    node.subscriptions.renewDue();

    Subscription suspended = node.subscribe().subscription(user, id);
    assertThat(suspended.status()).isEqualTo(SubscriptionStatus.SUSPENDED);
    assertThat(suspended.pastDue()).isEqualTo(new PastDue(due, null, 4));
    assertThat(suspended.renewsAt()).isNull();
    assertThat(suspended.instance().status()).isEqualTo(InstanceStatus.STOPPED);
    assertThat(node.provisioner.isStopped(suspended.instance().id())).isTrue();
    assertThat(planUsed("pro")).as("the quota stays held while suspended").isEqualTo(1);
    assertThat(node.gateway.charges()).filteredOn(c -> c.accountId().equals(user)).hasSize(5);

    // Paid again by its user: active, the next period charged once, the instance started.
    node.gateway.clearRules();
    clock.advance(Duration.ofDays(2));
    Subscription reactivated = node.subscribe().reactivate(user, id);

    assertThat(reactivated.status()).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(reactivated.pastDue()).isNull();
    assertThat(reactivated.currentPeriod().start()).isEqualTo(unpaidAfter.end());
    assertThat(reactivated.instance().status()).isEqualTo(InstanceStatus.RUNNING);
    assertThat(node.provisioner.isStopped(reactivated.instance().id())).isFalse();
    assertThat(paidCharges(id)).hasSize(2);
    assertThat(node.subscribe().history(user, id, PageRequest.first()).items())
        .extracting(SubscriptionTransition::from, SubscriptionTransition::to)
        .containsExactly(
            tuple(SubscriptionStatus.SUSPENDED, SubscriptionStatus.ACTIVE),
            tuple(SubscriptionStatus.PAST_DUE, SubscriptionStatus.SUSPENDED),
            tuple(SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE),
            tuple(SubscriptionStatus.PENDING, SubscriptionStatus.ACTIVE));
    assertThat(
            node.subscriptions
                .instances()
                .history(user, reactivated.instance().id(), PageRequest.first())
                .items())
        .extracting(InstanceTransition::to)
        .startsWith(InstanceStatus.RUNNING, InstanceStatus.STOPPED);
    assertThat(node.quota.reconcile(false).drifts()).isEmpty();
  }

  /** Dies once, just before committing the step it is armed for. */
  static final class DiesBefore implements StepObserver {
    volatile String kind;
    volatile String step;

    void arm(String kind, String step) {
      this.kind = kind;
      this.step = step;
    }

    @Override
    public void beforeCommit(String kind, String step) {
      if (kind.equals(this.kind) && step != null && step.equals(this.step)) {
        this.kind = null;
        throw new CrashRecoveryIT.SimulatedCrash("before committing " + kind + " " + step);
      }
    }
  }

  @Test
  void dunning_aNodeDyingBeforeEachCommit_endsAsIfItHadNot_chargingOnceAndLeakingNothing() {
    DiesBefore dies = new DiesBefore();
    try (Platform doomed = node.anotherNode(db.newDataSource(4), b -> b.observer(dies))) {
      String user = "user-" + UUID.randomUUID();
      Subscription subscribed = node.subscribe().subscribe(user, service.slug(), "pro", "k");
      UUID id = subscribed.id();
      node.gateway.declineAccount(user, "card expired");
      Instant due = subscribed.currentPeriod().end().plus(HOUR);

      // The first decline's compensation dies before its commit: recorded once after recovery.
      clock.set(due);
      dies.arm("RENEW", "UNDO");
      assertThatThrownBy(doomed.subscriptions::renewDue)
          .isInstanceOf(CrashRecoveryIT.SimulatedCrash.class);
      clock.advance(Duration.ofMinutes(3));
      node.subscriptions.renewDue();
      assertThat(node.subscribe().subscription(user, id).pastDue().attempts()).isEqualTo(1);

      for (int retry = 2; retry <= 3; retry++) {
        clock.set(node.subscribe().subscription(user, id).pastDue().nextRetryAt());
        node.subscriptions.renewDue();
      }
      assertThat(node.subscribe().subscription(user, id).pastDue().attempts()).isEqualTo(3);

      // The last decline dies after stopping the instance, before suspending: suspended once.
      clock.set(node.subscribe().subscription(user, id).pastDue().nextRetryAt());
      dies.arm("RENEW", "UNDO");
      assertThatThrownBy(doomed.subscriptions::renewDue)
          .isInstanceOf(CrashRecoveryIT.SimulatedCrash.class);
      clock.advance(Duration.ofMinutes(3));
      node.subscriptions.renewDue();
      Subscription suspended = node.subscribe().subscription(user, id);
      assertThat(suspended.status()).isEqualTo(SubscriptionStatus.SUSPENDED);
      assertThat(suspended.pastDue().attempts()).isEqualTo(4);
      assertThat(node.provisioner.isStopped(suspended.instance().id())).isTrue();

      // A reactivation dies after its payment, before starting the instance: finished elsewhere.
      node.gateway.clearRules();
      dies.arm("RENEW", "START");
      assertThatThrownBy(() -> doomed.subscribe().reactivate(user, id))
          .isInstanceOf(CrashRecoveryIT.SimulatedCrash.class);
      clock.advance(Duration.ofMinutes(3));
      node.subscriptions.runDueWorkflows();

      Subscription active = node.subscribe().subscription(user, id);
      assertThat(active.status()).isEqualTo(SubscriptionStatus.ACTIVE);
      assertThat(active.instance().status()).isEqualTo(InstanceStatus.RUNNING);
      assertThat(node.provisioner.isStopped(active.instance().id())).isFalse();
      assertThat(paidCharges(id)).hasSize(2);
      assertThat(planUsed("pro")).as("the one slot it held all along").isOne();
      assertThat(node.quota.reconcile(false).drifts()).isEmpty();
    }
  }

  @Test
  void suspended_graceRunsOut_cancelledWithEverythingReleasedAndNothingRefunded() {
    node.subscriptions.close();
    try (Platform strict =
        node.anotherNode(
            db.newDataSource(4),
            b -> b.dunningPolicy(DunningPolicy.schedule(List.of(), Duration.ofDays(14))))) {
      String user = "user-" + UUID.randomUUID();
      Subscription subscribed = strict.subscribe().subscribe(user, service.slug(), "pro", "k");
      strict.gateway.declineAccount(user, "insufficient funds");
      Instant due = subscribed.currentPeriod().end().plus(HOUR);
      clock.set(due);
      strict.subscriptions.renewDue();
      assertThat(strict.subscribe().subscription(user, subscribed.id()).status())
          .isEqualTo(SubscriptionStatus.SUSPENDED);

      clock.set(due.plus(Duration.ofDays(14)));
      strict.subscriptions.renewDue();

      Subscription cancelled = strict.subscribe().subscription(user, subscribed.id());
      assertThat(cancelled.status()).isEqualTo(SubscriptionStatus.CANCELLED);
      assertThat(cancelled.instance().status()).isEqualTo(InstanceStatus.DELETED);
      assertThat(strict.provisioner.instance(cancelled.instance().id())).isEmpty();
      assertThat(planUsed("pro")).isZero();
      assertThat(strict.gateway.refunds()).filteredOn(r -> user.equals(r.accountId())).isEmpty();
      assertThat(strict.quota.reconcile(false).drifts()).isEmpty();
    }
  }

  @Test
  void declinedOnce_thenPaidOnTheFirstRetry_activeWithThePeriodChargedOnce() {
    String user = "user-" + UUID.randomUUID();
    Subscription subscribed = node.subscribe().subscribe(user, service.slug(), "basic", "k");
    node.gateway.declineNext(1, "do not honour");
    clock.set(subscribed.currentPeriod().end().plus(HOUR));
    node.subscriptions.renewDue();
    clock.advance(Duration.ofDays(1));

    node.subscriptions.renewDue();

    Subscription s = node.subscribe().subscription(user, subscribed.id());
    assertThat(s.status()).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(s.pastDue()).isNull();
    assertThat(s.currentPeriod().start()).isEqualTo(subscribed.currentPeriod().end());
    List<BillingLine> renewals =
        node.billing.referenceLines(s.id().toString()).stream()
            .filter(l -> l.type() == LineType.RENEWAL)
            .toList();
    assertThat(renewals)
        .extracting(BillingLine::status)
        .containsExactlyInAnyOrder(LineStatus.DECLINED, LineStatus.PAID);
  }

  @Test
  void reactivate_declined_isPaymentFailed_andCountsAsAnAttempt() {
    String user = "user-" + UUID.randomUUID();
    Subscription subscribed = node.subscribe().subscribe(user, service.slug(), "basic", "k");
    node.gateway.declineAccount(user, "card expired");
    clock.set(subscribed.currentPeriod().end().plus(HOUR));
    node.subscriptions.renewDue();

    assertThatThrownBy(() -> node.subscribe().reactivate(user, subscribed.id()))
        .isInstanceOf(PaymentFailedException.class);

    assertThat(node.subscribe().subscription(user, subscribed.id()).pastDue().attempts())
        .isEqualTo(2);
  }

  @Test
  void reactivate_anActiveSubscription_isAConflict() {
    String user = "user-" + UUID.randomUUID();
    Subscription subscribed = node.subscribe().subscribe(user, service.slug(), "basic", "k");

    assertThatThrownBy(() -> node.subscribe().reactivate(user, subscribed.id()))
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
  }

  @Test
  void cancelAtPeriodEnd_noRenewalCharge_instanceGoneAndQuotaReleasedAtTheEnd() {
    String user = "user-" + UUID.randomUUID();
    Subscription subscribed = node.subscribe().subscribe(user, service.slug(), "pro", "k");

    Subscription scheduled = node.subscribe().cancelAtPeriodEnd(user, subscribed.id());
    assertThat(scheduled.cancelAtPeriodEnd()).isTrue();
    assertThat(scheduled.renewsAt()).isNull();
    clock.set(subscribed.currentPeriod().end().minusSeconds(1));
    node.subscriptions.renewDue();
    assertThat(node.subscribe().subscription(user, subscribed.id()).status())
        .isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(planUsed("pro")).isEqualTo(1);

    clock.set(subscribed.currentPeriod().end());
    node.subscriptions.renewDue();

    Subscription ended = node.subscribe().subscription(user, subscribed.id());
    assertThat(ended.status()).isEqualTo(SubscriptionStatus.CANCELLED);
    assertThat(node.provisioner.instance(ended.instance().id())).isEmpty();
    assertThat(planUsed("pro")).isZero();
    assertThat(paidCharges(subscribed.id())).hasSize(1);
    assertThat(node.gateway.refunds()).filteredOn(r -> user.equals(r.accountId())).isEmpty();
  }

  @Test
  void resume_beforeThePeriodEnds_keepsRenewing() {
    String user = "user-" + UUID.randomUUID();
    Subscription subscribed = node.subscribe().subscribe(user, service.slug(), "pro", "k");
    node.subscribe().cancelAtPeriodEnd(user, subscribed.id());

    Subscription resumed = node.subscribe().resume(user, subscribed.id());
    clock.set(subscribed.currentPeriod().end().plus(HOUR));
    node.subscriptions.renewDue();

    assertThat(resumed.cancelAtPeriodEnd()).isFalse();
    assertThat(resumed.renewsAt()).isEqualTo(subscribed.currentPeriod().end());
    Subscription renewed = node.subscribe().subscription(user, subscribed.id());
    assertThat(renewed.status()).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(paidCharges(subscribed.id())).hasSize(2);
  }

  @Test
  void cancel_aPastDueSubscription_endsItNow() {
    String user = "user-" + UUID.randomUUID();
    Subscription subscribed = node.subscribe().subscribe(user, service.slug(), "pro", "k");
    node.gateway.declineAccount(user, "card expired");
    clock.set(subscribed.currentPeriod().end().plus(HOUR));
    node.subscriptions.renewDue();

    Subscription cancelled = node.subscribe().cancel(user, subscribed.id());

    assertThat(cancelled.status()).isEqualTo(SubscriptionStatus.CANCELLED);
    assertThat(planUsed("pro")).isZero();
  }

  /** Upgrades now, downgrades at the end of the term (Kill Bill's END_OF_TERM rule). */
  private static final UpgradePolicy DOWNGRADES_AT_TERM_END =
      (current, target) -> {
        if (target.tier() == current.tier()) {
          return UpgradeDecision.refuse(UpgradeDecision.NOT_AN_UPGRADE);
        }
        return target.tier() > current.tier()
            ? UpgradeDecision.allow()
            : UpgradeDecision.allowAtTermEnd();
      };

  /** A service whose plans all keep 5 GiB of storage (a change to a smaller volume is refused). */
  private ServiceDefinition sameStorageService(Platform on, long basicCapacity) {
    ServiceDefinition created = on.service(0, 0, 0);
    String slug = "even-" + UUID.randomUUID().toString().substring(0, 8);
    ServiceDefinition even =
        on.catalog
            .admin()
            .createService(
                new ServiceDraft(
                    slug, slug, "testing", "Even storage", List.of(), created.template()));
    long[] capacity = {basicCapacity, 50};
    String[] slugs = {"basic", "pro"};
    for (int tier = 1; tier <= 2; tier++) {
      on.catalog
          .admin()
          .createPlan(
              even.id(),
              new PlanDraft(
                  slugs[tier - 1],
                  slugs[tier - 1],
                  tier,
                  Price.monthly(tier == 1 ? 100_000 : 250_000, "IDR"),
                  new Resources(500 * tier, 512 * tier, 5),
                  capacity[tier - 1],
                  Map.of()));
    }
    return even;
  }

  @Test
  void downgradeAtTermEnd_isScheduled_thenAppliedByTheRenewal_atTheNewPrice_withQuotaSwapped() {
    Scheduled down = downgradeScheduled(50);
    Platform permissive = down.node();
    Subscription pro = down.pro();

    UpgradeOption basicOption =
        permissive.subscriptions.upgrades().options(down.user(), pro.id()).stream()
            .filter(o -> o.plan().slug().equals("basic"))
            .findFirst()
            .orElseThrow();

    assertThat(basicOption.quote()).isNull();
    assertThat(basicOption.effectiveAt()).isEqualTo(pro.currentPeriod().end());
    assertThat(down.scheduled().plan().slug()).isEqualTo("pro");
    assertThat(down.scheduled().scheduledChange().plan().slug()).isEqualTo("basic");
    assertThat(down.scheduled().scheduledChange().effectiveAt())
        .isEqualTo(pro.currentPeriod().end());
    assertThat(collected(permissive, down.user())).as("nothing charged to schedule").hasSize(1);
    assertThat(used(permissive, down.service(), "basic")).isZero();

    clock.set(pro.currentPeriod().end().plus(HOUR));
    permissive.subscriptions.renewDue();

    Subscription renewed = permissive.subscribe().subscription(down.user(), pro.id());
    assertThat(renewed.plan().slug()).isEqualTo("basic");
    assertThat(renewed.scheduledChange()).isNull();
    assertThat(renewed.currentPeriod().start()).isEqualTo(pro.currentPeriod().end());
    assertThat(renewed.amountPaid()).isEqualTo(100_000);
    assertThat(permissive.provisioner.instance(renewed.instance().id()).orElseThrow().app())
        .satisfies(app -> assertThat(app.resources().cpuMillicores()).isEqualTo(500));
    assertThat(used(permissive, down.service(), "basic")).isOne();
    assertThat(used(permissive, down.service(), "pro")).isZero();
    assertThat(permissive.quota.reconcile(false).drifts()).isEmpty();
    // The analytics see the applied change as contraction in the month it happened.
    YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
    Instant monthStart = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    assertThat(
            permissive
                .subscriptions
                .analytics()
                .recurringRevenue(monthStart, clock.instant(), down.service().slug()))
        .filteredOn(r -> r.month().equals(month))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.contractionMrr()).isEqualTo(150_000);
              assertThat(r.mrr()).isEqualTo(100_000);
            });
  }

  @Test
  void scheduledChange_withdrawn_renewsThePlanItWasOn() {
    Scheduled down = downgradeScheduled(50);

    Subscription withdrawn =
        down.node().subscriptions.upgrades().withdrawScheduledChange(down.user(), down.pro().id());
    clock.set(down.pro().currentPeriod().end().plus(HOUR));
    down.node().subscriptions.renewDue();

    assertThat(withdrawn.scheduledChange()).isNull();
    Subscription renewed = down.node().subscribe().subscription(down.user(), down.pro().id());
    assertThat(renewed.plan().slug()).isEqualTo("pro");
    assertThat(renewed.amountPaid()).isEqualTo(250_000);
  }

  @Test
  void scheduledChange_toAPlanFullAtRenewal_isDropped_andThePlanItWasOnIsRenewed() {
    Scheduled down = downgradeScheduled(1);
    Platform permissive = down.node();
    permissive
        .subscribe()
        .subscribe("other-" + UUID.randomUUID(), down.service().slug(), "basic", "k");

    clock.set(down.pro().currentPeriod().end().plus(HOUR));
    permissive.subscriptions.renewDue();

    Subscription renewed = permissive.subscribe().subscription(down.user(), down.pro().id());
    assertThat(renewed.status()).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(renewed.plan().slug()).isEqualTo("pro");
    assertThat(renewed.scheduledChange()).isNull();
    assertThat(renewed.currentPeriod().start()).isEqualTo(down.pro().currentPeriod().end());
    assertThat(renewed.amountPaid()).isEqualTo(250_000);
    assertThat(used(permissive, down.service(), "basic")).isOne();
    assertThat(permissive.quota.reconcile(false).drifts()).isEmpty();
  }

  @Test
  void downgradeAtTermEnd_toLessStorage_isRefusedAsStorageCannotShrink() {
    Platform permissive = permissiveNode();
    String user = "user-" + UUID.randomUUID();
    Subscription pro = permissive.subscribe().subscribe(user, service.slug(), "pro", "k");

    assertThatThrownBy(
            () -> permissive.subscriptions.upgrades().upgrade(user, pro.id(), "basic", "d"))
        .isInstanceOfSatisfying(
            InvalidPlanException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidPlanException.STORAGE_CANNOT_SHRINK));
    assertThat(permissive.subscriptions.upgrades().options(user, pro.id()))
        .extracting(o -> o.plan().slug())
        .containsExactly("business");
  }

  /**
   * A pro subscription on a node whose policy downgrades at the end of the term, to a service whose
   * plans keep one volume size, with a downgrade to basic scheduled.
   */
  private record Scheduled(
      Platform node,
      ServiceDefinition service,
      String user,
      Subscription pro,
      Subscription scheduled) {}

  private Scheduled downgradeScheduled(long basicCapacity) {
    Platform permissive = permissiveNode();
    ServiceDefinition even = sameStorageService(permissive, basicCapacity);
    String user = "user-" + UUID.randomUUID();
    Subscription pro = permissive.subscribe().subscribe(user, even.slug(), "pro", "k");
    Subscription scheduled =
        permissive.subscriptions.upgrades().upgrade(user, pro.id(), "basic", "down-1");
    return new Scheduled(permissive, even, user, pro, scheduled);
  }

  /** This test's node replaced by one whose policy downgrades at the end of the term. */
  private Platform permissiveNode() {
    node.subscriptions.close();
    Platform permissive =
        node.anotherNode(db.newDataSource(4), b -> b.upgradePolicy(DOWNGRADES_AT_TERM_END));
    closing.add(permissive);
    return permissive;
  }

  /** What the gateway collected from a user on a node, in order. */
  private static List<Long> collected(Platform on, String user) {
    return on.gateway.charges().stream()
        .filter(c -> user.equals(c.accountId()))
        .map(c -> c.amount().minorUnits())
        .toList();
  }

  private static long used(Platform on, ServiceDefinition service, String planSlug) {
    Plan plan = on.catalog.port().service(service.id()).plan(planSlug).orElseThrow();
    return on.quota.availability(List.of(Plan.poolKey(plan.id()))).get(0).used();
  }

  private BillingPeriod currentPeriod(String user, UUID id) {
    return node.subscribe().subscription(user, id).currentPeriod();
  }

  /** The subscription's paid charges (first period and renewals), oldest period first. */
  private List<BillingLine> paidCharges(UUID subscriptionId) {
    return node.billing.referenceLines(subscriptionId.toString()).stream()
        .filter(l -> l.type() == LineType.CHARGE || l.type() == LineType.RENEWAL)
        .filter(l -> l.status() == LineStatus.PAID)
        .sorted(Comparator.comparing(l -> l.period().start()))
        .toList();
  }

  private Plan plan(String slug) {
    return node.catalog.port().service(service.id()).plan(slug).orElseThrow();
  }

  private long planUsed(String planSlug) {
    return node.quota.availability(List.of(Plan.poolKey(plan(planSlug).id()))).stream()
        .mapToLong(PoolAvailability::used)
        .sum();
  }
}
