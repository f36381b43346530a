package io.minispod.catalog;

import io.minispod.billing.Price;
import java.util.List;
import java.util.UUID;

/**
 * A service as listed by category or found by search.
 *
 * @param id the service's id
 * @param slug its URL name
 * @param name its display name
 * @param category the category that lists it
 * @param description what it is
 * @param tags its keywords
 * @param startingPrice the price of its cheapest active plan (by monthly equivalent), or {@code
 *     null} when it has no active plan
 * @param planCount how many active plans it offers
 */
public record ServiceSummary(
    UUID id,
    String slug,
    String name,
    CategoryRef category,
    String description,
    List<String> tags,
    Price startingPrice,
    int planCount) {

  /** Copies the tags. */
  public ServiceSummary {
    tags = List.copyOf(tags);
  }
}
