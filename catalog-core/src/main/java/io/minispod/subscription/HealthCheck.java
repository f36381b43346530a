package io.minispod.subscription;

import java.time.Instant;

/**
 * The last health check of an instance.
 *
 * @param at when it ran
 * @param healthy whether the instance was up
 * @param detail what the platform said
 */
public record HealthCheck(Instant at, boolean healthy, String detail) {}
