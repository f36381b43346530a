package io.minispod.k8s;

import io.minispod.provisioner.ContainerSpec;
import io.minispod.provisioner.InstanceSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The configuration a {@link KubernetesProvisionerBuilder} collected, validated. {@code
 * listPageSize} is how many objects one list call asks the API server for at most; {@code
 * ephemeralStorageMiB} the scratch space of a container whose spec names none; {@code
 * writablePaths} the directories, by image repository, that are writable besides what a container's
 * spec names; {@code dnsNamespace} and {@code dnsPodLabels} where the cluster DNS runs; {@code
 * volumeSnapshotClass} the class of backups' VolumeSnapshots (null for the cluster's default).
 */
record Settings(
    String baseDomain,
    String ingressClass,
    String clusterIssuer,
    boolean externalTls,
    String ingressNamespace,
    String namespacePrefix,
    String storageClass,
    String volumeSnapshotClass,
    Duration readinessTimeout,
    Duration readinessPollInterval,
    Clock clock,
    int listPageSize,
    int ephemeralStorageMiB,
    Map<String, List<String>> writablePaths,
    String dnsNamespace,
    Map<String, String> dnsPodLabels) {

  Settings {
    writablePaths = Map.copyOf(writablePaths);
    dnsPodLabels = Map.copyOf(dnsPodLabels);
  }

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

  /** The host the app is told it is served on: its custom domain when it has one. */
  String publicHost(InstanceSpec spec) {
    return spec.customDomain() == null ? host(spec) : spec.customDomain();
  }

  String publicUrl(InstanceSpec spec) {
    return scheme() + "://" + publicHost(spec);
  }

  /** Whether a host name is the base domain or lies under it, where instances get their hosts. */
  boolean inBaseDomain(String host) {
    return host.equals(baseDomain) || host.endsWith("." + baseDomain);
  }

  String namespace(String ownerId) {
    return Names.namespace(namespacePrefix, ownerId);
  }

  /** The container's scratch space: its spec's, or the configured default. */
  int ephemeralStorageMiB(ContainerSpec c) {
    return c.ephemeralStorageMiB() == null ? ephemeralStorageMiB : c.ephemeralStorageMiB();
  }

  /** The directories configured as writable for the container's image, whatever its spec says. */
  List<String> writablePathsOfImage(ContainerSpec c) {
    return writablePaths.getOrDefault(repository(c.image()), List.of());
  }

  /**
   * An image reference without tag or digest, Docker Hub's implicit prefixes dropped: {@code
   * docker.io/library/mysql:8.4.3} and {@code mysql@sha256:…} are both {@code mysql}.
   */
  static String repository(String image) {
    String name = image;
    int digest = name.indexOf('@');
    if (digest >= 0) {
      name = name.substring(0, digest);
    }
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      name = name.substring(0, colon);
    }
    for (String implicit : List.of("docker.io/library/", "docker.io/")) {
      if (name.startsWith(implicit)) {
        return name.substring(implicit.length());
      }
    }
    return name;
  }
}
