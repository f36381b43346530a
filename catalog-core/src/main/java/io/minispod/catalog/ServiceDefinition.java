package io.minispod.catalog;

import io.minispod.catalog.template.AppTemplate;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A service of the catalog as stored: what admins edit and what provisioners read.
 *
 * @param id the service's id
 * @param slug its URL name, a DNS label such as {@code n8n}, unique in the catalog
 * @param name its display name
 * @param category the category that lists it
 * @param description what it is; may be empty
 * @param tags lower-case keywords, in the order given
 * @param template how to run it
 * @param status whether it is offered
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 * @param archivedAt when it was archived, or {@code null} while it is active
 */
public record ServiceDefinition(
    UUID id,
    String slug,
    String name,
    CategoryRef category,
    String description,
    List<String> tags,
    AppTemplate template,
    ServiceStatus status,
    Instant createdAt,
    Instant updatedAt,
    Instant archivedAt) {

  /** Copies the tags. */
  public ServiceDefinition {
    tags = List.copyOf(tags);
  }
}
