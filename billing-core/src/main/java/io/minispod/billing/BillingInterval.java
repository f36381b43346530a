package io.minispod.billing;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** How long a {@link BillingCycle}'s periods are. */
public enum BillingInterval {
  /** One calendar month, keeping the anchor's day of month where the month has it. */
  MONTHLY,
  /** One calendar year, keeping the anchor's day (February 29 falls back to the 28th). */
  YEARLY;

  /** The anchor moved {@code count} intervals on, always counted from the anchor itself. */
  LocalDate addTo(LocalDate anchor, long count) {
    return this == MONTHLY ? anchor.plusMonths(count) : anchor.plusYears(count);
  }

  /** Whole intervals between two dates, a first guess at the index of a period. */
  long between(LocalDate anchor, LocalDate date) {
    return (this == MONTHLY ? ChronoUnit.MONTHS : ChronoUnit.YEARS).between(anchor, date);
  }
}
