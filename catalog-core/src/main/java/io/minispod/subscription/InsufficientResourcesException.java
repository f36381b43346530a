package io.minispod.subscription;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;

/**
 * The user's limits (instances, CPU, memory, storage; see {@link UserLimits}) or the cluster's CPU,
 * memory or storage would be exceeded. Nothing was held or charged.
 */
public final class InsufficientResourcesException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  /**
   * A refused resource.
   *
   * @param resource what ran out, as a user reads it
   * @param requested how much was asked for
   * @param available how much was left
   * @param total the limit
   */
  public InsufficientResourcesException(
      String resource, long requested, long available, long total) {
    super(
        ErrorCode.INSUFFICIENT_RESOURCES,
        "Not enough %s: %d requested, %d of %d available"
            .formatted(resource, requested, available, total),
        Map.of(
            "resource", resource,
            "requested", requested,
            "available", available,
            "total", total));
  }
}
