package io.minispod.quota;

import java.util.List;
import java.util.UUID;

/**
 * The quota operations, either each in a transaction of its own ({@link QuotaManager}) or all
 * inside a caller's transaction ({@link QuotaManager#inTransaction}).
 *
 * <p>Every change is all-or-nothing: a refused or invalid request leaves no trace. Every change to
 * a pool's usage also appends a ledger entry, so usage can be audited and {@linkplain
 * QuotaManager#reconcile reconciled}.
 */
public interface QuotaOperations {

  /**
   * Defines a pool, or confirms an existing definition (defining the same pool with the same
   * capacity twice is harmless).
   *
   * @param poolKey the pool's key, such as {@code plan:4f1c…} or {@code cluster:cpu-millicores}
   * @param capacity how much the pool holds, at least 0
   * @return the pool's live figures
   * @throws io.minispod.ValidationException if the key is blank or the capacity negative
   * @throws QuotaConflictException if the pool exists with another capacity
   */
  PoolAvailability definePool(String poolKey, long capacity);

  /**
   * Changes a pool's capacity.
   *
   * @param poolKey the pool's key
   * @param capacity the new capacity, at least what is in use
   * @return the pool's live figures
   * @throws io.minispod.ValidationException if the key is blank or the capacity negative
   * @throws UnknownPoolException if there is no such pool
   * @throws QuotaConflictException naming used and requested figures if the capacity is below what
   *     is in use
   */
  PoolAvailability setCapacity(String poolKey, long capacity);

  /**
   * Reads pools' figures live from the database.
   *
   * @param poolKeys the pools, at least one
   * @return their figures, in the order asked
   * @throws io.minispod.ValidationException if no key is given or a key is blank
   * @throws UnknownPoolException for the first key that names no pool
   */
  List<PoolAvailability> availability(List<String> poolKeys);

  /**
   * Takes capacity from every pool of the request, or from none.
   *
   * @param request what to take; its idempotency key makes retries safe
   * @return the allocation, or the one made the first time this key was used with this request
   * @throws QuotaExceededException naming the first pool that is short
   * @throws UnknownPoolException if the request names a pool that was never defined
   * @throws QuotaConflictException if the idempotency key was used for a different request
   */
  Allocation allocate(AllocationRequest request);

  /**
   * Turns a pending hold into a lasting allocation. Confirming twice is harmless.
   *
   * @param allocationId the hold
   * @return the confirmed allocation
   * @throws UnknownAllocationException if there is no such allocation
   * @throws QuotaConflictException if it expired or was released
   */
  Allocation confirm(UUID allocationId);

  /**
   * Gives an allocation's capacity back. Releasing twice, or releasing an expired hold, changes
   * nothing and returns the allocation as it is.
   *
   * @param allocationId the allocation
   * @return the allocation, now {@link AllocationStatus#RELEASED} (or as it already was)
   * @throws UnknownAllocationException if there is no such allocation
   */
  Allocation release(UUID allocationId);

  /**
   * Replaces what a live allocation holds, atomically: the old items are given back and the new
   * ones taken in one step, so a plan upgrade never holds both nor neither. If the new items do not
   * fit, nothing changes. Swapping to the items already held changes nothing.
   *
   * @param allocationId the allocation
   * @param newItems what it should hold from now on, at most one item per pool
   * @return the allocation with its new items
   * @throws UnknownAllocationException if there is no such allocation
   * @throws QuotaConflictException if it is no longer live
   * @throws QuotaExceededException naming the first pool that cannot grant the increase
   * @throws UnknownPoolException if a new item names a pool that was never defined
   */
  Allocation swap(UUID allocationId, List<QuotaItem> newItems);

  /**
   * Reads one allocation.
   *
   * @param allocationId its id
   * @return the allocation as stored
   * @throws UnknownAllocationException if there is no such allocation
   */
  Allocation allocation(UUID allocationId);
}
