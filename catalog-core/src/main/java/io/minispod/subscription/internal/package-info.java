/**
 * The subscription side's implementation, unreachable from other modules: {@link
 * io.minispod.subscription.internal.SubscriptionEngine} wires the services, the subscription and
 * instance store, and the workflow kinds (subscribe, upgrade, cancel) that run on the generic
 * runner of {@link io.minispod.subscription.internal.workflow}.
 */
package io.minispod.subscription.internal;
