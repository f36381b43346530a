package io.minispod.subscription.internal;

import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.ResourceUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When usage earns an upgrade recommendation: a resource used above {@code ratio} of the plan's
 * limit for {@code threshold} checks in a row. The streaks count those checks per resource (a check
 * below the line starts the resource's streak again), so the recommendation names exactly the
 * resources that were high that long, and goes when none is. A pure function of what was stored and
 * what was measured.
 *
 * @param ratio the share of a limit above which usage is high, above 0
 * @param threshold checks in a row that earn a recommendation, at least 1
 */
record UsageRule(double ratio, int threshold) {

  /**
   * Checks in a row with usage above the line, per resource.
   *
   * @param cpu for CPU
   * @param memory for memory
   * @param storage for storage
   */
  record Streaks(int cpu, int memory, int storage) {}

  UsageRule {
    if (!(ratio > 0)) {
      throw new IllegalArgumentException("usage ratio must be above 0, was " + ratio);
    }
    if (threshold < 1) {
      throw new IllegalArgumentException("usage threshold must be at least 1, was " + threshold);
    }
  }

  /** Whether any resource is used above the line. */
  boolean isHigh(ResourceUsage usage, Resources limits) {
    return usage != null
        && (above(usage.cpuMillicores(), limits.cpuMillicores())
            || above(usage.memoryMiB(), limits.memoryMiB())
            || above(usage.storageGiB(), limits.storageGiB()));
  }

  /** The streaks after one more measured check. */
  Streaks next(Streaks previous, ResourceUsage usage, Resources limits) {
    return new Streaks(
        above(usage.cpuMillicores(), limits.cpuMillicores()) ? previous.cpu() + 1 : 0,
        above(usage.memoryMiB(), limits.memoryMiB()) ? previous.memory() + 1 : 0,
        above(usage.storageGiB(), limits.storageGiB()) ? previous.storage() + 1 : 0);
  }

  /**
   * Why the streaks earn a recommendation, such as {@code memory above 85% of the plan's limit for
   * 3 checks}; empty when no resource was high for {@code threshold} checks.
   */
  Optional<String> reason(Streaks streaks) {
    List<String> high = new ArrayList<>();
    if (streaks.cpu() >= threshold) {
      high.add("CPU");
    }
    if (streaks.memory() >= threshold) {
      high.add("memory");
    }
    if (streaks.storage() >= threshold) {
      high.add("storage");
    }
    if (high.isEmpty()) {
      return Optional.empty();
    }
    String resources =
        high.size() == 1
            ? high.get(0)
            : String.join(", ", high.subList(0, high.size() - 1))
                + " and "
                + high.get(high.size() - 1);
    return Optional.of(
        "%s above %s of the plan's %s for %d %s"
            .formatted(
                resources,
                percent(),
                high.size() == 1 ? "limit" : "limits",
                threshold,
                threshold == 1 ? "check" : "checks"));
  }

  private boolean above(double used, int limit) {
    return used > ratio * limit;
  }

  private String percent() {
    return BigDecimal.valueOf(ratio * 100)
            .setScale(1, RoundingMode.HALF_UP)
            .stripTrailingZeros()
            .toPlainString()
        + "%";
  }
}
