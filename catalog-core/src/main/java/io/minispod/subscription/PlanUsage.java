package io.minispod.subscription;

/**
 * How much of its plan's resources the plan's instances use, from the health monitor's samples (one
 * per check that measured an instance's usage, filed under the plan the instance was on).
 *
 * @param serviceSlug the service
 * @param planSlug the plan
 * @param samples how many samples the figures are made of
 * @param cpu CPU used over the CPU limit
 * @param memory memory used over the memory limit
 * @param storage storage used over the storage limit
 */
public record PlanUsage(
    String serviceSlug,
    String planSlug,
    long samples,
    UsageShare cpu,
    UsageShare memory,
    UsageShare storage) {

  /**
   * A resource's usage as a share of its limit (1.0 is the whole limit).
   *
   * @param mean the mean over the samples
   * @param p95 the 95th percentile (continuous) over the samples
   */
  public record UsageShare(double mean, double p95) {}
}
