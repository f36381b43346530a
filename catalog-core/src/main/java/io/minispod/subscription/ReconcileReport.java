package io.minispod.subscription;

/**
 * What one round of the instance reconciler did (or, summed, every round of a node so far). Each
 * action is also logged with the instance it concerned.
 *
 * @param checked the instances this node claimed and compared with the database
 * @param reprovisioned live subscriptions' instances the platform had lost (or had only part of),
 *     provisioned again
 * @param resized live subscriptions' instances whose resources had drifted from their plan, put
 *     back to the plan's
 * @param removed instances on the platform that no live subscription owns, deprovisioned
 * @param skipped instances left alone this round: a workflow was changing them, or they were being
 *     torn down
 * @param failed actions that failed (or rounds whose listing of the platform failed); the next
 *     round tries again
 */
public record ReconcileReport(
    long checked, long reprovisioned, long resized, long removed, long skipped, long failed) {

  /** A report of nothing done. */
  public static final ReconcileReport NONE = new ReconcileReport(0, 0, 0, 0, 0, 0);

  /**
   * The sum of this report and another.
   *
   * @param other another round's report
   * @return both together
   */
  public ReconcileReport plus(ReconcileReport other) {
    return new ReconcileReport(
        checked + other.checked,
        reprovisioned + other.reprovisioned,
        resized + other.resized,
        removed + other.removed,
        skipped + other.skipped,
        failed + other.failed);
  }
}
