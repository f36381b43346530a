package io.minispod.spring.broker;

import io.minispod.broker.BindRequest;
import io.minispod.broker.DeprovisionRequest;
import io.minispod.broker.ProvisionRequest;
import io.minispod.broker.ServiceBroker;
import io.minispod.broker.ServiceBrokerException;
import io.minispod.broker.UnbindRequest;
import io.minispod.broker.UpdateRequest;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Service Broker API's endpoints, parsing each request into broker-core's records and
 * writing its answer with the spec's field names. Authentication and the version header are checked
 * before ({@link BrokerAuthFilter}); refusals are written by {@link BrokerExceptionHandler}.
 */
@RestController
@RequestMapping("/v2")
class BrokerController {

  private static final String IDENTITY = "X-Broker-API-Originating-Identity";
  private static final String INSTANCE = "/service_instances/{instanceId}";
  private static final String BINDING = INSTANCE + "/service_bindings/{bindingId}";

  private final ServiceBroker broker;

  BrokerController(ServiceBroker broker) {
    this.broker = broker;
  }

  @GetMapping("/catalog")
  Map<String, Object> catalog() {
    return OsbBodies.catalog(broker.catalog());
  }

  @PutMapping(INSTANCE)
  ResponseEntity<Map<String, Object>> provision(
      @PathVariable String instanceId,
      @RequestParam(name = "accepts_incomplete", defaultValue = "false") boolean acceptsIncomplete,
      @RequestHeader(name = IDENTITY, required = false) String identity,
      @RequestBody(required = false) Map<String, Object> body) {
    Body request = new Body(body);
    return OsbBodies.operation(
        broker.provision(
            new ProvisionRequest(
                instanceId,
                request.requiredText("service_id"),
                request.requiredText("plan_id"),
                request.object("context"),
                request.text("organization_guid"),
                request.text("space_guid"),
                request.object("parameters"),
                request.maintenanceInfoVersion(),
                acceptsIncomplete,
                OsbBodies.identity(identity))));
  }

  @GetMapping(INSTANCE + "/last_operation")
  Map<String, Object> lastOperation(
      @PathVariable String instanceId,
      @RequestParam(name = "operation", required = false) String operation) {
    return OsbBodies.lastOperation(broker.lastOperation(instanceId, operation));
  }

  @GetMapping(INSTANCE)
  Map<String, Object> instance(@PathVariable String instanceId) {
    return OsbBodies.instance(broker.instance(instanceId));
  }

  @PatchMapping(INSTANCE)
  ResponseEntity<Map<String, Object>> update(
      @PathVariable String instanceId,
      @RequestParam(name = "accepts_incomplete", defaultValue = "false") boolean acceptsIncomplete,
      @RequestHeader(name = IDENTITY, required = false) String identity,
      @RequestBody(required = false) Map<String, Object> body) {
    Body request = new Body(body);
    return OsbBodies.operation(
        broker.update(
            new UpdateRequest(
                instanceId,
                request.requiredText("service_id"),
                request.text("plan_id"),
                request.object("context"),
                request.object("parameters"),
                new Body(request.object("previous_values")).text("plan_id"),
                request.maintenanceInfoVersion(),
                acceptsIncomplete,
                OsbBodies.identity(identity))));
  }

  @DeleteMapping(INSTANCE)
  ResponseEntity<Map<String, Object>> deprovision(
      @PathVariable String instanceId,
      @RequestParam(name = "service_id", required = false) String serviceId,
      @RequestParam(name = "plan_id", required = false) String planId,
      @RequestParam(name = "accepts_incomplete", defaultValue = "false") boolean acceptsIncomplete,
      @RequestHeader(name = IDENTITY, required = false) String identity) {
    requireQuery(serviceId, planId);
    return OsbBodies.operation(
        broker.deprovision(
            new DeprovisionRequest(
                instanceId, serviceId, planId, acceptsIncomplete, OsbBodies.identity(identity))));
  }

  @PutMapping(BINDING)
  ResponseEntity<Map<String, Object>> bind(
      @PathVariable String instanceId,
      @PathVariable String bindingId,
      @RequestBody(required = false) Map<String, Object> body) {
    Body request = new Body(body);
    String appGuid = request.text("app_guid");
    if (appGuid == null) {
      appGuid = new Body(request.object("bind_resource")).text("app_guid");
    }
    return OsbBodies.binding(
        broker.bind(
            new BindRequest(
                instanceId,
                bindingId,
                request.requiredText("service_id"),
                request.requiredText("plan_id"),
                appGuid,
                request.object("parameters"))));
  }

  @GetMapping(BINDING)
  ResponseEntity<Map<String, Object>> binding(
      @PathVariable String instanceId, @PathVariable String bindingId) {
    return OsbBodies.binding(broker.binding(instanceId, bindingId));
  }

  @DeleteMapping(BINDING)
  Map<String, Object> unbind(
      @PathVariable String instanceId,
      @PathVariable String bindingId,
      @RequestParam(name = "service_id", required = false) String serviceId,
      @RequestParam(name = "plan_id", required = false) String planId) {
    requireQuery(serviceId, planId);
    broker.unbind(new UnbindRequest(instanceId, bindingId, serviceId, planId));
    return Map.of();
  }

  private static void requireQuery(String serviceId, String planId) {
    if (serviceId == null || planId == null) {
      throw new ServiceBrokerException(400, null, "service_id and plan_id are required");
    }
  }

  /** A request's JSON object, read field by field with 400 for a field of the wrong type. */
  private record Body(Map<String, Object> fields) {

    Body {
      fields = fields == null ? Map.of() : fields;
    }

    String requiredText(String name) {
      String value = text(name);
      if (value == null || value.isBlank()) {
        throw new ServiceBrokerException(400, null, name + " is required");
      }
      return value;
    }

    String text(String name) {
      Object value = fields.get(name);
      if (value == null || value instanceof String) {
        return (String) value;
      }
      throw new ServiceBrokerException(400, null, name + " must be a string");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String name) {
      Object value = fields.get(name);
      if (value == null || value instanceof Map) {
        return (Map<String, Object>) value;
      }
      throw new ServiceBrokerException(400, null, name + " must be an object");
    }

    String maintenanceInfoVersion() {
      return new Body(object("maintenance_info")).text("version");
    }
  }
}
