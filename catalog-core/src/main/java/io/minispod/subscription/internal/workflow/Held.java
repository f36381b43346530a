package io.minispod.subscription.internal.workflow;

import java.time.Instant;
import java.util.UUID;

/**
 * A workflow as one claim of one node holds it at one instant. Every change to a held workflow is
 * made only while the lease is still that claim's, in the same statement that makes it, so an
 * attempt whose lease was lost (it stalled past the expiry and the workflow was claimed again, by
 * another node or by the same one) changes nothing.
 *
 * @param workflowId the workflow
 * @param owner the node holding the lease
 * @param generation the fencing token of the claim: every claim of the workflow increments it
 * @param now the instant the change is made at
 */
public record Held(UUID workflowId, String owner, long generation, Instant now) {}
