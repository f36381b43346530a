package io.minispod.subscription;

import java.util.UUID;

/**
 * An instance in a listing or inside its subscription.
 *
 * @param id the instance's id
 * @param status where it is in its life
 * @param url where it is reachable, or {@code null} before it is provisioned
 */
public record InstanceSummary(UUID id, InstanceStatus status, String url) {}
