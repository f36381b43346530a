package io.minispod.catalog;

import java.util.List;

/**
 * One page of a list, with the figures a client needs to page through it.
 *
 * @param items the items of this page, at most {@code size}
 * @param page the page number, from 1
 * @param size the requested page size
 * @param total how many items the whole list holds
 * @param <T> the item type
 */
public record Page<T>(List<T> items, int page, int size, long total) {

  /** Copies the items. */
  public Page {
    items = List.copyOf(items);
  }

  /**
   * How many pages the list fills.
   *
   * @return {@code ceil(total / size)}; 0 for an empty list
   */
  public long totalPages() {
    return (total + size - 1) / size;
  }
}
