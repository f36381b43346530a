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
   * By price, never across currencies: services are grouped by the currency of their plans (by ISO
   * 4217 code, {@code EUR} before {@code IDR} before {@code USD}), and within a group ordered by
   * the cheapest active plan's monthly equivalent, lowest first; services without an active plan
   * last. With a {@linkplain SearchQuery#currency() currency} filter there is one group.
   */
  PRICE,
  /** By live subscriptions (the quota used by all the service's plans), most first. */
  POPULARITY
}
