package io.minispod.k8s;

import io.minispod.provisioner.InstanceSpec;
import java.time.Clock;
import java.time.Duration;

/**
 * The configuration a {@link KubernetesProvisionerBuilder} collected, validated. {@code
 * listPageSize} is how many objects one list call asks the API server for at most.
 */
record Settings(
    String baseDomain,
    String ingressClass,
    String clusterIssuer,
    boolean externalTls,
    String ingressNamespace,
    String namespacePrefix,
    String storageClass,
    Duration readinessTimeout,
    Duration readinessPollInterval,
    Clock clock,
    int listPageSize) {

  /** {@code https} when TLS is served (by cert-manager or in front of the ingress). */
  String scheme() {
    return clusterIssuer != null || externalTls ? "https" : "http";
  }

  String host(InstanceSpec spec) {
    return spec.subdomain() + "." + baseDomain;
  }

  String url(InstanceSpec spec) {
    return scheme() + "://" + host(spec);
  }

  String namespace(String ownerId) {
    return Names.namespace(namespacePrefix, ownerId);
  }
}
