package io.minispod.broker;

import java.util.Map;
import java.util.Objects;

/**
 * The {@code X-Broker-API-Originating-Identity} header of a request: the platform and the
 * platform's user that took the action, decoded from its Base64 JSON by the HTTP layer.
 *
 * @param platform the platform, such as {@code cloudfoundry} or {@code kubernetes}
 * @param properties the decoded JSON object, such as {@code {"user_id": "…"}} (Cloud Foundry) or
 *     {@code {"username": "…", "uid": "…"}} (Kubernetes)
 */
public record OriginatingIdentity(String platform, Map<String, Object> properties) {

  /** Checks the platform and copies the properties. */
  public OriginatingIdentity {
    Objects.requireNonNull(platform, "platform");
    properties = Requests.copy(properties);
  }
}
