package io.minispod.subscription;

/**
 * How full a plan is.
 *
 * @param serviceSlug the service
 * @param planSlug the plan
 * @param planName the plan's name
 * @param total its capacity
 * @param used the subscriptions holding a slot
 */
public record PlanUtilisation(
    String serviceSlug, String planSlug, String planName, long total, long used) {

  /**
   * Free slots.
   *
   * @return {@code total - used}
   */
  public long available() {
    return total - used;
  }

  /**
   * How full, in percent.
   *
   * @return {@code used} as a percentage of {@code total}; 0 for a plan of capacity 0
   */
  public double percent() {
    return total == 0 ? 0 : 100.0 * used / total;
  }
}
