package io.minispod.broker;

/**
 * {@code DELETE /v2/service_instances/:instance_id}: deprovision a service instance.
 *
 * @param instanceId the instance
 * @param serviceId the {@code service_id} query parameter
 * @param planId the {@code plan_id} query parameter
 * @param acceptsIncomplete the {@code accepts_incomplete} query parameter
 * @param originatingIdentity the originating identity header, or {@code null}
 */
public record DeprovisionRequest(
    String instanceId,
    String serviceId,
    String planId,
    boolean acceptsIncomplete,
    OriginatingIdentity originatingIdentity) {}
