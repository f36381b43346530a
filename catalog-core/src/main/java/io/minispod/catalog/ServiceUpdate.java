package io.minispod.catalog;

import io.minispod.catalog.template.AppTemplate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Changes to a service: each field that is not {@code null} replaces the stored one (the tags and
 * the template as a whole); {@code null} fields stay as they are. The rules of {@link ServiceDraft}
 * apply to the result.
 *
 * <pre>{@code
 * admin.updateService(id, ServiceUpdate.builder().name("n8n Cloud").tags(List.of("workflow")).build());
 * }</pre>
 *
 * @param slug a new URL name
 * @param name a new display name
 * @param categorySlug the slug of another existing category
 * @param description a new description
 * @param tags the new tags
 * @param template the new template
 */
public record ServiceUpdate(
    String slug,
    String name,
    String categorySlug,
    String description,
    List<String> tags,
    AppTemplate template) {

  /** Copies the tags. */
  public ServiceUpdate {
    tags = tags == null ? null : Collections.unmodifiableList(new ArrayList<>(tags));
  }

  /**
   * Starts an update that changes nothing yet.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ServiceUpdate}. */
  public static final class Builder {
    private String slug;
    private String name;
    private String categorySlug;
    private String description;
    private List<String> tags;
    private AppTemplate template;

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
     * Moves the service to another category.
     *
     * @param categorySlug the category's slug
     * @return this builder
     */
    public Builder categorySlug(String categorySlug) {
      this.categorySlug = categorySlug;
      return this;
    }

    /**
     * Changes the description.
     *
     * @param description the new description
     * @return this builder
     */
    public Builder description(String description) {
      this.description = description;
      return this;
    }

    /**
     * Replaces the tags.
     *
     * @param tags the new tags
     * @return this builder
     */
    public Builder tags(List<String> tags) {
      this.tags = tags;
      return this;
    }

    /**
     * Replaces the template.
     *
     * @param template the new template
     * @return this builder
     */
    public Builder template(AppTemplate template) {
      this.template = template;
      return this;
    }

    /**
     * Builds the update.
     *
     * @return the update
     */
    public ServiceUpdate build() {
      return new ServiceUpdate(slug, name, categorySlug, description, tags, template);
    }
  }
}
