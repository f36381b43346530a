package io.minispod.quota;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;
import java.util.UUID;

/**
 * A request that contradicts the current state: a capacity below what is in use, an idempotency key
 * reused for a different request, a pool defined twice with different capacities, or a change to an
 * allocation that is no longer live. Nothing was changed.
 */
public final class QuotaConflictException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  private QuotaConflictException(String message, Map<String, ?> details) {
    super(ErrorCode.CONFLICT, message, details);
  }

  static QuotaConflictException capacityBelowUsage(String poolKey, long used, long requested) {
    return new QuotaConflictException(
        "Pool %s has %d in use; capacity %d is below that".formatted(poolKey, used, requested),
        Map.of("poolKey", poolKey, "used", used, "requestedCapacity", requested));
  }

  static QuotaConflictException poolAlreadyDefined(String poolKey, long capacity, long requested) {
    return new QuotaConflictException(
        "Pool %s is already defined with capacity %d, not %d; use setCapacity to change it"
            .formatted(poolKey, capacity, requested),
        Map.of("poolKey", poolKey, "capacity", capacity, "requestedCapacity", requested));
  }

  static QuotaConflictException idempotencyKeyReused(String idempotencyKey) {
    return new QuotaConflictException(
        "Idempotency key %s was already used for a different allocation request"
            .formatted(idempotencyKey),
        Map.of("idempotencyKey", idempotencyKey));
  }

  static QuotaConflictException notLive(UUID allocationId, AllocationStatus status) {
    return new QuotaConflictException(
        "Allocation %s is %s and can no longer be changed".formatted(allocationId, status),
        Map.of("allocationId", allocationId.toString(), "status", status.name()));
  }

  static QuotaConflictException holdExpired(UUID allocationId) {
    return new QuotaConflictException(
        "Allocation %s was a hold that expired before it was confirmed".formatted(allocationId),
        Map.of("allocationId", allocationId.toString(), "status", "EXPIRED"));
  }
}
