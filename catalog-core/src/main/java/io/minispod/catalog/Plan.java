package io.minispod.catalog;

import io.minispod.billing.Price;
import io.minispod.catalog.template.Resources;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A plan of a service: one tier of price and resources. Its capacity lives in the quota pool {@code
 * plan:<id>} of quota-core (see {@link PlanDetails}).
 *
 * @param id the plan's id
 * @param serviceId the service it belongs to
 * @param slug its URL name, unique within the service
 * @param name its display name
 * @param tier its rank within the service, unique there: a higher tier is an upgrade
 * @param price what it costs
 * @param resources what an instance gets
 * @param features what it offers, as key to a {@link Boolean}, {@link Long} or {@link String},
 *     sorted by key
 * @param active whether it is offered to new subscriptions and upgrades
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record Plan(
    UUID id,
    UUID serviceId,
    String slug,
    String name,
    int tier,
    Price price,
    Resources resources,
    Map<String, Object> features,
    boolean active,
    Instant createdAt,
    Instant updatedAt) {

  /** Copies the features. */
  public Plan {
    features = Collections.unmodifiableMap(new TreeMap<>(features));
  }

  /**
   * The key of the plan's quota pool in quota-core.
   *
   * @return {@code plan:<id>}
   */
  public String quotaPoolKey() {
    return poolKey(id);
  }

  /**
   * The key of a plan's quota pool in quota-core.
   *
   * @param planId the plan's id
   * @return {@code plan:<planId>}
   */
  public static String poolKey(UUID planId) {
    return "plan:" + planId;
  }
}
