package io.minispod.subscription.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.ResourceUsage;
import io.minispod.subscription.internal.UsageRule.Streaks;
import org.junit.jupiter.api.Test;

final class UsageRuleTest {

  private static final Resources LIMITS = new Resources(1000, 1000, 10);
  private static final Streaks NONE = new Streaks(0, 0, 0);

  private final UsageRule rule = new UsageRule(0.85, 3);

  @Test
  void next_countsEachResourceAboveTheLineAndRestartsThoseBelow() {
    Streaks streaks = rule.next(new Streaks(2, 5, 1), new ResourceUsage(900, 800, 9.0), LIMITS);

    assertThat(streaks).isEqualTo(new Streaks(3, 0, 2));
  }

  @Test
  void next_exactlyAtTheLine_isNotHigh() {
    assertThat(rule.next(new Streaks(2, 2, 2), new ResourceUsage(850, 850, 8.5), LIMITS))
        .isEqualTo(NONE);
    assertThat(rule.isHigh(new ResourceUsage(850, 850, 8.5), LIMITS)).isFalse();
  }

  @Test
  void isHigh_anyResourceAboveTheLine_andNeverWithoutUsage() {
    assertThat(rule.isHigh(new ResourceUsage(0, 0, 8.6), LIMITS)).isTrue();
    assertThat(rule.isHigh(new ResourceUsage(851, 0, 0), LIMITS)).isTrue();
    assertThat(rule.isHigh(null, LIMITS)).isFalse();
  }

  @Test
  void reason_belowTheThreshold_isEmpty() {
    assertThat(rule.reason(new Streaks(2, 2, 2))).isEmpty();
  }

  @Test
  void reason_namesExactlyTheResourcesHighForTheThreshold() {
    assertThat(rule.reason(new Streaks(0, 3, 2)))
        .contains("memory above 85% of the plan's limit for 3 checks");
    assertThat(rule.reason(new Streaks(4, 0, 3)))
        .contains("CPU and storage above 85% of the plan's limits for 3 checks");
    assertThat(rule.reason(new Streaks(3, 3, 3)))
        .contains("CPU, memory and storage above 85% of the plan's limits for 3 checks");
  }

  @Test
  void reason_fractionalRatioAndASingleCheck_readWell() {
    assertThat(new UsageRule(0.875, 1).reason(new Streaks(1, 0, 0)))
        .contains("CPU above 87.5% of the plan's limit for 1 check");
  }

  @Test
  void constructor_refusesRatiosAndThresholdsThatCannotWork() {
    assertThatThrownBy(() -> new UsageRule(0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("above 0");
    assertThatThrownBy(() -> new UsageRule(Double.NaN, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new UsageRule(0.9, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
