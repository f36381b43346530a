package io.minispod.quota;

import io.minispod.DaemonThreads;
import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.quota.QuotaStore.TransactionOwner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link QuotaManager}: each operation in a transaction of its own, retried when PostgreSQL
 * asks.
 */
final class DefaultQuotaManager implements QuotaManager {

  private static final Logger log = LoggerFactory.getLogger(DefaultQuotaManager.class);

  /** SQL states after which running the whole transaction again is the right answer. */
  private static final Set<String> RETRYABLE =
      Set.of(
          "40001", // serialization failure
          "40P01", // deadlock detected
          "23505"); // unique violation: a concurrent twin of an idempotency key committed first

  private static final int MAX_ATTEMPTS = 5;

  private final DSLContext dsl;
  private final QuotaStore store;
  private final AllocationCombiner combiner;
  private final ScheduledExecutorService reclaimer;

  DefaultQuotaManager(
      DSLContext dsl,
      QuotaStore store,
      int lanes,
      int maxBatchSize,
      Duration allocationWaitLimit,
      Duration reclaimInterval) {
    this.dsl = dsl;
    this.store = store;
    this.combiner =
        new AllocationCombiner(
            lanes,
            maxBatchSize,
            allocationWaitLimit,
            batch -> transact(tx -> store.allocateAll(tx, batch, TransactionOwner.MANAGER)));
    if (reclaimInterval.isZero()) {
      this.reclaimer = null;
    } else {
      this.reclaimer =
          Executors.newSingleThreadScheduledExecutor(
              DaemonThreads.named("minispod-quota-reclaimer"));
      long millis = reclaimInterval.toMillis();
      reclaimer.scheduleWithFixedDelay(
          this::reclaimInBackground, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public QuotaOperations inTransaction(DSLContext transaction) {
    return new TransactionalQuotaOperations(store, transaction);
  }

  @Override
  public PoolAvailability definePool(String poolKey, long capacity) {
    return transact(tx -> inTransaction(tx).definePool(poolKey, capacity));
  }

  @Override
  public PoolAvailability setCapacity(String poolKey, long capacity) {
    return transact(tx -> inTransaction(tx).setCapacity(poolKey, capacity));
  }

  @Override
  public List<PoolAvailability> availability(List<String> poolKeys) {
    return transact(tx -> inTransaction(tx).availability(poolKeys));
  }

  @Override
  public Allocation allocate(AllocationRequest request) {
    return combiner.submit(Objects.requireNonNull(request, "request"));
  }

  @Override
  public Allocation confirm(UUID allocationId) {
    return transact(tx -> inTransaction(tx).confirm(allocationId));
  }

  @Override
  public Allocation release(UUID allocationId) {
    return transact(tx -> inTransaction(tx).release(allocationId));
  }

  @Override
  public Allocation swap(UUID allocationId, List<QuotaItem> newItems) {
    return transact(tx -> inTransaction(tx).swap(allocationId, newItems));
  }

  @Override
  public Allocation allocation(UUID allocationId) {
    return transact(tx -> inTransaction(tx).allocation(allocationId));
  }

  @Override
  public int reclaimExpired() {
    int total = 0;
    int reclaimed;
    do {
      reclaimed = transact(store::reclaimExpired);
      total += reclaimed;
    } while (reclaimed > 0);
    return total;
  }

  @Override
  public ReconciliationReport reconcile(boolean repair) {
    return transact(
        tx -> {
          int pools = store.countPools(tx);
          List<PoolDrift> drifts = store.drifts(tx);
          drifts.forEach(
              d ->
                  log.warn(
                      "Pool {} drifts: counter {}, live allocations {}, ledger {}",
                      d.poolKey(),
                      d.counter(),
                      d.live(),
                      d.ledger()));
          if (repair && !drifts.isEmpty()) {
            store.repair(tx, drifts);
          }
          return new ReconciliationReport(pools, drifts, repair && !drifts.isEmpty());
        });
  }

  @Override
  public List<PoolUtilisation> utilisation() {
    return transact(store::utilisation);
  }

  @Override
  public void close() {
    if (reclaimer != null) {
      reclaimer.shutdownNow();
    }
    combiner.close();
  }

  private void reclaimInBackground() {
    try {
      reclaimExpired();
    } catch (RuntimeException e) {
      log.warn("Reclaiming expired holds failed; the next round tries again", e);
    }
  }

  /**
   * Runs the work in a transaction of its own, again from the start when PostgreSQL reports a
   * serialization failure, a deadlock or a concurrent idempotency-key twin; database failures leave
   * as {@link MinisPodException}s that name the SQL state, never the SQL.
   */
  private <T> T transact(Function<DSLContext, T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return dsl.transactionResult(configuration -> work.apply(configuration.dsl()));
      } catch (DataAccessException e) {
        String state = e.sqlState();
        if (attempt < MAX_ATTEMPTS && RETRYABLE.contains(state)) {
          log.debug("Quota transaction attempt {} hit SQL state {}; retrying", attempt, state);
          continue;
        }
        throw new MinisPodException(
            ErrorCode.INTERNAL_ERROR,
            "The quota store failed (SQL state " + state + ")",
            Map.of("sqlState", String.valueOf(state)),
            e);
      }
    }
  }
}
