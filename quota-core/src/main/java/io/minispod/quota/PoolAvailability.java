package io.minispod.quota;

/**
 * A pool's figures as read live from the database.
 *
 * @param poolKey the pool's key
 * @param total its capacity
 * @param used what live allocations (pending holds included) take from it
 */
public record PoolAvailability(String poolKey, long total, long used) {

  /**
   * What can still be allocated.
   *
   * @return {@code total - used}
   */
  public long available() {
    return total - used;
  }
}
