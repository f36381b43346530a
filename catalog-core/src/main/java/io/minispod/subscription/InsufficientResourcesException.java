package io.minispod.catalog;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;

/**
 * The user's instance limit or the cluster's CPU, memory or storage would be exceeded. Nothing was
 * held or charged.
 */
public final class InsufficientResourcesException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  InsufficientResourcesException(String resource, long requested, long available, long total) {
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
