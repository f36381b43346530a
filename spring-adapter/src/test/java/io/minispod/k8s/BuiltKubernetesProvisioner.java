package io.minispod.k8s;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a {@link KubernetesProvisioner} was built with, read through its package-private accessors:
 * lets the adapter's tests check what a property binding made without a cluster.
 *
 * @param settings the validated builder settings
 * @param maxAttempts attempts per API call
 * @param initialBackoff the first retry pause
 * @param maxBackoff the longest retry pause
 */
public record BuiltKubernetesProvisioner(
    Settings settings, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  /**
   * Reads a provisioner's configuration.
   *
   * @param provisioner the provisioner
   * @return what it was built with
   */
  public static BuiltKubernetesProvisioner of(KubernetesProvisioner provisioner) {
    ApiRetrier retrier = provisioner.retrier();
    return new BuiltKubernetesProvisioner(
        provisioner.settings(),
        retrier.maxAttempts(),
        retrier.initialBackoff(),
        retrier.maxBackoff());
  }

  /** The base domain. */
  public String baseDomain() {
    return settings.baseDomain();
  }

  /** The IngressClass. */
  public String ingressClass() {
    return settings.ingressClass();
  }

  /** The ingress controller's namespace. */
  public String ingressNamespace() {
    return settings.ingressNamespace();
  }

  /** The cert-manager issuer, or null. */
  public String clusterIssuer() {
    return settings.clusterIssuer();
  }

  /** Whether TLS ends before the ingress controller. */
  public boolean externalTls() {
    return settings.externalTls();
  }

  /** The scheme instances are served on and told. */
  public String scheme() {
    return settings.scheme();
  }

  /** The owner namespaces' prefix. */
  public String namespacePrefix() {
    return settings.namespacePrefix();
  }

  /** The StorageClass, or null. */
  public String storageClass() {
    return settings.storageClass();
  }

  /** The backups' VolumeSnapshotClass, or null. */
  public String volumeSnapshotClass() {
    return settings.volumeSnapshotClass();
  }

  /** The readiness timeout. */
  public Duration readinessTimeout() {
    return settings.readinessTimeout();
  }

  /** The readiness poll interval. */
  public Duration readinessPollInterval() {
    return settings.readinessPollInterval();
  }

  /** The clock. */
  public Clock clock() {
    return settings.clock();
  }

  /** The default scratch space in MiB. */
  public int ephemeralStorageMiB() {
    return settings.ephemeralStorageMiB();
  }

  /** The writable directories by image repository. */
  public Map<String, List<String>> writablePaths() {
    return settings.writablePaths();
  }

  /** The cluster DNS namespace. */
  public String dnsNamespace() {
    return settings.dnsNamespace();
  }

  /** The cluster DNS pod labels. */
  public Map<String, String> dnsPodLabels() {
    return settings.dnsPodLabels();
  }
}
