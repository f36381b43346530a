package io.minispod.spring.web;

import io.minispod.FieldErrors;
import io.minispod.catalog.PageRequest;

/** The pagination parameters of API.md: 1-based {@code page}, {@code size} at most 100. */
final class Pages {

  private Pages() {}

  static PageRequest of(int page, int size) {
    FieldErrors errors = new FieldErrors();
    errors.require(page >= 1, "page", "must be at least 1, was " + page);
    errors.require(
        size >= 1 && size <= PageRequest.MAX_SIZE,
        "size",
        "must be between 1 and " + PageRequest.MAX_SIZE + ", was " + size);
    errors.throwIfAny();
    return PageRequest.of(page, size);
  }
}
