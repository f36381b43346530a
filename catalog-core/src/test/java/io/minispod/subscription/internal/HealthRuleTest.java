package io.minispod.subscription.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.subscription.InstanceStatus;
import org.junit.jupiter.api.Test;

final class HealthRuleTest {

  private final HealthRule rule = new HealthRule(3);

  @Test
  void nextStreak_sameResult_growsTheStreak() {
    assertThat(rule.nextStreak(0, true)).isEqualTo(1);
    assertThat(rule.nextStreak(2, true)).isEqualTo(3);
    assertThat(rule.nextStreak(0, false)).isEqualTo(-1);
    assertThat(rule.nextStreak(-2, false)).isEqualTo(-3);
  }

  @Test
  void nextStreak_otherResult_startsANewStreak() {
    assertThat(rule.nextStreak(5, false)).isEqualTo(-1);
    assertThat(rule.nextStreak(-5, true)).isEqualTo(1);
  }

  @Test
  void transition_runningAfterThresholdFailures_isDegraded() {
    assertThat(rule.transition(InstanceStatus.RUNNING, -2)).isEmpty();
    assertThat(rule.transition(InstanceStatus.RUNNING, -3)).contains(InstanceStatus.DEGRADED);
    assertThat(rule.transition(InstanceStatus.RUNNING, -7)).contains(InstanceStatus.DEGRADED);
  }

  @Test
  void transition_degradedAfterThresholdGoodChecks_isRunningAgain() {
    assertThat(rule.transition(InstanceStatus.DEGRADED, 2)).isEmpty();
    assertThat(rule.transition(InstanceStatus.DEGRADED, 3)).contains(InstanceStatus.RUNNING);
  }

  @Test
  void transition_streakThatConfirmsTheStatus_movesNothing() {
    assertThat(rule.transition(InstanceStatus.RUNNING, 10)).isEmpty();
    assertThat(rule.transition(InstanceStatus.DEGRADED, -10)).isEmpty();
  }

  @Test
  void transition_otherStatuses_neverMove() {
    for (InstanceStatus status :
        new InstanceStatus[] {
          InstanceStatus.PROVISIONING,
          InstanceStatus.DEPROVISIONING,
          InstanceStatus.DELETED,
          InstanceStatus.FAILED
        }) {
      assertThat(rule.transition(status, -10)).isEmpty();
      assertThat(rule.transition(status, 10)).isEmpty();
    }
  }

  @Test
  void thresholdOne_firstResultOfTheOtherKind_moves() {
    HealthRule eager = new HealthRule(1);
    int streak = eager.nextStreak(4, false);
    assertThat(eager.transition(InstanceStatus.RUNNING, streak)).contains(InstanceStatus.DEGRADED);
  }

  @Test
  void threshold_belowOne_isRefused() {
    assertThatThrownBy(() -> new HealthRule(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
