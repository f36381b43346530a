package io.minispod.subscription;

import java.time.YearMonth;
import java.util.Objects;

/**
 * Subscriptions lost in one month (UTC).
 *
 * @param month the month
 * @param liveAtStart subscriptions started before the month and not cancelled before it (past-due
 *     and suspended ones included)
 * @param cancelled subscriptions cancelled in the month: {@code voluntary + afterSuspension}
 * @param voluntary cancelled by their users, now or at the end of their period
 * @param afterSuspension cancelled because a suspension's grace period ran out unpaid
 * @param rate {@code cancelled / liveAtStart}, or {@code null} when nothing was live at the start
 *     (a subscription started and cancelled within the month counts in {@code cancelled} only, so
 *     the rate may exceed 1)
 */
public record MonthlyChurn(
    YearMonth month,
    long liveAtStart,
    long cancelled,
    long voluntary,
    long afterSuspension,
    Double rate) {

  /** Checks that the month is given and that the cancels add up. */
  public MonthlyChurn {
    Objects.requireNonNull(month, "month");
    if (cancelled != voluntary + afterSuspension) {
      throw new IllegalArgumentException(
          "cancelled was %d, expected voluntary + afterSuspension = %d"
              .formatted(cancelled, voluntary + afterSuspension));
    }
  }
}
