/**
 * The generic workflow runner: {@link io.minispod.subscription.internal.workflow.WorkflowRunner}
 * claims due workflows with a lease, runs a {@link
 * io.minispod.subscription.internal.workflow.WorkflowKind}'s steps, commits each outcome fenced by
 * the lease, retries with {@link io.minispod.subscription.internal.workflow.Backoff} and undoes
 * what failed for good. It knows no kind: a new one is a new {@code WorkflowKind} handed to it.
 */
package io.minispod.subscription.internal.workflow;
