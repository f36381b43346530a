package io.minispod.quota;

import java.util.List;

/**
 * What {@link QuotaManager#reconcile(boolean)} found.
 *
 * @param poolsChecked how many pools were compared
 * @param drifts the pools whose figures disagreed, as found (before any repair)
 * @param repaired whether the drifts were repaired
 */
public record ReconciliationReport(int poolsChecked, List<PoolDrift> drifts, boolean repaired) {

  /** Copies the drifts. */
  public ReconciliationReport {
    drifts = List.copyOf(drifts);
  }

  /**
   * Whether every pool's counter, live allocations and ledger agreed.
   *
   * @return {@code true} when no drift was found
   */
  public boolean isClean() {
    return drifts.isEmpty();
  }
}
