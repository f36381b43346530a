package io.minispod.spring;

/**
 * Marks that the MinisPod module schemas were migrated (or that migration was switched off): every
 * service bean depends on it so that none starts before its tables exist.
 *
 * @param migrated whether this context ran the migrations
 */
public record MinisPodSchemas(boolean migrated) {}
