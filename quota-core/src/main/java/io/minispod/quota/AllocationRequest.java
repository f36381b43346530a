package io.minispod.quota;

import io.minispod.FieldErrors;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A request for capacity from one or more pools, granted all-or-nothing.
 *
 * <p>The idempotency key makes the request safe to retry: the same key with the same request
 * returns the allocation made the first time; the same key with a different request is a {@link
 * QuotaConflictException}.
 *
 * @param owner who the capacity is for (a user, a subscription), for audit and reports
 * @param idempotencyKey unique per intended allocation, chosen by the caller
 * @param items what to take, at most one item per pool
 * @param holdFor {@code null} to take the capacity for good; otherwise take it as a {@linkplain
 *     AllocationStatus#PENDING pending} hold that expires after this long unless {@linkplain
 *     QuotaOperations#confirm confirmed}
 */
public record AllocationRequest(
    String owner, String idempotencyKey, List<QuotaItem> items, Duration holdFor) {

  /**
   * Validates the request and copies its items.
   *
   * @throws io.minispod.ValidationException naming every bad field
   */
  public AllocationRequest {
    FieldErrors errors = new FieldErrors();
    PoolKeys.check(errors, "owner", owner);
    PoolKeys.check(errors, "idempotencyKey", idempotencyKey);
    if (errors.require(items != null && !items.isEmpty(), "items", "must name at least one pool")) {
      errors.require(items.stream().noneMatch(Objects::isNull), "items", "must not contain null");
      Set<String> pools = new HashSet<>();
      errors.require(
          items.stream().allMatch(item -> item == null || pools.add(item.poolKey())),
          "items",
          "must name each pool at most once");
    }
    errors.require(
        holdFor == null || (!holdFor.isNegative() && !holdFor.isZero()),
        "holdFor",
        "must be positive when given, was " + holdFor);
    errors.throwIfAny();
    items = List.copyOf(items);
  }

  /**
   * A request that takes the capacity for good.
   *
   * @param owner who the capacity is for
   * @param idempotencyKey unique per intended allocation
   * @param items what to take
   * @return the request
   */
  public static AllocationRequest of(String owner, String idempotencyKey, QuotaItem... items) {
    return new AllocationRequest(owner, idempotencyKey, List.of(items), null);
  }

  /**
   * A request that holds the capacity until it is confirmed or released, or until {@code holdFor}
   * has passed, when it is reclaimed.
   *
   * @param owner who the capacity is for
   * @param idempotencyKey unique per intended allocation
   * @param holdFor how long the hold lasts unconfirmed
   * @param items what to take
   * @return the request
   */
  public static AllocationRequest hold(
      String owner, String idempotencyKey, Duration holdFor, QuotaItem... items) {
    return new AllocationRequest(owner, idempotencyKey, List.of(items), holdFor);
  }
}
