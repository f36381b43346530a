package io.minispod.billing;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Revenue of one combination of tag values in one currency over a date range, from the lines
 * settled in it. Credits and refunds are given as positive figures that {@link #net()} subtracts.
 *
 * @param tags the tag key to value of the group, such as {@code service → n8n, plan → pro}
 * @param charged paid charges and proration charges
 * @param credited proration credits applied
 * @param refunded refunds made
 * @param lines how many lines the group has
 */
public record RevenueTotal(
    Map<String, String> tags, Money charged, Money credited, Money refunded, long lines) {

  /** Copies the tags, sorted by key. */
  public RevenueTotal {
    tags = Collections.unmodifiableMap(new TreeMap<>(tags));
  }

  /**
   * What was actually collected.
   *
   * @return charged less credited less refunded
   */
  public Money net() {
    return charged.minus(credited).minus(refunded);
  }
}
