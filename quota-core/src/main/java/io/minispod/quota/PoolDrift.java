package io.minispod.quota;

/**
 * A pool whose usage counter, live allocations and ledger disagree.
 *
 * @param poolKey the pool's key
 * @param counter the pool's {@code used} counter
 * @param live the sum of its live allocations, the figure that is right by definition
 * @param ledger the sum of its ledger entries
 */
public record PoolDrift(String poolKey, long counter, long live, long ledger) {}
