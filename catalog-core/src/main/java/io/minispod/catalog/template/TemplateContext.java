package io.minispod.catalog.template;

import java.util.Map;
import java.util.Objects;

/**
 * What a provisioner knows about one instance, to fill in the placeholders of its template's
 * environment (see {@link AppTemplate}).
 *
 * @param host the instance's public host name, such as {@code k3x9q2.apps.example.com}
 * @param protocol {@code https} when the instance is served with TLS, {@code http} otherwise
 * @param secretValues the value of each {@link GeneratedSecret} of the template, by name
 * @param companionHosts the host name under which each companion is reached from the app (in
 *     Kubernetes, its Service name), by companion name
 */
public record TemplateContext(
    String host,
    String protocol,
    Map<String, String> secretValues,
    Map<String, String> companionHosts) {

  /**
   * Copies the maps; {@code null} maps become empty.
   *
   * @throws NullPointerException if the host or the protocol is {@code null}
   */
  public TemplateContext {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(protocol, "protocol");
    secretValues = secretValues == null ? Map.of() : Map.copyOf(secretValues);
    companionHosts = companionHosts == null ? Map.of() : Map.copyOf(companionHosts);
  }

  /**
   * The instance's public URL, without a trailing slash.
   *
   * @return {@code protocol://host}
   */
  public String url() {
    return protocol + "://" + host;
  }
}
