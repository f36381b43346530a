package io.minispod.quota;

import io.minispod.MinisPodException;

/** What became of one request of a batch: an allocation, or the error that refused it. */
record Outcome(Allocation allocation, MinisPodException refusal) {

  static Outcome granted(Allocation allocation) {
    return new Outcome(allocation, null);
  }

  static Outcome refused(MinisPodException refusal) {
    return new Outcome(null, refusal);
  }

  /** The allocation, or the refusal thrown. */
  Allocation allocationOrThrow() {
    if (refusal != null) {
      throw refusal;
    }
    return allocation;
  }
}
