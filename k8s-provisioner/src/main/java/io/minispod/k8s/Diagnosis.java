package io.minispod.k8s;

/**
 * Why an instance is not ready, as read from pod status, deployment conditions and events.
 *
 * @param reason a sentence naming the component and the cluster's own words
 * @param retryable whether trying again later may help (an unschedulable pod may fit later; a
 *     missing image will not appear)
 * @param conclusive whether waiting longer cannot help, so readiness fails at once
 */
record Diagnosis(String reason, boolean retryable, boolean conclusive) {}
