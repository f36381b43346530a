package io.minispod.quota;

/**
 * A line of the utilisation report.
 *
 * @param poolKey the pool's key
 * @param capacity its capacity
 * @param used what live allocations take from it, holds included
 * @param held the part of {@code used} that is pending holds
 */
public record PoolUtilisation(String poolKey, long capacity, long used, long held) {

  /**
   * What can still be allocated.
   *
   * @return {@code capacity - used}
   */
  public long available() {
    return capacity - used;
  }

  /**
   * How full the pool is.
   *
   * @return {@code used} as a percentage of {@code capacity}; 0 for a pool of capacity 0
   */
  public double percentUsed() {
    return capacity == 0 ? 0 : 100.0 * used / capacity;
  }
}
