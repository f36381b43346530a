package io.minispod.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.minispod.FieldErrors;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configures a {@link KubernetesProvisioner}. Only the base domain is required; every other setting
 * has a default that suits a cluster with ingress-nginx. {@link #build()} reports every bad setting
 * at once.
 *
 * <pre>{@code
 * KubernetesProvisioner provisioner =
 *     KubernetesProvisioner.builder()
 *         .baseDomain("apps.example.com")
 *         .ingressClass("nginx")
 *         .clusterIssuer("letsencrypt")
 *         .build();
 * }</pre>
 */
public final class KubernetesProvisionerBuilder {

  private static final Pattern DNS_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern PREFIX = Pattern.compile("[a-z]([-a-z0-9]*)?");
  private static final Pattern DIRECTORY = Pattern.compile("(/[-._a-zA-Z0-9]+)+");
  private static final Pattern LABEL_KEY =
      Pattern.compile(
          "([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  /** The scratch space of a container whose spec names none: 1 GiB. */
  static final int DEFAULT_EPHEMERAL_STORAGE_MIB = 1024;

  /**
   * Directories that images of the seed templates write to besides their volume, for templates that
   * do not name them yet: MySQL's socket and pid directory, n8n's cache of its editor's files.
   */
  static final Map<String, List<String>> DEFAULT_WRITABLE_PATHS =
      Map.of("mysql", List.of("/var/run/mysqld"), "n8nio/n8n", List.of("/home/node/.cache"));

  /**
   * The labels that select the cluster DNS pods unless {@link #clusterDns} names others: {@code
   * k8s-app=kube-dns}, as kubeadm, kind, minikube and the large managed offerings label CoreDNS.
   */
  public static final Map<String, String> DEFAULT_CLUSTER_DNS_POD_LABELS =
      Map.of("k8s-app", "kube-dns");

  private KubernetesClient client;
  private String baseDomain;
  private String ingressClass = "nginx";
  private String clusterIssuer;
  private boolean externalTls;
  private String ingressNamespace = "ingress-nginx";
  private String namespacePrefix = "minispod-";
  private String storageClass;
  private String volumeSnapshotClass;
  private Duration readinessTimeout = Duration.ofMinutes(5);
  private Duration readinessPollInterval = Duration.ofSeconds(5);
  private int maxAttempts = 5;
  private Duration initialBackoff = Duration.ofMillis(200);
  private Duration maxBackoff = Duration.ofSeconds(5);
  private Clock clock = Clock.systemUTC();
  private SecretGenerator secretGenerator = SecretGenerator.SECURE_RANDOM;
  private int listPageSize = 500;
  private int ephemeralStorageMiB = DEFAULT_EPHEMERAL_STORAGE_MIB;
  private final Map<String, List<String>> writablePaths =
      new LinkedHashMap<>(DEFAULT_WRITABLE_PATHS);
  private String dnsNamespace = "kube-system";
  private Map<String, String> dnsPodLabels = DEFAULT_CLUSTER_DNS_POD_LABELS;

  KubernetesProvisionerBuilder() {}

  /**
   * The client to the cluster. Default: a client the provisioner builds and closes itself, from the
   * kubeconfig ({@code KUBECONFIG} or {@code ~/.kube/config}) or, inside a pod, from the service
   * account; its own request retries are turned off because the provisioner retries. A client
   * handed in here is not closed by the provisioner.
   *
   * @param client the client
   * @return this builder
   */
  public KubernetesProvisionerBuilder client(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
    return this;
  }

  /**
   * The domain under which instances get their host names: {@code <subdomain>.<baseDomain>}.
   * Required; a wildcard DNS record for it must point at the ingress controller.
   *
   * @param baseDomain such as {@code apps.example.com}
   * @return this builder
   */
  public KubernetesProvisionerBuilder baseDomain(String baseDomain) {
    this.baseDomain = Objects.requireNonNull(baseDomain, "baseDomain");
    return this;
  }

  /**
   * The IngressClass of the instances' Ingresses. Default: {@code nginx}.
   *
   * @param ingressClass the class name
   * @return this builder
   */
  public KubernetesProvisionerBuilder ingressClass(String ingressClass) {
    this.ingressClass = Objects.requireNonNull(ingressClass, "ingressClass");
    return this;
  }

  /**
   * A cert-manager ClusterIssuer: each Ingress then asks it for a certificate and serves TLS, and
   * URLs use {@code https}. Default: none.
   *
   * @param clusterIssuer the issuer's name, or {@code null} for none
   * @return this builder
   */
  public KubernetesProvisionerBuilder clusterIssuer(String clusterIssuer) {
    this.clusterIssuer = clusterIssuer;
    return this;
  }

  /**
   * Whether TLS is terminated before the ingress controller (a load balancer, or the controller's
   * default wildcard certificate), so URLs use {@code https} without a cert-manager issuer.
   * Default: {@code false} (URLs use {@code http} unless an issuer is set).
   *
   * @param externalTls whether instances are served over TLS anyway
   * @return this builder
   */
  public KubernetesProvisionerBuilder externalTls(boolean externalTls) {
    this.externalTls = externalTls;
    return this;
  }

  /**
   * The namespace the ingress controller runs in: the only source of traffic to an app. Default:
   * {@code ingress-nginx}.
   *
   * @param ingressNamespace the namespace name
   * @return this builder
   */
  public KubernetesProvisionerBuilder ingressNamespace(String ingressNamespace) {
    this.ingressNamespace = Objects.requireNonNull(ingressNamespace, "ingressNamespace");
    return this;
  }

  /**
   * What every owner namespace starts with; the rest is a hash of the owner id. Default: {@code
   * minispod-}.
   *
   * @param namespacePrefix lower-case letters, digits and dashes, starting with a letter, at most
   *     40 characters
   * @return this builder
   */
  public KubernetesProvisionerBuilder namespacePrefix(String namespacePrefix) {
    this.namespacePrefix = Objects.requireNonNull(namespacePrefix, "namespacePrefix");
    return this;
  }

  /**
   * The StorageClass of the instances' volumes; it should allow volume expansion, or upgrades that
   * add storage are refused. Default: the cluster's default class.
   *
   * @param storageClass the class name, or {@code null} for the cluster default
   * @return this builder
   */
  public KubernetesProvisionerBuilder storageClass(String storageClass) {
    this.storageClass = storageClass;
    return this;
  }

  /**
   * The VolumeSnapshotClass of backups' snapshots ({@link KubernetesProvisioner#backUp}); it must
   * belong to the CSI driver of the volumes' StorageClass. Default: the cluster's default class
   * (the one annotated {@code snapshot.storage.kubernetes.io/is-default-class}).
   *
   * @param volumeSnapshotClass the class name, or {@code null} for the cluster default
   * @return this builder
   */
  public KubernetesProvisionerBuilder volumeSnapshotClass(String volumeSnapshotClass) {
    this.volumeSnapshotClass = volumeSnapshotClass;
    return this;
  }

  /**
   * How long provisioning and resizing wait for an instance to become available. Default: 5
   * minutes.
   *
   * @param timeout a positive duration
   * @return this builder
   */
  public KubernetesProvisionerBuilder readinessTimeout(Duration timeout) {
    this.readinessTimeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /**
   * How often, while waiting for readiness, pod status is read to fail early when waiting cannot
   * help (an image that cannot be pulled). Default: 5 seconds.
   *
   * @param interval a positive duration
   * @return this builder
   */
  public KubernetesProvisionerBuilder readinessPollInterval(Duration interval) {
    this.readinessPollInterval = Objects.requireNonNull(interval, "interval");
    return this;
  }

  /**
   * How API calls that fail transiently (5xx, 409, 429, timeouts, broken connections) are retried:
   * exponential backoff with jitter. Default: 5 attempts, from 200 ms up to 5 s.
   *
   * @param maxAttempts attempts per call, from 1 to 100
   * @param initialBackoff the first pause, positive
   * @param maxBackoff the longest pause, at least the first
   * @return this builder
   */
  public KubernetesProvisionerBuilder retries(
      int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    this.maxAttempts = maxAttempts;
    this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
    this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
    return this;
  }

  /**
   * The clock that dates when an instance was first ready. Default: the system clock in UTC.
   *
   * @param clock the clock
   * @return this builder
   */
  public KubernetesProvisionerBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * The scratch space (Kubernetes {@code ephemeral-storage}) of a container whose spec names none
   * ({@link io.minispod.provisioner.ContainerSpec#ephemeralStorageMiB()}): its requests and limits,
   * the {@code sizeLimit} of each of its {@code emptyDir} volumes, and its share of the namespace's
   * quota. Default: 1024 MiB.
   *
   * @param mib from 1 to 1048576
   * @return this builder
   */
  public KubernetesProvisionerBuilder defaultEphemeralStorageMiB(int mib) {
    this.ephemeralStorageMiB = mib;
    return this;
  }

  /**
   * Directories that containers of an image write to besides their volume, made writable (each an
   * {@code emptyDir}) on top of those their spec names ({@link
   * io.minispod.provisioner.ContainerSpec#writablePaths()}) and {@code /tmp}, which every container
   * gets; the rest of the root file system is read-only. Defaults: {@code mysql} gets {@code
   * /var/run/mysqld}, {@code n8nio/n8n} gets {@code /home/node/.cache}.
   *
   * @param imageRepository the image without tag or digest, such as {@code mysql} or {@code
   *     ghcr.io/example/app} (Docker Hub's {@code docker.io/} and {@code docker.io/library/} may be
   *     left out)
   * @param paths absolute directories; an empty list removes the image's entry
   * @return this builder
   */
  public KubernetesProvisionerBuilder writablePaths(String imageRepository, List<String> paths) {
    Objects.requireNonNull(imageRepository, "imageRepository");
    if (paths.isEmpty()) {
      writablePaths.remove(imageRepository);
    } else {
      writablePaths.put(imageRepository, List.copyOf(paths));
    }
    return this;
  }

  /**
   * Where the cluster DNS runs: the only destination of the instances' DNS queries (port 53, UDP
   * and TCP). Default: pods labelled {@code k8s-app=kube-dns} in {@code kube-system}, as kubeadm,
   * kind, minikube and the large managed offerings label CoreDNS.
   *
   * @param namespace the DNS pods' namespace
   * @param podLabels labels that select the DNS pods, at least one
   * @return this builder
   */
  public KubernetesProvisionerBuilder clusterDns(String namespace, Map<String, String> podLabels) {
    this.dnsNamespace = Objects.requireNonNull(namespace, "namespace");
    this.dnsPodLabels = Map.copyOf(podLabels);
    return this;
  }

  KubernetesProvisionerBuilder secretGenerator(SecretGenerator secretGenerator) {
    this.secretGenerator = Objects.requireNonNull(secretGenerator, "secretGenerator");
    return this;
  }

  /** How many objects one list call asks for at most (kubectl's chunk size by default). */
  KubernetesProvisionerBuilder listPageSize(int listPageSize) {
    this.listPageSize = listPageSize;
    return this;
  }

  /**
   * Builds the provisioner.
   *
   * <p>The provisioner reads once whether its StorageClass allows volume expansion and whether the
   * cluster serves VolumeSnapshots, and logs both ({@link KubernetesProvisioner#canGrowStorage()},
   * {@link KubernetesProvisioner#supportsBackups()}): one request each, retried only by the client
   * itself (see {@link #client}); a cluster it cannot reach then is no error.
   *
   * @return the provisioner
   * @throws io.minispod.ValidationException naming every bad setting
   */
  public KubernetesProvisioner build() {
    FieldErrors errors = new FieldErrors();
    errors.require(
        baseDomain != null && baseDomain.length() <= 200 && DNS_NAME.matcher(baseDomain).matches(),
        "baseDomain",
        "must be a lower-case DNS name such as apps.example.com, was " + baseDomain);
    errors.require(
        DNS_NAME.matcher(ingressClass).matches(),
        "ingressClass",
        "must be an IngressClass name, was " + ingressClass);
    errors.require(
        clusterIssuer == null || DNS_NAME.matcher(clusterIssuer).matches(),
        "clusterIssuer",
        "must be a ClusterIssuer name, was " + clusterIssuer);
    errors.require(
        DNS_LABEL.matcher(ingressNamespace).matches() && ingressNamespace.length() <= 63,
        "ingressNamespace",
        "must be a namespace name, was " + ingressNamespace);
    errors.require(
        PREFIX.matcher(namespacePrefix).matches() && namespacePrefix.length() <= 40,
        "namespacePrefix",
        "must be lower-case letters, digits and dashes starting with a letter, at most 40"
            + " characters, was "
            + namespacePrefix);
    errors.require(
        storageClass == null || DNS_NAME.matcher(storageClass).matches(),
        "storageClass",
        "must be a StorageClass name, was " + storageClass);
    errors.require(
        volumeSnapshotClass == null || DNS_NAME.matcher(volumeSnapshotClass).matches(),
        "volumeSnapshotClass",
        "must be a VolumeSnapshotClass name, was " + volumeSnapshotClass);
    errors.require(
        readinessTimeout.toMillis() > 0,
        "readinessTimeout",
        "must be positive, was " + readinessTimeout);
    errors.require(
        readinessPollInterval.toMillis() > 0,
        "readinessPollInterval",
        "must be positive, was " + readinessPollInterval);
    errors.require(
        maxAttempts >= 1 && maxAttempts <= 100,
        "maxAttempts",
        "must be from 1 to 100, was " + maxAttempts);
    errors.require(
        initialBackoff.toMillis() > 0, "initialBackoff", "must be positive, was " + initialBackoff);
    errors.require(
        maxBackoff.compareTo(initialBackoff) >= 0,
        "maxBackoff",
        "must be at least the initial backoff " + initialBackoff + ", was " + maxBackoff);
    errors.require(listPageSize > 0, "listPageSize", "must be positive, was " + listPageSize);
    errors.require(
        ephemeralStorageMiB >= 1 && ephemeralStorageMiB <= 1_048_576,
        "ephemeralStorageMiB",
        "must be from 1 to 1048576, was " + ephemeralStorageMiB);
    writablePaths.forEach(
        (image, paths) ->
            errors.require(
                paths.stream().allMatch(KubernetesProvisionerBuilder::isDirectory),
                "writablePaths",
                "must be absolute directories such as /var/run/app, was "
                    + paths
                    + " for "
                    + image));
    errors.require(
        DNS_LABEL.matcher(dnsNamespace).matches() && dnsNamespace.length() <= 63,
        "dnsNamespace",
        "must be a namespace name, was " + dnsNamespace);
    errors.require(
        !dnsPodLabels.isEmpty()
            && dnsPodLabels.entrySet().stream()
                .allMatch(
                    e ->
                        LABEL_KEY.matcher(e.getKey()).matches()
                            && LABEL_VALUE.matcher(e.getValue()).matches()),
        "dnsPodLabels",
        "must be at least one valid label selecting the DNS pods, was " + dnsPodLabels);
    errors.throwIfAny();
    Settings settings =
        new Settings(
            baseDomain,
            ingressClass,
            clusterIssuer,
            externalTls,
            ingressNamespace,
            namespacePrefix,
            storageClass,
            volumeSnapshotClass,
            readinessTimeout,
            readinessPollInterval,
            clock,
            listPageSize,
            ephemeralStorageMiB,
            writablePaths,
            dnsNamespace,
            dnsPodLabels);
    boolean ownsClient = client == null;
    KubernetesClient chosen = ownsClient ? defaultClient() : client;
    KubernetesProvisioner provisioner =
        new KubernetesProvisioner(
            chosen,
            ownsClient,
            settings,
            secretGenerator,
            new ApiRetrier(
                maxAttempts,
                initialBackoff,
                maxBackoff,
                duration -> Thread.sleep(duration.toMillis())));
    provisioner.reportStorageExpansion();
    provisioner.reportSnapshotSupport();
    return provisioner;
  }

  /** An absolute path without {@code .} or {@code ..} parts. */
  private static boolean isDirectory(String path) {
    return DIRECTORY.matcher(path).matches()
        && Arrays.stream(path.substring(1).split("/"))
            .noneMatch(part -> part.equals(".") || part.equals(".."));
  }

  private static KubernetesClient defaultClient() {
    Config config = Config.autoConfigure(null);
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
