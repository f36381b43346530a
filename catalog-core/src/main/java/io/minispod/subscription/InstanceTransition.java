package io.minispod.subscription;

import java.time.Instant;

/**
 * One change of an instance's status, as its owner reads it in the instance's history.
 *
 * @param from the status it left, or {@code null} for the first (its creation)
 * @param to the status it entered
 * @param at when
 * @param reason why, in words its owner may read: what the library says (such as {@code
 *     provisioned} or {@code cancelled by its user}), the health check's finding, or a provisioner
 *     failure's category sentence with its reference; never what the platform itself said
 */
public record InstanceTransition(
    InstanceStatus from, InstanceStatus to, Instant at, String reason) {}
