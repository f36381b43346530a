package io.minispod.quota;

import io.minispod.FieldErrors;
import io.minispod.ValidationException;
import io.minispod.quota.QuotaStore.TransactionOwner;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;

/** The quota operations on one transaction's context: they validate, then work in it. */
final class TransactionalQuotaOperations implements QuotaOperations {

  private final QuotaStore store;
  private final DSLContext tx;

  TransactionalQuotaOperations(QuotaStore store, DSLContext tx) {
    this.store = store;
    this.tx = Objects.requireNonNull(tx, "transaction");
  }

  @Override
  public PoolAvailability definePool(String poolKey, long capacity) {
    checkPool(poolKey, capacity);
    return store.definePool(tx, poolKey, capacity);
  }

  @Override
  public PoolAvailability setCapacity(String poolKey, long capacity) {
    checkPool(poolKey, capacity);
    return store.setCapacity(tx, poolKey, capacity);
  }

  @Override
  public List<PoolAvailability> availability(List<String> poolKeys) {
    FieldErrors errors = new FieldErrors();
    if (errors.require(
        poolKeys != null && !poolKeys.isEmpty(), "poolKeys", "must name at least one pool")) {
      poolKeys.forEach(key -> PoolKeys.check(errors, "poolKeys", key));
    }
    errors.throwIfAny();
    return store.availability(tx, poolKeys);
  }

  @Override
  public Allocation allocate(AllocationRequest request) {
    Objects.requireNonNull(request, "request");
    return store
        .allocateAll(tx, List.of(request), TransactionOwner.CALLER)
        .get(0)
        .allocationOrThrow();
  }

  @Override
  public Allocation confirm(UUID allocationId) {
    return store.confirm(tx, checkId(allocationId));
  }

  @Override
  public Allocation release(UUID allocationId) {
    return store.release(tx, checkId(allocationId));
  }

  @Override
  public Allocation swap(UUID allocationId, List<QuotaItem> newItems) {
    checkId(allocationId);
    FieldErrors errors = new FieldErrors();
    if (errors.require(
        newItems != null && !newItems.isEmpty(), "newItems", "must name at least one pool")) {
      Set<String> pools = new HashSet<>();
      errors.require(
          newItems.stream().allMatch(item -> item != null && pools.add(item.poolKey())),
          "newItems",
          "must name each pool at most once and contain no null");
    }
    errors.throwIfAny();
    return store.swap(tx, allocationId, List.copyOf(newItems));
  }

  @Override
  public Allocation allocation(UUID allocationId) {
    return store.allocation(tx, checkId(allocationId));
  }

  private static void checkPool(String poolKey, long capacity) {
    FieldErrors errors = new FieldErrors();
    PoolKeys.check(errors, "poolKey", poolKey);
    errors.require(capacity >= 0, "capacity", "must be at least 0, was " + capacity);
    errors.throwIfAny();
  }

  private static UUID checkId(UUID allocationId) {
    if (allocationId == null) {
      throw ValidationException.of("allocationId", "must not be null");
    }
    return allocationId;
  }
}
