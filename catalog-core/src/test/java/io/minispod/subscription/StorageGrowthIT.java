package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.billing.Price;
import io.minispod.catalog.Plan;
import io.minispod.catalog.PlanDetails;
import io.minispod.catalog.PlanDraft;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.ProvisionerCall.Operation;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a provisioner that cannot grow storage ({@code canGrowStorage() == false}), an upgrade to a
 * plan with more storage is refused before anything is held or charged, with a reason a user can
 * read, and upgrade options leave such plans out; a plan with the same storage stays an upgrade.
 */
final class StorageGrowthIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");
  private Platform platform;
  private String user;
  private Subscription basic;

  @BeforeEach
  void subscribeToBasicOnFixedStorage() {
    platform =
        Platform.start(
            db.dataSource(),
            clock,
            provisioner ->
                new ForwardingProvisioner(provisioner) {
                  @Override
                  public boolean canGrowStorage() {
                    return false;
                  }
                },
            UnaryOperator.identity());
    // basic 5 GiB, pro 10 GiB, business 15 GiB; "wider" has more CPU and memory, basic's storage.
    ServiceDefinition service = platform.service(5, 5, 1);
    platform
        .catalog
        .admin()
        .createPlan(
            service.id(),
            new PlanDraft(
                "wider",
                "Wider",
                4,
                Price.monthly(500_000, Platform.IDR),
                new Resources(2000, 2048, 5),
                5,
                Map.of()));
    user = "user-" + UUID.randomUUID();
    basic = platform.subscribe().subscribe(user, service.slug(), "basic", "first");
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  @Test
  void upgrade_toMoreStorage_isRefusedBeforeAnythingIsHeldOrCharged() {
    assertThatThrownBy(
            () -> platform.subscriptions.upgrades().upgrade(user, basic.id(), "pro", "up-1"))
        .isInstanceOfSatisfying(
            InvalidPlanException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PLAN);
              assertThat(e.reason()).isEqualTo(InvalidPlanException.STORAGE_CANNOT_GROW);
              assertThat(e.details()).containsEntry("reason", "STORAGE_CANNOT_GROW");
            });

    assertThat(platform.gateway.charges()).hasSize(1);
    assertThat(used("pro")).isZero();
    assertThat(platform.provisioner.count(Operation.RESIZE)).isZero();
    assertThat(platform.subscribe().subscription(user, basic.id()).plan().slug())
        .isEqualTo("basic");
  }

  @Test
  void options_onFixedStorage_leaveOutPlansWithMoreStorage() {
    List<UpgradeOption> options = platform.subscriptions.upgrades().options(user, basic.id());

    assertThat(options).extracting(o -> o.plan().slug()).containsExactly("wider");
  }

  @Test
  void upgrade_toTheSameStorage_goesAhead() {
    Subscription wider =
        platform.subscriptions.upgrades().upgrade(user, basic.id(), "wider", "up-1");

    assertThat(wider.plan().slug()).isEqualTo("wider");
    assertThat(platform.provisioner.count(Operation.RESIZE)).isEqualTo(1);
  }

  private long used(String planSlug) {
    Plan plan =
        platform.catalog.admin().listPlans(basic.plan().serviceId()).stream()
            .map(PlanDetails::plan)
            .filter(p -> p.slug().equals(planSlug))
            .findFirst()
            .orElseThrow();
    return platform.quota.availability(List.of(Plan.poolKey(plan.id()))).get(0).used();
  }
}
