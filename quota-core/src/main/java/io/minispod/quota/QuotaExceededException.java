package io.minispod.quota;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;

/**
 * A request did not fit: it names the first pool that is short, with what was requested, what is
 * available and the pool's total. Nothing was allocated.
 */
public final class QuotaExceededException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  private final String poolKey;
  private final long requested;
  private final long available;
  private final long total;

  QuotaExceededException(String poolKey, long requested, long available, long total) {
    super(
        ErrorCode.QUOTA_EXCEEDED,
        "Pool %s cannot grant %d: %d of %d available"
            .formatted(poolKey, requested, available, total),
        Map.of(
            "poolKey", poolKey,
            "requested", requested,
            "available", available,
            "total", total));
    this.poolKey = poolKey;
    this.requested = requested;
    this.available = available;
    this.total = total;
  }

  /**
   * The first pool of the request that was short.
   *
   * @return its key
   */
  public String poolKey() {
    return poolKey;
  }

  /**
   * What the request asked of that pool.
   *
   * @return the amount requested
   */
  public long requested() {
    return requested;
  }

  /**
   * What the pool had left.
   *
   * @return the available amount when the request was refused
   */
  public long available() {
    return available;
  }

  /**
   * The pool's capacity.
   *
   * @return the total
   */
  public long total() {
    return total;
  }
}
