package io.minispod.catalog;

import io.minispod.FieldErrors;

/**
 * Which page of a list to return: pages are numbered from 1 and hold from 1 to {@value #MAX_SIZE}
 * items. Sizes outside that range are refused, not clamped.
 *
 * @param page the page number, from 1
 * @param size the items per page, from 1 to {@value #MAX_SIZE}
 */
public record PageRequest(int page, int size) {

  /** The default page size. */
  public static final int DEFAULT_SIZE = 20;

  /** The largest page size. */
  public static final int MAX_SIZE = 100;

  /**
   * Checks the numbers.
   *
   * @throws io.minispod.ValidationException naming {@code page} and {@code size} when either is out
   *     of range
   */
  public PageRequest {
    FieldErrors errors = new FieldErrors();
    check(errors, page, size);
    errors.throwIfAny();
  }

  /** Records what is wrong with a page number and size. */
  static void check(FieldErrors errors, int page, int size) {
    errors.require(page >= 1, "page", "must be at least 1, was " + page);
    errors.require(
        size >= 1 && size <= MAX_SIZE,
        "size",
        "must be between 1 and " + MAX_SIZE + ", was " + size);
  }

  /**
   * A page of the given size.
   *
   * @param page the page number, from 1
   * @param size the items per page, from 1 to {@value #MAX_SIZE}
   * @return the request
   * @throws io.minispod.ValidationException when either is out of range
   */
  public static PageRequest of(int page, int size) {
    return new PageRequest(page, size);
  }

  /**
   * The first page of {@value #DEFAULT_SIZE} items.
   *
   * @return the request
   */
  public static PageRequest first() {
    return new PageRequest(1, DEFAULT_SIZE);
  }

  /**
   * How many items come before this page.
   *
   * @return {@code (page - 1) * size}
   */
  public long offset() {
    return (long) (page - 1) * size;
  }
}
