package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.billing.Price;
import io.minispod.catalog.Plan;
import io.minispod.catalog.template.Resources;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class UpgradeOnlyPolicyTest {

  private final UpgradePolicy policy = new UpgradeOnlyPolicy();
  private final UUID service = UUID.randomUUID();

  private Plan plan(UUID serviceId, int tier, boolean active) {
    return new Plan(
        UUID.randomUUID(),
        serviceId,
        "tier-" + tier,
        "Tier " + tier,
        tier,
        Price.monthly(100_000L * tier, "IDR"),
        new Resources(500, 512, 5),
        Map.of(),
        active,
        Instant.EPOCH,
        Instant.EPOCH);
  }

  @Test
  void evaluate_higherActiveTierOfSameService_isAllowed() {
    assertThat(policy.evaluate(plan(service, 1, true), plan(service, 3, true)))
        .isEqualTo(UpgradeDecision.allow());
  }

  @Test
  void evaluate_sameOrLowerTier_isNotAnUpgrade() {
    assertThat(policy.evaluate(plan(service, 2, true), plan(service, 2, true)).reason())
        .isEqualTo(UpgradeDecision.NOT_AN_UPGRADE);
    assertThat(policy.evaluate(plan(service, 2, true), plan(service, 1, true)).allowed()).isFalse();
  }

  @Test
  void evaluate_inactiveOrOtherService_isRefusedWithItsReason() {
    assertThat(policy.evaluate(plan(service, 1, true), plan(service, 2, false)).reason())
        .isEqualTo(UpgradeDecision.INACTIVE_PLAN);
    assertThat(policy.evaluate(plan(service, 1, true), plan(UUID.randomUUID(), 2, true)).reason())
        .isEqualTo(UpgradeDecision.DIFFERENT_SERVICE);
  }

  @Test
  void refuse_withoutReason_isAProgrammingError() {
    assertThatThrownBy(() -> UpgradeDecision.refuse(null)).isInstanceOf(NullPointerException.class);
  }
}
