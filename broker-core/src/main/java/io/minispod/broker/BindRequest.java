package io.minispod.broker;

import java.util.Map;

/**
 * {@code PUT /v2/service_instances/:instance_id/service_bindings/:binding_id}: bind an application
 * to an instance.
 *
 * @param instanceId the instance
 * @param bindingId the id the platform chose, at most {@value ServiceBroker#MAX_ID_LENGTH}
 *     characters
 * @param serviceId {@code service_id}
 * @param planId {@code plan_id}
 * @param appGuid the deprecated {@code app_guid} (or {@code bind_resource.app_guid}), or {@code
 *     null}
 * @param parameters {@code parameters}, empty when absent
 */
public record BindRequest(
    String instanceId,
    String bindingId,
    String serviceId,
    String planId,
    String appGuid,
    Map<String, Object> parameters) {

  /** Copies the parameters. */
  public BindRequest {
    parameters = Requests.copy(parameters);
  }
}
