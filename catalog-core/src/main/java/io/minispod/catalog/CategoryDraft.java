package io.minispod.catalog;

/**
 * A category to create. The catalog validates every field at once when it is submitted.
 *
 * @param slug its URL name: a DNS label of at most 63 lower-case letters, digits and hyphens
 * @param name its display name, at most 100 characters
 * @param description what it holds, at most 2,000 characters; {@code null} means empty
 * @param displayOrder where it sorts in lists (lower first); {@code null} means 0
 */
public record CategoryDraft(String slug, String name, String description, Integer displayOrder) {}
