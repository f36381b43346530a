package io.minispod.catalog;

import io.minispod.catalog.template.AppTemplate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A service to create. The catalog validates every field at once when it is submitted and reports
 * each bad one under its path (such as {@code template.port}).
 *
 * @param slug its URL name: a DNS label of at most 63 lower-case letters, digits and hyphens,
 *     unique in the catalog
 * @param name its display name, at most 100 characters
 * @param categorySlug the slug of an existing category
 * @param description what it is, at most 4,000 characters; {@code null} means empty
 * @param tags at most 20 distinct keywords of lower-case letters, digits and hyphens (at most 32
 *     characters each); {@code null} means none
 * @param template how to run it; required
 */
public record ServiceDraft(
    String slug,
    String name,
    String categorySlug,
    String description,
    List<String> tags,
    AppTemplate template) {

  /** Copies the tags; {@code null} means none. */
  public ServiceDraft {
    tags = tags == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(tags));
  }
}
