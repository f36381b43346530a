package io.minispod.catalog;

import java.util.UUID;

/**
 * The category a service belongs to, as shown with the service.
 *
 * @param id the category's id
 * @param slug its URL name, such as {@code automation}
 * @param name its display name
 */
public record CategoryRef(UUID id, String slug, String name) {}
