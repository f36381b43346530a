package io.minispod.spring.broker;

import io.minispod.broker.LastOperation;
import io.minispod.broker.OperationResponse;
import io.minispod.broker.OriginatingIdentity;
import io.minispod.broker.ServiceBinding;
import io.minispod.broker.ServiceBrokerException;
import io.minispod.broker.ServiceInstance;
import io.minispod.broker.ServiceOffering;
import io.minispod.broker.ServicePlan;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON bodies of the Open Service Broker API, with the spec's field names, from broker-core's
 * records; and the originating identity header, decoded.
 */
final class OsbBodies {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private OsbBodies() {}

  static Map<String, Object> catalog(List<ServiceOffering> offerings) {
    return Map.of("services", offerings.stream().map(OsbBodies::offering).toList());
  }

  private static Map<String, Object> offering(ServiceOffering o) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", o.id());
    body.put("name", o.name());
    body.put("description", o.description());
    body.put("tags", o.tags());
    body.put("bindable", o.bindable());
    body.put("instances_retrievable", o.instancesRetrievable());
    body.put("bindings_retrievable", o.bindingsRetrievable());
    body.put("plan_updateable", o.planUpdateable());
    body.put("metadata", o.metadata());
    body.put("plans", o.plans().stream().map(OsbBodies::plan).toList());
    return body;
  }

  private static Map<String, Object> plan(ServicePlan p) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", p.id());
    body.put("name", p.name());
    body.put("description", p.description());
    body.put("free", p.free());
    body.put("plan_updateable", p.planUpdateable());
    body.put("metadata", p.metadata());
    return body;
  }

  static ResponseEntity<Map<String, Object>> operation(OperationResponse r) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (r.dashboardUrl() != null) {
      body.put("dashboard_url", r.dashboardUrl());
    }
    if (r.operation() != null) {
      body.put("operation", r.operation());
    }
    return ResponseEntity.status(r.status()).body(body);
  }

  static Map<String, Object> lastOperation(LastOperation last) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("state", last.state().value());
    if (last.description() != null) {
      body.put("description", last.description());
    }
    return body;
  }

  static Map<String, Object> instance(ServiceInstance i) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service_id", i.serviceId());
    body.put("plan_id", i.planId());
    if (i.dashboardUrl() != null) {
      body.put("dashboard_url", i.dashboardUrl());
    }
    body.put("parameters", i.parameters());
    return body;
  }

  static ResponseEntity<Map<String, Object>> binding(ServiceBinding b) {
    return ResponseEntity.status(b.status()).body(Map.of("credentials", b.credentials()));
  }

  static Map<String, Object> error(ServiceBrokerException e) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (e.error() != null) {
      body.put("error", e.error());
    }
    body.put("description", e.description());
    return body;
  }

  /** Writes an error where no controller runs (the authentication filter). */
  static void write(HttpServletResponse response, ServiceBrokerException e) throws IOException {
    response.setStatus(e.status());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(JSON.writeValueAsString(error(e)));
  }

  /**
   * The {@code X-Broker-API-Originating-Identity} header, decoded.
   *
   * @return the identity, or {@code null} when the header is absent
   * @throws ServiceBrokerException 400 when it is not {@code platform base64(json object)}
   */
  static OriginatingIdentity identity(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String[] parts = header.trim().split("\\s+", 2);
    try {
      if (parts.length == 2) {
        String json = new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        return new OriginatingIdentity(
            parts[0], JSON.readValue(json, new TypeReference<Map<String, Object>>() {}));
      }
    } catch (IllegalArgumentException | JacksonException e) {
      // answered below
    }
    throw new ServiceBrokerException(
        400,
        null,
        "X-Broker-API-Originating-Identity must be 'platform value', the value a Base64-encoded"
            + " JSON object");
  }
}
