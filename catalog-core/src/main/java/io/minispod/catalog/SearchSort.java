package io.minispod.catalog;

/** The order of search results. Ties are broken by name, then slug. */
public enum SearchSort {
  /**
   * Services whose name matches the text first, then those matched by a tag, then by the
   * description; by name when the query has no text. The default.
   */
  RELEVANCE,
  /** By name, case-insensitively. */
  NAME,
  /**
   * By the cheapest active plan's monthly equivalent, lowest first; services without an active plan
   * last.
   */
  PRICE,
  /** By live subscriptions (the quota used by all the service's plans), most first. */
  POPULARITY
}
