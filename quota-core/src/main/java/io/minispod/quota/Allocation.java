package io.minispod.quota;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Capacity taken from one or more pools.
 *
 * @param id the allocation's id
 * @param owner who it is for
 * @param idempotencyKey the key it was requested with
 * @param status where it is in its life
 * @param items what it holds (or held, once released)
 * @param expiresAt when a {@linkplain AllocationStatus#PENDING pending} hold expires; {@code null}
 *     otherwise
 * @param createdAt when it was granted
 */
public record Allocation(
    UUID id,
    String owner,
    String idempotencyKey,
    AllocationStatus status,
    List<QuotaItem> items,
    Instant expiresAt,
    Instant createdAt) {

  /** Copies the items. */
  public Allocation {
    items = List.copyOf(items);
  }

  /**
   * The amount this allocation takes from a pool.
   *
   * @param poolKey the pool's key
   * @return the amount, or 0 when the allocation does not touch that pool
   */
  public long amountOf(String poolKey) {
    return items.stream()
        .filter(item -> item.poolKey().equals(poolKey))
        .mapToLong(QuotaItem::amount)
        .sum();
  }
}
