package io.minispod.broker;

import java.util.Map;

/**
 * {@code PATCH /v2/service_instances/:instance_id}: change a service instance's plan.
 *
 * @param instanceId the instance
 * @param serviceId {@code service_id}: its service offering
 * @param planId {@code plan_id}: the plan to move to, or {@code null} to keep the plan
 * @param context {@code context}, empty when absent
 * @param parameters {@code parameters}, empty when absent
 * @param previousPlanId {@code previous_values.plan_id}, or {@code null}
 * @param maintenanceInfoVersion {@code maintenance_info.version}, or {@code null}
 * @param acceptsIncomplete the {@code accepts_incomplete} query parameter
 * @param originatingIdentity the originating identity header, or {@code null}
 */
public record UpdateRequest(
    String instanceId,
    String serviceId,
    String planId,
    Map<String, Object> context,
    Map<String, Object> parameters,
    String previousPlanId,
    String maintenanceInfoVersion,
    boolean acceptsIncomplete,
    OriginatingIdentity originatingIdentity) {

  /** Copies the JSON objects. */
  public UpdateRequest {
    context = Requests.copy(context);
    parameters = Requests.copy(parameters);
  }
}
