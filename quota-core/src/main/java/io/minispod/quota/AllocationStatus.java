package io.minispod.quota;

/** Where an allocation is in its life. */
public enum AllocationStatus {
  /** Held until confirmed, released, or its expiry passes; counts as used meanwhile. */
  PENDING,
  /** Taken for good until released. */
  CONFIRMED,
  /** Given back by {@link QuotaOperations#release}. */
  RELEASED,
  /** A pending hold that expired and was reclaimed. */
  EXPIRED;

  /**
   * Whether the allocation still counts against its pools.
   *
   * @return {@code true} for {@link #PENDING} and {@link #CONFIRMED}
   */
  public boolean isLive() {
    return this == PENDING || this == CONFIRMED;
  }
}
