package io.minispod.broker;

import java.util.Map;

/**
 * {@code PUT /v2/service_instances/:instance_id}: provision a service instance.
 *
 * @param instanceId the id the platform chose, at most {@value ServiceBroker#MAX_ID_LENGTH}
 *     characters
 * @param serviceId {@code service_id}: a service offering's id from the catalog
 * @param planId {@code plan_id}: a plan of that offering
 * @param context {@code context}: the platform's contextual data, empty when absent
 * @param organizationGuid the deprecated {@code organization_guid}, or {@code null}
 * @param spaceGuid the deprecated {@code space_guid}, or {@code null}
 * @param parameters {@code parameters}, empty when absent
 * @param maintenanceInfoVersion {@code maintenance_info.version}, or {@code null}
 * @param acceptsIncomplete the {@code accepts_incomplete} query parameter
 * @param originatingIdentity the originating identity header, or {@code null}
 */
public record ProvisionRequest(
    String instanceId,
    String serviceId,
    String planId,
    Map<String, Object> context,
    String organizationGuid,
    String spaceGuid,
    Map<String, Object> parameters,
    String maintenanceInfoVersion,
    boolean acceptsIncomplete,
    OriginatingIdentity originatingIdentity) {

  /** Copies the JSON objects. */
  public ProvisionRequest {
    context = Requests.copy(context);
    parameters = Requests.copy(parameters);
  }
}
