package io.minispod.subscription.internal;

import io.minispod.subscription.InstanceStatus;
import java.util.Optional;

/**
 * When an instance changes between running and degraded: after {@code threshold} results of the
 * other kind in a row. The streak counts them: positive for good checks in a row, negative for
 * failed ones. A pure function of what was stored and what was seen.
 *
 * @param threshold results in a row that move an instance, at least 1
 */
record HealthRule(int threshold) {

  HealthRule {
    if (threshold < 1) {
      throw new IllegalArgumentException("health threshold must be at least 1, was " + threshold);
    }
  }

  /** The streak after one more check: a result of the other kind starts a new one. */
  int nextStreak(int previous, boolean healthy) {
    return healthy ? Math.max(previous, 0) + 1 : Math.min(previous, 0) - 1;
  }

  /** Where an instance in a status moves with a streak, if anywhere. */
  Optional<InstanceStatus> transition(InstanceStatus status, int streak) {
    if (status == InstanceStatus.RUNNING && streak <= -threshold) {
      return Optional.of(InstanceStatus.DEGRADED);
    }
    if (status == InstanceStatus.DEGRADED && streak >= threshold) {
      return Optional.of(InstanceStatus.RUNNING);
    }
    return Optional.empty();
  }
}
