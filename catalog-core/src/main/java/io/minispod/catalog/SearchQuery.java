package io.minispod.catalog;

import io.minispod.FieldErrors;
import io.minispod.catalog.internal.CatalogValidation;
import io.minispod.catalog.internal.SearchText;
import java.util.Currency;
import java.util.Objects;

/**
 * What to search the catalog for. Every criterion is optional; all given ones must hold.
 *
 * <pre>{@code
 * SearchQuery.builder().text("gho").available(true).sort(SearchSort.PRICE).page(1, 20).build()
 * }</pre>
 *
 * <p>The text is split into words at every character that is not a letter or digit; a service
 * matches when each word is the beginning of a word of its name, tags or description, ignoring case
 * ({@code "gho"} finds Ghost, {@code "blog"} finds "blogging"). Characters such as {@code %},
 * {@code _} or {@code '} are therefore separators, never patterns; a text without any word matches
 * nothing. Field names in errors are those of the HTTP contract ({@code q}, {@code category},
 * {@code tag}, {@code maxPrice}, {@code currency}, {@code page}, {@code size}).
 *
 * <p>Prices are compared only within one currency; the catalog never converts. {@code maxPrice}
 * therefore needs a {@code currency}: it keeps the services with an active plan in that currency
 * whose monthly equivalent (a yearly price divided by twelve, rounded up) is at most that many
 * minor units. A {@code currency} alone keeps the services with an active plan in it. {@link
 * SearchSort#PRICE} groups services by currency (by ISO 4217 code) and orders each group by its
 * cheapest plan.
 *
 * @param text words to find, at most {@value #MAX_TEXT_LENGTH} characters and {@value #MAX_WORDS}
 *     words of at most {@value #MAX_WORD_LENGTH} characters, or {@code null}
 * @param categorySlug only services of this category, or {@code null}
 * @param tag only services with this tag, or {@code null}
 * @param maxPrice only services with an active plan in {@code currency} whose monthly equivalent
 *     price is at most this many minor units of it, or {@code null}; requires {@code currency}
 * @param currency only services with an active plan in this currency, or {@code null} for any (then
 *     {@code maxPrice} must be {@code null} too)
 * @param available only services with an active plan that has free capacity
 * @param sort the order
 * @param page which page
 */
