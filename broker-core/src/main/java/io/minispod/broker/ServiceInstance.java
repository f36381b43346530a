package io.minispod.broker;

import java.util.Map;

/**
 * The answer of {@code GET /v2/service_instances/:instance_id}.
 *
 * @param serviceId {@code service_id}
 * @param planId {@code plan_id}: the plan it is on now
 * @param dashboardUrl {@code dashboard_url}: where it is reachable, or {@code null}
 * @param parameters {@code parameters}: always empty, the broker keeps none
 */
public record ServiceInstance(
    String serviceId, String planId, String dashboardUrl, Map<String, Object> parameters) {

  /** Copies the parameters. */
  public ServiceInstance {
    parameters = Requests.copy(parameters);
  }
}
