package io.minispod.catalog;

import io.minispod.billing.Price;
import io.minispod.catalog.template.Resources;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plan to create. The catalog validates every field at once when it is submitted and reports each
 * bad one under its path (such as {@code price.amount}).
 *
 * @param slug its URL name: a DNS label, unique within the service
 * @param name its display name, at most 100 characters
 * @param tier its rank within the service, from 1 to 1,000, unique there
 * @param price what it costs: amount at least 0 in minor units, an ISO 4217 currency (the same for
 *     every plan of a service) and a period
 * @param resources what an instance gets: CPU millicores (1 to 256,000), memory MiB (1 to
 *     4,194,304) and storage GiB (1 to 65,536)
 * @param quotaTotal how many subscriptions the plan can hold, from 0 to 1,000,000,000
 * @param features up to 50 entries of a key (a letter, then letters, digits, {@code _ . -}, at most
 *     64 characters) to a {@link Boolean}, an integral {@link Number} or a {@link String} of at
 *     most 200 characters; {@code null} means none
 */
public record PlanDraft(
    String slug,
    String name,
    Integer tier,
    Price price,
    Resources resources,
    Long quotaTotal,
    Map<String, Object> features) {

  /** Copies the features; {@code null} means none. */
  public PlanDraft {
    features =
        features == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(features));
  }

  /**
   * A plan with every required number given, for Java callers ({@code new PlanDraft("pro", "Pro",
   * 2, price, resources, 20, Map.of())}); the canonical constructor takes {@code null} for a
   * missing number, as a JSON binding produces.
   *
   * @param slug its URL name
   * @param name its display name
   * @param tier its rank within the service
   * @param price what it costs
   * @param resources what an instance gets
   * @param quotaTotal how many subscriptions it can hold
   * @param features what it offers; {@code null} means none
   */
  public PlanDraft(
      String slug,
      String name,
      int tier,
      Price price,
      Resources resources,
      long quotaTotal,
      Map<String, Object> features) {
    this(slug, name, Integer.valueOf(tier), price, resources, Long.valueOf(quotaTotal), features);
  }
}
