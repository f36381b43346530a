package io.minispod.subscription;

import java.time.YearMonth;
import java.util.Objects;

/**
 * Monthly recurring revenue of one month (UTC) in one currency, and what moved it in that month.
 *
 * <p>A subscription's MRR is its plan's price spread over a month (a yearly price divided by 12),
 * at the plan's price as it is now. A subscription counts from its start (the subscribe request,
 * once its workflow succeeded) until its cancel, whatever its status in between: past-due and
 * suspended subscriptions count until they are cancelled. So, month by month, {@code mrr} is the
 * previous month's plus {@code newMrr} and {@code expansionMrr}, less {@code contractionMrr} and
 * {@code churnedMrr} (each rounded to minor units on its own). Amounts are in minor units.
 *
 * @param month the month
 * @param currency the ISO 4217 code of the plans' prices
 * @param mrr the MRR of the subscriptions live at the month's end
 * @param arr {@code mrr} times 12
 * @param newMrr the MRR of the subscriptions that started in the month, on the plan they started on
 * @param expansionMrr what plan changes in the month to a dearer plan added
 * @param contractionMrr what plan changes in the month to a cheaper plan took away (positive)
 * @param churnedMrr the MRR of the subscriptions cancelled in the month (positive)
 */
public record RecurringRevenue(
    YearMonth month,
    String currency,
    long mrr,
    long arr,
    long newMrr,
    long expansionMrr,
    long contractionMrr,
    long churnedMrr) {

  /** Checks that the month and currency are given. */
  public RecurringRevenue {
    Objects.requireNonNull(month, "month");
    Objects.requireNonNull(currency, "currency");
  }
}
