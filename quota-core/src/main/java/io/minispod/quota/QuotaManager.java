package io.minispod.quota;

import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;

/**
 * Capacity pools that are never over-allocated, whatever the concurrency and however many JVMs
 * share the database.
 *
 * <p>Pools are named by keys such as {@code plan:<id>}, {@code user:<id>:instances} or {@code
 * cluster:cpu-millicores}. Allocations take from one or more pools all-or-nothing, may be held
 * pending with an expiry while a payment runs, and are released or swapped atomically. Each
 * operation runs in a transaction of its own; {@link #inTransaction} runs them inside a caller's
 * transaction instead, so that (for example) a subscription and its allocation commit or roll back
 * together.
 *
 * <p>Concurrent {@link #allocate} calls for the same pool are combined: the requests that arrive
 * while one transaction runs are granted or refused together, in arrival order, in the next one. A
 * call that finds no other allocation queued or running on its lane (see {@link
 * QuotaManagerBuilder#combiningLanes}) runs its transaction on the caller's thread. The check and
 * the increment happen under the pool row's lock, and a database constraint keeps {@code used <=
 * capacity} whatever happens, so no interleaving, in one JVM or many, can over-allocate.
 *
 * <p>Expired holds are reclaimed by a background task of the manager (see {@link
 * QuotaManagerBuilder#reclaimInterval}). Close the manager to stop it.
 *
 * <pre>{@code
 * new QuotaSchema().migrate(dataSource);
 * try (QuotaManager quota = QuotaManager.builder(dataSource).build()) {
 *   quota.definePool("plan:pro", 10);
 *   Allocation a = quota.allocate(AllocationRequest.of("alice", "sub-42", QuotaItem.of("plan:pro", 1)));
 *   quota.release(a.id());
 * }
 * }</pre>
 */
public interface QuotaManager extends QuotaOperations, AutoCloseable {

  /**
   * Starts building a manager over a PostgreSQL database whose {@link QuotaSchema} is migrated.
   *
   * @param dataSource the database
   * @return a builder with ready defaults
   */
  static QuotaManagerBuilder builder(DataSource dataSource) {
    return new QuotaManagerBuilder(dataSource);
  }

  /**
   * The operations bound to a caller's transaction: they neither begin nor commit, and whatever
   * they change commits or rolls back with the caller's work.
   *
   * <pre>{@code
   * dsl.transaction(tx -> {
   *   Allocation a = quota.inTransaction(tx.dsl()).allocate(request);
   *   // insert the subscription that refers to a.id() …
   * });
   * }</pre>
   *
   * @param transaction a jOOQ context whose connection is inside the caller's transaction
   * @return the operations, valid as long as the transaction
   */
  QuotaOperations inTransaction(DSLContext transaction);

  /**
   * Reclaims every pending hold whose expiry has passed, as the background task does.
   *
   * @return how many holds were reclaimed
   */
  int reclaimExpired();

  /**
   * Recomputes each pool's usage from its live allocations and compares it with the pool's counter
   * and its ledger.
   *
   * @param repair whether to set each drifting counter to its live figure and append a ledger entry
   *     that brings the ledger back in line
   * @return what was found (and repaired)
   */
  ReconciliationReport reconcile(boolean repair);

  /**
   * The figures of every pool.
   *
   * @return one line per pool, ordered by key
   */
  List<PoolUtilisation> utilisation();

  /** Stops the background reclaimer and the allocation combiner; waiting calls fail. */
  @Override
  void close();
}
