package io.minispod.catalog.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** How catalog-core's stores write values into its columns. */
public final class Columns {

  private Columns() {}

  /**
   * An instant as a {@code timestamp with time zone} value, in UTC.
   *
   * @param instant the instant
   * @return the column value
   */
  public static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /**
   * A text cut to a column's length.
   *
   * @param text the text, or {@code null}
   * @param max the column's length
   * @return the text, at most {@code max} characters
   */
  public static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
