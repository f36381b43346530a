package io.minispod.broker;

/**
 * {@code DELETE /v2/service_instances/:instance_id/service_bindings/:binding_id}.
 *
 * @param instanceId the instance
 * @param bindingId the binding
 * @param serviceId the {@code service_id} query parameter
 * @param planId the {@code plan_id} query parameter
 */
public record UnbindRequest(String instanceId, String bindingId, String serviceId, String planId) {}