public record SearchQuery(
    String text,
    String categorySlug,
    String tag,
    Long maxPrice,
    Currency currency,
    boolean available,
    SearchSort sort,
    PageRequest page) {

  /** The longest search text. */
  public static final int MAX_TEXT_LENGTH = 200;

  /** The most words a search text may have. */
  public static final int MAX_WORDS = 10;

  /** The longest word of a search text. */
  public static final int MAX_WORD_LENGTH = 100;

  /**
   * Checks every criterion.
   *
   * @throws io.minispod.ValidationException naming every bad criterion
   */
  public SearchQuery {
    Objects.requireNonNull(sort, "sort");
    Objects.requireNonNull(page, "page");
    FieldErrors errors = new FieldErrors();
    check(errors, text, categorySlug, tag, maxPrice);
    requireCurrencyForMaxPrice(errors, maxPrice, currency != null);
    errors.throwIfAny();
  }

  private static void requireCurrencyForMaxPrice(
      FieldErrors errors, Long maxPrice, boolean hasCurrency) {
    errors.require(
        maxPrice == null || hasCurrency,
        "currency",
        "is required with maxPrice: prices are compared only within one currency");
  }

  /** The currency of a code, or {@code null} (with the problem recorded) if it is not one. */
  private static Currency parseCurrency(FieldErrors errors, String code) {
    if (code == null) {
      return null;
    }
    try {
      return Currency.getInstance(code);
    } catch (IllegalArgumentException e) {
      errors.require(
          false,
          "currency",
          "must be an ISO 4217 currency code such as IDR or USD, was '" + code + "'");
      return null;
    }
  }

  private static void check(
      FieldErrors errors, String text, String categorySlug, String tag, Long maxPrice) {
    if (text != null
        && errors.require(
            text.length() <= MAX_TEXT_LENGTH,
            "q",
            "must be at most " + MAX_TEXT_LENGTH + " characters, was " + text.length())) {
      var words = SearchText.words(text);
      errors.require(
          words.size() <= MAX_WORDS,
          "q",
          "must have at most " + MAX_WORDS + " words, had " + words.size());
      errors.require(
          words.stream().allMatch(word -> word.length() <= MAX_WORD_LENGTH),
          "q",
          "words must be at most " + MAX_WORD_LENGTH + " characters");
    }
    if (categorySlug != null) {
      errors.require(
          categorySlug.length() <= CatalogValidation.MAX_SLUG_LENGTH,
          "category",
          "must be at most "
              + CatalogValidation.MAX_SLUG_LENGTH
              + " characters, was "
              + categorySlug.length());
    }
    if (tag != null) {
      errors.require(
          tag.length() <= CatalogValidation.MAX_TAG_LENGTH,
          "tag",
          "must be at most "
              + CatalogValidation.MAX_TAG_LENGTH
              + " characters, was "
              + tag.length());
    }
    if (maxPrice != null) {
      errors.require(maxPrice >= 0, "maxPrice", "must be at least 0, was " + maxPrice);
    }
  }

  /**
   * Starts a query that matches every active service, sorted by relevance, first page.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link SearchQuery}. */
  public static final class Builder {
    private String text;
    private String categorySlug;
    private String tag;
    private Long maxPrice;
    private String currency;
    private boolean available;
    private SearchSort sort = SearchSort.RELEVANCE;
    private int page = 1;
    private int size = PageRequest.DEFAULT_SIZE;

    private Builder() {}

    /**
     * Sets the words to find.
     *
     * @param text the search text, or {@code null} for none
     * @return this builder
     */
    public Builder text(String text) {
      this.text = text;
      return this;
    }

    /**
     * Keeps services of one category.
     *
     * @param categorySlug the category's slug, or {@code null} for any
     * @return this builder
     */
    public Builder category(String categorySlug) {
      this.categorySlug = categorySlug;
      return this;
    }

    /**
     * Keeps services with one tag.
     *
     * @param tag the tag, or {@code null} for any
     * @return this builder
     */
    public Builder tag(String tag) {
      this.tag = tag;
      return this;
    }

    /**
     * Keeps services with an active plan at or below a monthly price in the {@linkplain
     * #currency(String) currency}, which must be given too.
     *
     * @param maxPrice minor units, or {@code null} for any price
     * @return this builder
     */
    public Builder maxPrice(Long maxPrice) {
      this.maxPrice = maxPrice;
      return this;
    }

    /**
     * Keeps services with an active plan in one currency; the currency {@linkplain #maxPrice(Long)
     * maxPrice} is in.
     *
     * @param currencyCode an ISO 4217 code such as {@code IDR}, or {@code null} for any currency
     * @return this builder
     */
    public Builder currency(String currencyCode) {
      this.currency = currencyCode;
      return this;
    }

    /**
     * Keeps services with an active plan that has free capacity.
     *
     * @param available whether to require free capacity
     * @return this builder
     */
    public Builder available(boolean available) {
      this.available = available;
      return this;
    }

    /**
     * Sets the order.
     *
     * @param sort the order; {@code null} means {@link SearchSort#RELEVANCE}
     * @return this builder
     */
    public Builder sort(SearchSort sort) {
      this.sort = sort == null ? SearchSort.RELEVANCE : sort;
      return this;
    }

    /**
     * Sets the page.
     *
     * @param page the page number, from 1
     * @param size the items per page, from 1 to {@value PageRequest#MAX_SIZE}
     * @return this builder
     */
    public Builder page(int page, int size) {
      this.page = page;
      this.size = size;
      return this;
    }

    /**
     * Builds the query.
     *
     * @return the query
     * @throws io.minispod.ValidationException naming every bad criterion, page and size included
     */
    public SearchQuery build() {
      FieldErrors errors = new FieldErrors();
      check(errors, text, categorySlug, tag, maxPrice);
      Currency parsed = parseCurrency(errors, currency);
      requireCurrencyForMaxPrice(errors, maxPrice, currency != null);
      PageRequest.check(errors, page, size);
      errors.throwIfAny();
      return new SearchQuery(
          text, categorySlug, tag, maxPrice, parsed, available, sort, PageRequest.of(page, size));
    }
  }
}
