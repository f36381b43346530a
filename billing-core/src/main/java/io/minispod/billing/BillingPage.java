package io.minispod.billing;

import java.util.List;

/**
 * One page of an account's billing history, newest line first.
 *
 * @param lines the lines of the page
 * @param page the page number, from 1
 * @param size the page size asked for
 * @param total how many lines the account has
 */
public record BillingPage(List<BillingLine> lines, int page, int size, long total) {

  /** Copies the lines. */
  public BillingPage {
    lines = List.copyOf(lines);
  }

  /**
   * How many pages of this size the history fills.
   *
   * @return at least 0
   */
  public long totalPages() {
    return (total + size - 1) / size;
  }
}
