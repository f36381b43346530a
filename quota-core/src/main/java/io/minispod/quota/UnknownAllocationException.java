package io.minispod.quota;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;
import java.util.UUID;

/** A request named an allocation that does not exist. Nothing was changed. */
public final class UnknownAllocationException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  UnknownAllocationException(UUID allocationId) {
    super(
        ErrorCode.NOT_FOUND,
        "No allocation " + allocationId,
        Map.of("allocationId", allocationId.toString()));
  }
}
