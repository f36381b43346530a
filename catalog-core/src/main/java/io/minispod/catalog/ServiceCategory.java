package io.minispod.catalog;

import java.util.UUID;

/**
 * A category of the catalog with the number of services it lists.
 *
 * @param id the category's id
 * @param slug its URL name, a DNS label such as {@code automation}
 * @param name its display name
 * @param description what it holds; may be empty
 * @param displayOrder where it sorts in lists (lower first, then by name)
 * @param serviceCount how many active services it lists; archived ones are not counted
 */
public record ServiceCategory(
    UUID id, String slug, String name, String description, int displayOrder, long serviceCount) {}
