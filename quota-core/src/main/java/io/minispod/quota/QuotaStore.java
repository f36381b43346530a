package io.minispod.quota;

import static io.minispod.quota.internal.db.Tables.ALLOCATION;
import static io.minispod.quota.internal.db.Tables.ALLOCATION_ITEM;
import static io.minispod.quota.internal.db.Tables.LEDGER_ENTRY;
import static io.minispod.quota.internal.db.Tables.POOL;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.commit;
import static org.jooq.impl.DSL.multiset;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.val;

import io.minispod.MinisPodException;
import io.minispod.Sha256;
import io.minispod.quota.internal.db.tables.records.AllocationRecord;
import io.minispod.quota.internal.db.tables.records.PoolRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Records;
import org.jooq.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every read and write of the quota schema. Each method runs on the context it is given, inside the
 * transaction that context belongs to (which only {@link #allocateAll} may end, when told to), and
 * takes pool row locks in key order so that no two transactions deadlock on pools.
 */
final class QuotaStore {

  private static final Logger log = LoggerFactory.getLogger(QuotaStore.class);

  private static final List<AllocationStatus> LIVE =
      List.of(AllocationStatus.PENDING, AllocationStatus.CONFIRMED);
  private static final int RECLAIM_BATCH = 500;

  private final Clock clock;
  private final int lockWaitSeconds;

  /**
   * @param clock dates allocations and ledger entries and decides expiries
   * @param lockWaitLimit how long a transaction of the manager's own waits for pool rows locked
   *     elsewhere (rounded up to whole seconds, JDBC's unit) before its lock statement is cancelled
   */
  QuotaStore(Clock clock, Duration lockWaitLimit) {
    this.clock = clock;
    long seconds = lockWaitLimit.toSeconds() + (lockWaitLimit.toNanosPart() > 0 ? 1 : 0);
    this.lockWaitSeconds = (int) Math.min(Integer.MAX_VALUE, Math.max(1, seconds));
  }

  // ---------------------------------------------------------------- pools

  PoolAvailability definePool(DSLContext tx, String poolKey, long capacity) {
    OffsetDateTime now = now();
    PoolRecord inserted =
        tx.insertInto(POOL)
            .set(POOL.POOL_KEY, poolKey)
            .set(POOL.CAPACITY, capacity)
            .set(POOL.USED, 0L)
            .set(POOL.CREATED_AT, now)
            .set(POOL.UPDATED_AT, now)
            .onConflictDoNothing()
            .returning()
            .fetchOne();
    if (inserted != null) {
      log.info("Pool {} defined with capacity {}", poolKey, capacity);
      return availabilityOf(inserted);
    }
    PoolRecord pool = tx.selectFrom(POOL).where(POOL.POOL_KEY.eq(poolKey)).fetchSingle();
    if (pool.getCapacity() != capacity) {
      throw QuotaConflictException.poolAlreadyDefined(poolKey, pool.getCapacity(), capacity);
    }
    return availabilityOf(pool);
  }

  PoolAvailability setCapacity(DSLContext tx, String poolKey, long capacity) {
    PoolRecord pool =
        tx.selectFrom(POOL).where(POOL.POOL_KEY.eq(poolKey)).forNoKeyUpdate().fetchOne();
    if (pool == null) {
      throw new UnknownPoolException(poolKey);
    }
    if (capacity < pool.getUsed()) {
      throw QuotaConflictException.capacityBelowUsage(poolKey, pool.getUsed(), capacity);
    }
    tx.update(POOL)
        .set(POOL.CAPACITY, capacity)
        .set(POOL.UPDATED_AT, now())
        .where(POOL.POOL_KEY.eq(poolKey))
        .execute();
    log.info("Pool {} capacity changed from {} to {}", poolKey, pool.getCapacity(), capacity);
    return new PoolAvailability(poolKey, capacity, pool.getUsed());
  }

  List<PoolAvailability> availability(DSLContext tx, List<String> poolKeys) {
    Map<String, PoolAvailability> found =
        tx.selectFrom(POOL).where(POOL.POOL_KEY.in(poolKeys)).fetch().stream()
            .map(QuotaStore::availabilityOf)
            .collect(Collectors.toMap(PoolAvailability::poolKey, pool -> pool));
    List<PoolAvailability> inOrder = new ArrayList<>(poolKeys.size());
    for (String key : poolKeys) {
      PoolAvailability pool = found.get(key);
      if (pool == null) {
        throw new UnknownPoolException(key);
      }
      inOrder.add(pool);
    }
    return inOrder;
  }

  // ---------------------------------------------------------------- allocation

  /**
   * Grants or refuses each request, in order, in the given transaction. Requests are judged against
   * the pools as locked at the start plus what the earlier requests of the batch took, so the
   * outcome is the same as running them one after another.
   *
   * @param owner whose transaction it is, which decides how long it waits for pool rows and whether
   *     it is committed with the writes
   */
  List<Outcome> allocateAll(
      DSLContext tx, List<AllocationRequest> requests, TransactionOwner owner) {
    Instant now = clock.instant();
    Map<String, PoolRecord> pools =
        owner == TransactionOwner.MANAGER
            ? lockPools(tx, poolKeysOf(requests), lockWaitSeconds)
            : lockPools(tx, poolKeysOf(requests));
    Map<String, StoredAllocation> earlier =
        findByIdempotencyKeys(
            tx, requests.stream().map(AllocationRequest::idempotencyKey).toList());

    Map<String, Long> taken = new TreeMap<>();
    Map<String, Integer> firstWithKey = new HashMap<>();
    List<Outcome> outcomes = new ArrayList<>(requests.size());
    List<StoredAllocation> granted = new ArrayList<>();
    for (AllocationRequest request : requests) {
      String fingerprint = fingerprint(request);
      StoredAllocation stored = earlier.get(request.idempotencyKey());
      Integer sameKey = firstWithKey.putIfAbsent(request.idempotencyKey(), outcomes.size());
      Outcome outcome;
      if (stored != null) {
        outcome =
            replay(
                request, fingerprint, stored.fingerprint(), Outcome.granted(stored.allocation()));
      } else if (sameKey != null) {
        String firstFingerprint = fingerprint(requests.get(sameKey));
        outcome = replay(request, fingerprint, firstFingerprint, outcomes.get(sameKey));
      } else {
        MinisPodException refusal = refusal(request, pools, taken);
        if (refusal == null) {
          Allocation allocation = newAllocation(request, now);
          granted.add(new StoredAllocation(allocation, fingerprint));
          request.items().forEach(item -> taken.merge(item.poolKey(), item.amount(), Long::sum));
          outcome = Outcome.granted(allocation);
        } else {
          outcome = Outcome.refused(refusal);
        }
      }
      outcomes.add(outcome);
    }
    if (!granted.isEmpty()) {
      writeGranted(tx, granted, taken, now, owner);
    }
    return outcomes;
  }

  /** Whose transaction {@link #allocateAll} works in. */
  enum TransactionOwner {
    /**
     * The caller's: left open, to commit or roll back with the caller's work, and waiting for pool
     * rows as long as the caller's transaction lets it.
     */
    CALLER,
    /**
     * The manager's own, begun for these allocations alone. Its wait for pool rows locked elsewhere
     * is cancelled after the allocation wait limit, so no allocation waits without bound, and its
     * {@code COMMIT} is the last statement of the writes' batch, saving the round trip of a commit
     * of its own (jOOQ's commit then finds nothing left to do). Nothing may follow the writes; if
     * any write fails, the statements after it, the {@code COMMIT} included, are not run.
     */
    MANAGER
  }

  private static Outcome replay(
      AllocationRequest request, String fingerprint, String earlierFingerprint, Outcome earlier) {
    return fingerprint.equals(earlierFingerprint)
        ? earlier
        : Outcome.refused(QuotaConflictException.idempotencyKeyReused(request.idempotencyKey()));
  }

  private static MinisPodException refusal(
      AllocationRequest request, Map<String, PoolRecord> pools, Map<String, Long> taken) {
    for (QuotaItem item : request.items()) {
      PoolRecord pool = pools.get(item.poolKey());
      if (pool == null) {
        return new UnknownPoolException(item.poolKey());
      }
      long available = pool.getCapacity() - pool.getUsed() - taken.getOrDefault(item.poolKey(), 0L);
      if (item.amount() > available) {
        return new QuotaExceededException(
            item.poolKey(), item.amount(), available, pool.getCapacity());
      }
    }
    return null;
  }

  private static Allocation newAllocation(AllocationRequest request, Instant now) {
    boolean held = request.holdFor() != null;
    return new Allocation(
        UUID.randomUUID(),
        request.owner(),
        request.idempotencyKey(),
        held ? AllocationStatus.PENDING : AllocationStatus.CONFIRMED,
        request.items(),
        held ? now.plus(request.holdFor()) : null,
        now);
  }

  /** Writes granted allocations, their items, ledger entries and pool counters in one batch. */
  private void writeGranted(
      DSLContext tx,
      List<StoredAllocation> granted,
      Map<String, Long> taken,
      Instant now,
      TransactionOwner owner) {
    OffsetDateTime at = at(now);
    var allocations =
        tx.insertInto(
            ALLOCATION,
            ALLOCATION.ALLOCATION_ID,
            ALLOCATION.OWNER,
            ALLOCATION.IDEMPOTENCY_KEY,
            ALLOCATION.REQUEST_FINGERPRINT,
            ALLOCATION.STATUS,
            ALLOCATION.EXPIRES_AT,
            ALLOCATION.CREATED_AT,
            ALLOCATION.UPDATED_AT);
    var items =
        tx.insertInto(
            ALLOCATION_ITEM,
            ALLOCATION_ITEM.ALLOCATION_ID,
            ALLOCATION_ITEM.POOL_KEY,
            ALLOCATION_ITEM.AMOUNT);
    List<LedgerLine> ledger = new ArrayList<>();
    for (StoredAllocation stored : granted) {
      Allocation a = stored.allocation();
      allocations =
          allocations.values(
              a.id(),
              a.owner(),
              a.idempotencyKey(),
              stored.fingerprint(),
              a.status(),
              a.expiresAt() == null ? null : at(a.expiresAt()),
              at,
              at);
      for (QuotaItem item : a.items()) {
        items = items.values(a.id(), item.poolKey(), item.amount());
        ledger.add(new LedgerLine(item.poolKey(), a.id(), item.amount(), LedgerReason.ALLOCATE));
      }
    }
    List<Query> writes = new ArrayList<>();
    writes.add((Query) allocations);
    writes.add((Query) items);
    writes.add(ledgerInsert(tx, ledger, at));
    writes.addAll(poolUpdates(tx, taken, at));
    if (owner == TransactionOwner.MANAGER) {
      writes.add(commit());
    }
    tx.batch(writes).execute();
    if (log.isDebugEnabled()) {
      granted.forEach(
          stored ->
              log.debug(
                  "Allocation {} granted to {} (key {}): {}",
                  stored.allocation().id(),
                  stored.allocation().owner(),
                  stored.allocation().idempotencyKey(),
                  stored.allocation().items()));
    }
  }

  // ---------------------------------------------------------------- changes to allocations

  Allocation confirm(DSLContext tx, UUID allocationId) {
    // The usual case, a live hold, in one statement that also returns its items; anything else is
    // told apart under the lock.
    OffsetDateTime now = now();
    Field<List<QuotaItem>> items =
        multiset(
                select(ALLOCATION_ITEM.POOL_KEY, ALLOCATION_ITEM.AMOUNT)
                    .from(ALLOCATION_ITEM)
                    .where(ALLOCATION_ITEM.ALLOCATION_ID.eq(ALLOCATION.ALLOCATION_ID))
                    .orderBy(ALLOCATION_ITEM.POOL_KEY))
            .convertFrom(r -> r.map(Records.mapping(QuotaItem::new)));
    Record confirmed =
        tx.update(ALLOCATION)
            .set(ALLOCATION.STATUS, AllocationStatus.CONFIRMED)
            .setNull(ALLOCATION.EXPIRES_AT)
            .set(ALLOCATION.UPDATED_AT, now)
            .where(ALLOCATION.ALLOCATION_ID.eq(allocationId))
            .and(ALLOCATION.STATUS.eq(AllocationStatus.PENDING))
            .and(ALLOCATION.EXPIRES_AT.gt(now))
            .returningResult(ALLOCATION.asterisk(), items)
            .fetchOne();
    if (confirmed != null) {
      log.debug("Allocation {} confirmed", allocationId);
      return allocationOf(confirmed.into(ALLOCATION), confirmed.get(items));
    }
    StoredAllocation stored = lockAllocation(tx, allocationId);
    Allocation allocation = stored.allocation();
    switch (allocation.status()) {
      case CONFIRMED:
        return allocation;
      case PENDING:
        if (!clock.instant().isBefore(allocation.expiresAt())) {
          throw QuotaConflictException.holdExpired(allocationId);
        }
        tx.update(ALLOCATION)
            .set(ALLOCATION.STATUS, AllocationStatus.CONFIRMED)
            .setNull(ALLOCATION.EXPIRES_AT)
            .set(ALLOCATION.UPDATED_AT, now())
            .where(ALLOCATION.ALLOCATION_ID.eq(allocationId))
            .execute();
        log.debug("Allocation {} confirmed", allocationId);
        return withStatus(allocation, AllocationStatus.CONFIRMED);
      case EXPIRED:
        throw QuotaConflictException.holdExpired(allocationId);
      default:
        throw QuotaConflictException.notLive(allocationId, allocation.status());
    }
  }

  Allocation release(DSLContext tx, UUID allocationId) {
    Allocation allocation = lockAllocation(tx, allocationId).allocation();
    if (!allocation.status().isLive()) {
      return allocation;
    }
    end(tx, List.of(allocation), AllocationStatus.RELEASED, LedgerReason.RELEASE);
    log.debug("Allocation {} of {} released", allocationId, allocation.owner());
    return withStatus(allocation, AllocationStatus.RELEASED);
  }

  Allocation swap(DSLContext tx, UUID allocationId, List<QuotaItem> newItems) {
    Allocation allocation = lockAllocation(tx, allocationId).allocation();
    if (!allocation.status().isLive()) {
      throw QuotaConflictException.notLive(allocationId, allocation.status());
    }
    if (Set.copyOf(allocation.items()).equals(Set.copyOf(newItems))) {
      return allocation;
    }
    Map<String, Long> change = new TreeMap<>();
    allocation.items().forEach(item -> change.merge(item.poolKey(), -item.amount(), Long::sum));
    newItems.forEach(item -> change.merge(item.poolKey(), item.amount(), Long::sum));
    Map<String, PoolRecord> pools = lockPools(tx, change.keySet());
    for (QuotaItem item : newItems) {
      PoolRecord pool = pools.get(item.poolKey());
      if (pool == null) {
        throw new UnknownPoolException(item.poolKey());
      }
      long increase = change.get(item.poolKey());
      long available = pool.getCapacity() - pool.getUsed();
      if (increase > available) {
        throw new QuotaExceededException(
            item.poolKey(),
            item.amount(),
            available + allocation.amountOf(item.poolKey()),
            pool.getCapacity());
      }
    }
    OffsetDateTime at = now();
    List<LedgerLine> ledger = new ArrayList<>();
    allocation
        .items()
        .forEach(
            item ->
                ledger.add(
                    new LedgerLine(
                        item.poolKey(), allocationId, -item.amount(), LedgerReason.SWAP_OUT)));
    newItems.forEach(
        item ->
            ledger.add(
                new LedgerLine(item.poolKey(), allocationId, item.amount(), LedgerReason.SWAP_IN)));
    var items =
        tx.insertInto(
            ALLOCATION_ITEM,
            ALLOCATION_ITEM.ALLOCATION_ID,
            ALLOCATION_ITEM.POOL_KEY,
            ALLOCATION_ITEM.AMOUNT);
    for (QuotaItem item : newItems) {
      items = items.values(allocationId, item.poolKey(), item.amount());
    }
    List<Query> writes = new ArrayList<>();
    writes.add(
        tx.deleteFrom(ALLOCATION_ITEM).where(ALLOCATION_ITEM.ALLOCATION_ID.eq(allocationId)));
    writes.add((Query) items);
    writes.add(ledgerInsert(tx, ledger, at));
    writes.addAll(poolUpdates(tx, change, at));
    writes.add(
        tx.update(ALLOCATION)
            .set(ALLOCATION.UPDATED_AT, at)
            .where(ALLOCATION.ALLOCATION_ID.eq(allocationId)));
    tx.batch(writes).execute();
    log.debug("Allocation {} swapped from {} to {}", allocationId, allocation.items(), newItems);
    return new Allocation(
        allocation.id(),
        allocation.owner(),
        allocation.idempotencyKey(),
        allocation.status(),
        newItems,
        allocation.expiresAt(),
        allocation.createdAt());
  }

  Allocation allocation(DSLContext tx, UUID allocationId) {
    AllocationRecord record =
        tx.selectFrom(ALLOCATION).where(ALLOCATION.ALLOCATION_ID.eq(allocationId)).fetchOne();
    if (record == null) {
      throw new UnknownAllocationException(allocationId);
    }
    return withItems(tx, List.of(record)).get(0).allocation();
  }

  /** Reclaims expired holds that no other transaction is touching; returns how many. */
  int reclaimExpired(DSLContext tx) {
    List<AllocationRecord> expired =
        tx.selectFrom(ALLOCATION)
            .where(ALLOCATION.STATUS.eq(AllocationStatus.PENDING))
            .and(ALLOCATION.EXPIRES_AT.le(now()))
            .orderBy(ALLOCATION.ALLOCATION_ID)
            .limit(RECLAIM_BATCH)
            .forUpdate()
            .skipLocked()
            .fetch();
    if (expired.isEmpty()) {
      return 0;
    }
    List<Allocation> allocations =
        withItems(tx, expired).stream().map(StoredAllocation::allocation).toList();
    end(tx, allocations, AllocationStatus.EXPIRED, LedgerReason.EXPIRE);
    allocations.forEach(
        a ->
            log.info(
                "Hold {} of {} expired at {} and was reclaimed", a.id(), a.owner(), a.expiresAt()));
    return allocations.size();
  }

  /** Ends live allocations: gives their capacity back and marks them with the final status. */
  private void end(
      DSLContext tx, List<Allocation> allocations, AllocationStatus status, LedgerReason reason) {
    OffsetDateTime at = now();
    Map<String, Long> change = new TreeMap<>();
    List<LedgerLine> ledger = new ArrayList<>();
    for (Allocation allocation : allocations) {
      for (QuotaItem item : allocation.items()) {
        change.merge(item.poolKey(), -item.amount(), Long::sum);
        ledger.add(new LedgerLine(item.poolKey(), allocation.id(), -item.amount(), reason));
      }
    }
    List<Query> writes = new ArrayList<>(poolUpdates(tx, change, at));
    writes.add(ledgerInsert(tx, ledger, at));
    writes.add(
        tx.update(ALLOCATION)
            .set(ALLOCATION.STATUS, status)
            .setNull(ALLOCATION.EXPIRES_AT)
            .set(ALLOCATION.UPDATED_AT, at)
            .where(ALLOCATION.ALLOCATION_ID.in(allocations.stream().map(Allocation::id).toList())));
    tx.batch(writes).execute();
  }

  // ---------------------------------------------------------------- reports

  List<PoolUtilisation> utilisation(DSLContext tx) {
    Table<Record2<String, BigDecimal>> held =
        select(ALLOCATION_ITEM.POOL_KEY, sum(ALLOCATION_ITEM.AMOUNT).as("held"))
            .from(ALLOCATION_ITEM)
            .join(ALLOCATION)
            .on(ALLOCATION.ALLOCATION_ID.eq(ALLOCATION_ITEM.ALLOCATION_ID))
            .where(ALLOCATION.STATUS.eq(AllocationStatus.PENDING))
            .groupBy(ALLOCATION_ITEM.POOL_KEY)
            .asTable("held");
    Field<BigDecimal> heldAmount =
        coalesce(held.field("held", BigDecimal.class), val(BigDecimal.ZERO));
    return tx.select(POOL.POOL_KEY, POOL.CAPACITY, POOL.USED, heldAmount)
        .from(POOL)
        .leftJoin(held)
        .on(held.field(ALLOCATION_ITEM.POOL_KEY).eq(POOL.POOL_KEY))
        .orderBy(POOL.POOL_KEY)
        .fetch(
            r ->
                new PoolUtilisation(
                    r.value1(), r.value2(), r.value3(), r.value4().longValueExact()));
  }

  /**
   * Compares each pool's counter with its live allocations and its ledger. One statement, so all
   * three figures come from one snapshot even while allocations go on.
   */
  List<PoolDrift> drifts(DSLContext tx) {
    Table<Record2<String, BigDecimal>> live =
        select(ALLOCATION_ITEM.POOL_KEY, sum(ALLOCATION_ITEM.AMOUNT).as("live"))
            .from(ALLOCATION_ITEM)
            .join(ALLOCATION)
            .on(ALLOCATION.ALLOCATION_ID.eq(ALLOCATION_ITEM.ALLOCATION_ID))
            .where(ALLOCATION.STATUS.in(LIVE))
            .groupBy(ALLOCATION_ITEM.POOL_KEY)
            .asTable("live");
    Table<Record2<String, BigDecimal>> ledger =
        select(LEDGER_ENTRY.POOL_KEY, sum(LEDGER_ENTRY.DELTA).as("ledger"))
            .from(LEDGER_ENTRY)
            .groupBy(LEDGER_ENTRY.POOL_KEY)
            .asTable("ledger");
    Field<BigDecimal> liveAmount =
        coalesce(live.field("live", BigDecimal.class), val(BigDecimal.ZERO));
    Field<BigDecimal> ledgerAmount =
        coalesce(ledger.field("ledger", BigDecimal.class), val(BigDecimal.ZERO));
    return tx
        .select(POOL.POOL_KEY, POOL.USED, liveAmount, ledgerAmount)
        .from(POOL)
        .leftJoin(live)
        .on(live.field(ALLOCATION_ITEM.POOL_KEY).eq(POOL.POOL_KEY))
        .leftJoin(ledger)
        .on(ledger.field(LEDGER_ENTRY.POOL_KEY).eq(POOL.POOL_KEY))
        .orderBy(POOL.POOL_KEY)
        .fetch(
            r ->
                new PoolDrift(
                    r.value1(),
                    r.value2(),
                    r.value3().longValueExact(),
                    r.value4().longValueExact()))
        .stream()
        .filter(d -> d.counter() != d.live() || d.ledger() != d.live())
        .toList();
  }

  int countPools(DSLContext tx) {
    return tx.fetchCount(POOL);
  }

  /** Sets drifting counters to their live figures and squares the ledger with a repair entry. */
  void repair(DSLContext tx, List<PoolDrift> drifts) {
    OffsetDateTime at = now();
    Map<String, PoolRecord> pools =
        lockPools(tx, drifts.stream().map(PoolDrift::poolKey).collect(Collectors.toSet()));
    List<Query> writes = new ArrayList<>();
    List<LedgerLine> ledger = new ArrayList<>();
    for (PoolDrift drift : drifts) {
      if (drift.live() > pools.get(drift.poolKey()).getCapacity()) {
        log.warn(
            "Pool {} cannot be repaired: its live allocations ({}) exceed its capacity ({})",
            drift.poolKey(),
            drift.live(),
            pools.get(drift.poolKey()).getCapacity());
        continue;
      }
      writes.add(
          tx.update(POOL)
              .set(POOL.USED, drift.live())
              .set(POOL.UPDATED_AT, at)
              .where(POOL.POOL_KEY.eq(drift.poolKey())));
      if (drift.ledger() != drift.live()) {
        ledger.add(
            new LedgerLine(
                drift.poolKey(), null, drift.live() - drift.ledger(), LedgerReason.REPAIR));
      }
      log.warn(
          "Pool {} repaired: counter {} and ledger {} set to its live figure {}",
          drift.poolKey(),
          drift.counter(),
          drift.ledger(),
          drift.live());
    }
    if (!ledger.isEmpty()) {
      writes.add(ledgerInsert(tx, ledger, at));
    }
    tx.batch(writes).execute();
  }

  // ---------------------------------------------------------------- helpers

  private static Set<String> poolKeysOf(List<AllocationRequest> requests) {
    Set<String> keys = new TreeSet<>();
    requests.forEach(r -> r.items().forEach(item -> keys.add(item.poolKey())));
    return keys;
  }

  /** Locks the pools that exist among {@code keys}, in key order, and returns them by key. */
  private static Map<String, PoolRecord> lockPools(DSLContext tx, Collection<String> keys) {
    return lockPools(tx, keys, 0);
  }

  /** As {@link #lockPools(DSLContext, Collection)}, cancelled after {@code seconds} (0: never). */
  private static Map<String, PoolRecord> lockPools(
      DSLContext tx, Collection<String> keys, int seconds) {
    Map<String, PoolRecord> pools = new HashMap<>();
    tx.selectFrom(POOL)
        .where(POOL.POOL_KEY.in(keys))
        .orderBy(POOL.POOL_KEY)
        .forNoKeyUpdate()
        .queryTimeout(seconds)
        .fetch()
        .forEach(pool -> pools.put(pool.getPoolKey(), pool));
    return pools;
  }

  private StoredAllocation lockAllocation(DSLContext tx, UUID allocationId) {
    AllocationRecord record =
        tx.selectFrom(ALLOCATION)
            .where(ALLOCATION.ALLOCATION_ID.eq(allocationId))
            .forUpdate()
            .fetchOne();
    if (record == null) {
      throw new UnknownAllocationException(allocationId);
    }
    return withItems(tx, List.of(record)).get(0);
  }

  private static Map<String, StoredAllocation> findByIdempotencyKeys(
      DSLContext tx, List<String> keys) {
    List<AllocationRecord> records =
        tx.selectFrom(ALLOCATION).where(ALLOCATION.IDEMPOTENCY_KEY.in(keys)).fetch();
    if (records.isEmpty()) {
      return Map.of();
    }
    Map<String, StoredAllocation> byKey = new HashMap<>();
    withItems(tx, records).forEach(s -> byKey.put(s.allocation().idempotencyKey(), s));
    return byKey;
  }

  private static List<StoredAllocation> withItems(DSLContext tx, List<AllocationRecord> records) {
    Map<UUID, List<QuotaItem>> items = new HashMap<>();
    tx.selectFrom(ALLOCATION_ITEM)
        .where(
            ALLOCATION_ITEM.ALLOCATION_ID.in(
                records.stream().map(AllocationRecord::getAllocationId).toList()))
        .orderBy(ALLOCATION_ITEM.POOL_KEY)
        .fetch()
        .forEach(
            item ->
                items
                    .computeIfAbsent(item.getAllocationId(), id -> new ArrayList<>())
                    .add(new QuotaItem(item.getPoolKey(), item.getAmount())));
    Map<UUID, StoredAllocation> result = new LinkedHashMap<>();
    for (AllocationRecord r : records) {
      result.put(
          r.getAllocationId(),
          new StoredAllocation(
              allocationOf(r, items.getOrDefault(r.getAllocationId(), List.of())),
              r.getRequestFingerprint()));
    }
    return new ArrayList<>(result.values());
  }

  private static Allocation allocationOf(AllocationRecord r, List<QuotaItem> items) {
    return new Allocation(
        r.getAllocationId(),
        r.getOwner(),
        r.getIdempotencyKey(),
        r.getStatus(),
        items,
        r.getExpiresAt() == null ? null : r.getExpiresAt().toInstant(),
        r.getCreatedAt().toInstant());
  }

  private static List<Query> poolUpdates(
      DSLContext tx, Map<String, Long> change, OffsetDateTime at) {
    List<Query> updates = new ArrayList<>();
    change.entrySet().stream()
        .filter(e -> e.getValue() != 0)
        .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
        .forEach(
            e ->
                updates.add(
                    tx.update(POOL)
                        .set(POOL.USED, POOL.USED.plus(e.getValue()))
                        .set(POOL.UPDATED_AT, at)
                        .where(POOL.POOL_KEY.eq(e.getKey()))));
    return updates;
  }

  private static Query ledgerInsert(DSLContext tx, List<LedgerLine> lines, OffsetDateTime at) {
    var insert =
        tx.insertInto(
            LEDGER_ENTRY,
            LEDGER_ENTRY.POOL_KEY,
            LEDGER_ENTRY.ALLOCATION_ID,
            LEDGER_ENTRY.DELTA,
            LEDGER_ENTRY.REASON,
            LEDGER_ENTRY.RECORDED_AT);
    for (LedgerLine line : lines) {
      insert =
          insert.values(
              line.poolKey(), line.allocationId(), line.delta(), line.reason().name(), at);
    }
    return insert;
  }

  private static Allocation withStatus(Allocation a, AllocationStatus status) {
    return new Allocation(
        a.id(), a.owner(), a.idempotencyKey(), status, a.items(), null, a.createdAt());
  }

  private static PoolAvailability availabilityOf(Record pool) {
    return new PoolAvailability(
        pool.get(POOL.POOL_KEY), pool.get(POOL.CAPACITY), pool.get(POOL.USED));
  }

  /** The request's content, independent of item order: what an idempotency key is bound to. */
  static String fingerprint(AllocationRequest request) {
    StringBuilder canonical = new StringBuilder(request.owner()).append('\n');
    canonical.append(request.holdFor() == null ? "-" : request.holdFor().toString()).append('\n');
    request.items().stream()
        .sorted(Comparator.comparing(QuotaItem::poolKey))
        .forEach(
            item ->
                canonical.append(item.poolKey()).append('=').append(item.amount()).append('\n'));
    return Sha256.hex(canonical.toString());
  }

  private OffsetDateTime now() {
    return at(clock.instant());
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** An allocation as stored, with the fingerprint of the request that made it. */
  record StoredAllocation(Allocation allocation, String fingerprint) {}

  private record LedgerLine(String poolKey, UUID allocationId, long delta, LedgerReason reason) {}

  private enum LedgerReason {
    ALLOCATE,
    RELEASE,
    EXPIRE,
    SWAP_OUT,
    SWAP_IN,
    REPAIR
  }
}
