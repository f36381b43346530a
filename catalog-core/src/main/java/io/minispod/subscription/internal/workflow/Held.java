package io.minispod.subscription.internal.workflow;

import java.time.Instant;
import java.util.UUID;

/**
 * A workflow as one node holds it at one instant. Every change to a held workflow is made only
 * while the lease is still that node's, in the same statement that makes it, so a node that lost
 * its lease (it stalled past the expiry and another node took over) changes nothing.
 *
 * @param workflowId the workflow
 * @param owner the node holding the lease
 * @param now the instant the change is made at
 */
public record Held(UUID workflowId, String owner, Instant now) {}
