package io.minispod.k8s;

import io.minispod.provisioner.FailureReason;

/**
 * Why an instance is not ready, as read from pod status, deployment conditions and events.
 *
 * @param detail a sentence naming the component and the cluster's own words, for operators
 * @param reason the category a user is told
 * @param retryable whether trying again later may help (an unschedulable pod may fit later; a
 *     missing image will not appear)
 * @param conclusive whether waiting longer cannot help, so readiness fails at once
 */
record Diagnosis(String detail, FailureReason reason, boolean retryable, boolean conclusive) {}
