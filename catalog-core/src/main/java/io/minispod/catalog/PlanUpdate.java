package io.minispod.catalog;

import io.minispod.billing.Price;
import io.minispod.catalog.template.Resources;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Changes to a plan: each field that is not {@code null} replaces the stored one (the features as a
 * whole); {@code null} fields stay as they are. The rules of {@link PlanDraft} apply to the result.
 * A new {@code quotaTotal} below what the plan's subscriptions use is refused.
 *
 * <p>Changes apply to what is sold from now on: existing subscriptions keep the price they paid for
 * their current period, and running instances keep their resources until they are next resized.
 *
 * @param slug a new URL name
 * @param name a new display name
 * @param tier a new tier
 * @param price a new price
 * @param resources new resources
 * @param quotaTotal a new capacity
 * @param features the new features
 * @param active whether the plan is offered
 */
public record PlanUpdate(
    String slug,
    String name,
    Integer tier,
    Price price,
    Resources resources,
    Long quotaTotal,
    Map<String, Object> features,
    Boolean active) {

  /** Copies the features. */
  public PlanUpdate {
    features = features == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(features));
  }

  /**
   * Starts an update that changes nothing yet.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PlanUpdate}. */
  public static final class Builder {
    private String slug;
    private String name;
    private Integer tier;
    private Price price;
    private Resources resources;
    private Long quotaTotal;
    private Map<String, Object> features;
    private Boolean active;

    private Builder() {}

    /**
     * Changes the slug.
     *
     * @param slug the new slug
     * @return this builder
     */
    public Builder slug(String slug) {
      this.slug = slug;
      return this;
    }

    /**
     * Changes the display name.
     *
     * @param name the new name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * Changes the tier.
     *
     * @param tier the new tier
     * @return this builder
     */
    public Builder tier(int tier) {
      this.tier = tier;
      return this;
    }

    /**
     * Changes the price.
     *
     * @param price the new price
     * @return this builder
     */
    public Builder price(Price price) {
      this.price = price;
      return this;
    }

    /**
     * Changes the resources.
     *
     * @param resources the new resources
     * @return this builder
     */
    public Builder resources(Resources resources) {
      this.resources = resources;
      return this;
    }

    /**
     * Changes the capacity.
     *
     * @param quotaTotal the new capacity
     * @return this builder
     */
    public Builder quotaTotal(long quotaTotal) {
      this.quotaTotal = quotaTotal;
      return this;
    }

    /**
     * Replaces the features.
     *
     * @param features the new features
     * @return this builder
     */
    public Builder features(Map<String, Object> features) {
      this.features = features;
      return this;
    }

    /**
     * Offers or withdraws the plan.
     *
     * @param active whether it is offered
     * @return this builder
     */
    public Builder active(boolean active) {
      this.active = active;
      return this;
    }

    /**
     * Builds the update.
     *
     * @return the update
     */
    public PlanUpdate build() {
      return new PlanUpdate(slug, name, tier, price, resources, quotaTotal, features, active);
    }
  }
}
