package io.minispod.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/**
 * The {@code minispod.*} properties: how the auto-configuration builds the MinisPod services.
 *
 * <p>Every property has a default but two, which a host with a PostgreSQL {@code DataSource} must
 * set unless it declares the bean instead: {@code minispod.provisioner.type} (or a {@code
 * Provisioner} bean) and {@code minispod.payment.gateway} (or a {@code PaymentGateway} bean).
 * Without either, start-up fails naming the property.
 */
@ConfigurationProperties(prefix = "minispod")
public class MinisPodProperties {

  /** Whether to migrate every MinisPod module's schema at start-up (never the host's own). */
  private boolean migrate = true;

  /** Whether to load the seed catalog (n8n, Ghost) at start-up; idempotent. */
  private boolean seedCatalog = false;

  /** Whether to run the workflow runner and the health monitor in the background. */
  private boolean background = true;

  /** How many live instances one user may hold, unless minispod.user-limits.instances is set. */
  private long instancesPerUser = 10;

  private final ClusterCapacity clusterCapacity = new ClusterCapacity();
  private final UserLimits userLimits = new UserLimits();
  private final Provisioner provisioner = new Provisioner();
  private final Payment payment = new Payment();
  private final HealthCheck healthCheck = new HealthCheck();
  private final Cache cache = new Cache();
  private final Web web = new Web();
  private final Workflows workflows = new Workflows();
  private final Dunning dunning = new Dunning();
  private final Backups backups = new Backups();

  /** Minor-unit scales per ISO 4217 currency code, overriding the JDK's (e.g. {@code IDR: 0}). */
  private Map<String, Integer> currencyScales = new LinkedHashMap<>();

  /**
   * Whether the schemas are migrated at start-up.
   *
   * @return true to migrate
   */
  public boolean isMigrate() {
    return migrate;
  }

  /**
   * Sets whether the schemas are migrated at start-up.
   *
   * @param migrate true to migrate
   */
  public void setMigrate(boolean migrate) {
    this.migrate = migrate;
  }

  /**
   * Whether the seed catalog is loaded.
   *
   * @return true to seed
   */
  public boolean isSeedCatalog() {
    return seedCatalog;
  }

  /**
   * Sets whether the seed catalog is loaded.
   *
   * @param seedCatalog true to seed
   */
  public void setSeedCatalog(boolean seedCatalog) {
    this.seedCatalog = seedCatalog;
  }

  /**
   * Whether background work runs.
   *
   * @return true to run it
   */
  public boolean isBackground() {
    return background;
  }

  /**
   * Sets whether background work runs.
   *
   * @param background true to run it
   */
  public void setBackground(boolean background) {
    this.background = background;
  }

  /**
   * The live-instance limit per user, used when {@code minispod.user-limits.instances} is not set.
   *
   * @return the limit
   */
  @DeprecatedConfigurationProperty(
      replacement = "minispod.user-limits.instances",
      reason = "The per-user limits are grouped under minispod.user-limits; this still works.")
  public long getInstancesPerUser() {
    return instancesPerUser;
  }

  /**
   * Sets the live-instance limit per user.
   *
   * @param instancesPerUser the limit, at least 1
   */
  public void setInstancesPerUser(long instancesPerUser) {
    this.instancesPerUser = instancesPerUser;
  }

  /**
   * What the cluster can hold in all: {@code minispod.cluster-capacity.*}.
   *
   * @return the cluster capacity settings
   */
  public ClusterCapacity getClusterCapacity() {
    return clusterCapacity;
  }

  /**
   * What each user may hold at once: {@code minispod.user-limits.*}. A host {@code
   * io.minispod.subscription.UserLimits} bean replaces them.
   *
   * @return the per-user limit settings
   */
  public UserLimits getUserLimits() {
    return userLimits;
  }

  /**
   * The provisioner settings.
   *
   * @return the provisioner settings
   */
  public Provisioner getProvisioner() {
    return provisioner;
  }

  /**
   * The payment settings.
   *
   * @return the payment settings
   */
  public Payment getPayment() {
    return payment;
  }

  /**
   * The health-check settings.
   *
   * @return the health-check settings
   */
  public HealthCheck getHealthCheck() {
    return healthCheck;
  }

  /**
   * The cache settings.
   *
   * @return the cache settings
   */
  public Cache getCache() {
    return cache;
  }

  /**
   * The HTTP settings.
   *
   * @return the HTTP settings
   */
  public Web getWeb() {
    return web;
  }

  /**
   * Workflow and reconciler settings.
   *
   * @return {@code minispod.workflows.*}
   */
  public Workflows getWorkflows() {
    return workflows;
  }

  /**
   * Backups of instances whose plan has the {@code backups} feature.
   *
   * @return the backup settings
   */
  public Backups getBackups() {
    return backups;
  }

  /**
   * What happens after a declined renewal.
   *
   * @return {@code minispod.dunning.*}
   */
  public Dunning getDunning() {
    return dunning;
  }

  /**
   * The currency scale overrides.
   *
   * @return code to number of minor-unit digits
   */
  public Map<String, Integer> getCurrencyScales() {
    return currencyScales;
  }

  /**
   * Sets the currency scale overrides.
   *
   * @param currencyScales code to number of minor-unit digits
   */
  public void setCurrencyScales(Map<String, Integer> currencyScales) {
    this.currencyScales = currencyScales;
  }

  /** Which {@code Provisioner} the auto-configuration builds when the host declares none. */
  public static class Provisioner {

    /**
     * {@code kubernetes}, or {@code in-memory} for development (it runs nothing); required unless
     * the host declares a {@code Provisioner} bean.
     */
    private String type;

    /** The domain under which instances get their host names. */
    private String baseDomain = "apps.localhost";

    private final Kubernetes kubernetes = new Kubernetes();

    /**
     * The Kubernetes provisioner's settings, used when {@code type} is {@code kubernetes}.
     *
     * @return {@code minispod.provisioner.kubernetes.*}
     */
    public Kubernetes getKubernetes() {
      return kubernetes;
    }

    /**
     * The provisioner type.
     *
     * @return {@code in-memory}, {@code kubernetes} or null when unset
     */
    public String getType() {
      return type;
    }

    /**
     * Sets the provisioner type.
     *
     * @param type {@code in-memory} or {@code kubernetes}
     */
    public void setType(String type) {
      this.type = type;
    }

    /**
     * The base domain of instance URLs.
     *
     * @return the domain
     */
    public String getBaseDomain() {
      return baseDomain;
    }

    /**
     * Sets the base domain of instance URLs.
     *
     * @param baseDomain the domain
     */
    public void setBaseDomain(String baseDomain) {
      this.baseDomain = baseDomain;
    }
  }

  /**
   * What the whole cluster can hold, the capacity every instance's resources are taken from (see
   * {@code SubscriptionsBuilder.clusterCapacity}).
   */
  public static class ClusterCapacity {

    /** CPU of the cluster, in millicores. */
    private int cpuMillicores = 64_000;

    /** Memory of the cluster, in MiB. */
    private int memoryMib = 262_144;

    /** Storage of the cluster, in GiB. */
    private int storageGib = 10_000;

    /**
     * The cluster's CPU.
     *
     * @return millicores
     */
    public int getCpuMillicores() {
      return cpuMillicores;
    }

    /**
     * Sets the cluster's CPU.
     *
     * @param cpuMillicores positive
     */
    public void setCpuMillicores(int cpuMillicores) {
      this.cpuMillicores = cpuMillicores;
    }

    /**
     * The cluster's memory.
     *
     * @return MiB
     */
    public int getMemoryMib() {
      return memoryMib;
    }

    /**
     * Sets the cluster's memory.
     *
     * @param memoryMib positive
     */
    public void setMemoryMib(int memoryMib) {
      this.memoryMib = memoryMib;
    }

    /**
     * The cluster's storage.
     *
     * @return GiB
     */
    public int getStorageGib() {
      return storageGib;
    }

    /**
     * Sets the cluster's storage.
     *
     * @param storageGib zero or more
     */
    public void setStorageGib(int storageGib) {
      this.storageGib = storageGib;
    }
  }

  /**
   * What each user may hold at once, summed over their live instances (the quota pools {@code
   * user:<id>:*}); the same for every user. A figure left unset sets no limit, except {@code
   * instances}, which falls back to {@code minispod.instances-per-user} (10). A host that needs
   * limits per user declares an {@code io.minispod.subscription.UserLimits} bean instead, and these
   * are then ignored.
   */
  public static class UserLimits {

    /** Live instances per user, at least 1; unset: minispod.instances-per-user (default 10). */
    private Long instances;

    /** CPU per user in millicores, at least 1; unset: no limit. */
    private Long cpuMillicores;

    /** Memory per user in MiB, at least 1; unset: no limit. */
    private Long memoryMib;

    /** Storage per user in GiB, at least 1; unset: no limit. */
    private Long storageGib;

    /**
     * The live-instance limit per user.
     *
     * @return the limit, or null when unset
     */
    public Long getInstances() {
      return instances;
    }

    /**
     * Sets the live-instance limit per user.
     *
     * @param instances at least 1
     */
    public void setInstances(Long instances) {
      this.instances = instances;
    }

    /**
     * The CPU limit per user.
     *
     * @return millicores, or null for no limit
     */
    public Long getCpuMillicores() {
      return cpuMillicores;
    }

    /**
     * Sets the CPU limit per user.
     *
     * @param cpuMillicores at least 1
     */
    public void setCpuMillicores(Long cpuMillicores) {
      this.cpuMillicores = cpuMillicores;
    }

    /**
     * The memory limit per user.
     *
     * @return MiB, or null for no limit
     */
    public Long getMemoryMib() {
      return memoryMib;
    }

    /**
     * Sets the memory limit per user.
     *
     * @param memoryMib at least 1
     */
    public void setMemoryMib(Long memoryMib) {
      this.memoryMib = memoryMib;
    }

    /**
     * The storage limit per user.
     *
     * @return GiB, or null for no limit
     */
    public Long getStorageGib() {
      return storageGib;
    }

    /**
     * Sets the storage limit per user.
     *
     * @param storageGib at least 1
     */
    public void setStorageGib(Long storageGib) {
      this.storageGib = storageGib;
    }
  }

  /**
   * The settings of {@code io.minispod.k8s.KubernetesProvisionerBuilder}, one property per setting
   * (its base domain is {@code minispod.provisioner.base-domain}). The defaults are the builder's;
   * the builder validates the values and reports every bad one at start-up.
   */
  public static class Kubernetes {

    /** The IngressClass of the instances' Ingresses. */
    private String ingressClass = "nginx";

    /** The namespace the ingress controller runs in: the only source of traffic to an app. */
    private String ingressNamespace = "ingress-nginx";

    /**
     * A cert-manager ClusterIssuer: each Ingress then gets a certificate and serves TLS, and
     * instances are told {@code https} URLs. Unset: no issuer.
     */
    private String clusterIssuer;

    /**
     * Whether TLS is terminated before the ingress controller (a load balancer, the controller's
     * wildcard certificate), so instances are told {@code https} URLs without an issuer.
     */
    private boolean externalTls = false;

    /** What every owner namespace starts with; the rest is a hash of the owner id. */
    private String namespacePrefix = "minispod-";

    /**
     * The StorageClass of the instances' volumes; it should allow volume expansion, or upgrades
     * that grow storage are refused. Unset: the cluster's default class.
     */
    private String storageClass;

    /**
     * The VolumeSnapshotClass of backups' snapshots; it must belong to the CSI driver of the
     * volumes' StorageClass. Unset: the cluster's default class.
     */
    private String volumeSnapshotClass;

    /** How long provisioning and resizing wait for an instance to become available. */
    private Duration readinessTimeout = Duration.ofMinutes(5);

    /** How often pod status is read while waiting, to fail early when waiting cannot help. */
    private Duration readinessPollInterval = Duration.ofSeconds(5);

    /** Attempts per API call that fails transiently (5xx, 409, 429, timeouts), from 1 to 100. */
    private int maxAttempts = 5;

    /** The first pause between two attempts of an API call; pauses double with jitter. */
    private Duration initialBackoff = Duration.ofMillis(200);

    /** The longest pause between two attempts of an API call. */
    private Duration maxBackoff = Duration.ofSeconds(5);

    /** The scratch space (ephemeral-storage) of a container whose spec names none, in MiB. */
    private int defaultEphemeralStorageMib = 1024;

    /**
     * Directories that an image's containers may write to besides their volume and {@code /tmp}, by
     * image repository (such as {@code ghcr.io/acme/app}); added to the builder's defaults for
     * {@code mysql} and {@code n8nio/n8n}, and an empty list removes an image's entry.
     */
    private Map<String, List<String>> writablePaths = new LinkedHashMap<>();

    /** The namespace of the cluster DNS pods, the only destination of DNS queries. */
    private String clusterDnsNamespace = "kube-system";

    /**
     * Labels that select the cluster DNS pods in {@code cluster-dns-namespace}. Unset: {@code
     * k8s-app=kube-dns}.
     */
    private Map<String, String> clusterDnsPodLabels;

    /**
     * The IngressClass.
     *
     * @return the class name
     */
    public String getIngressClass() {
      return ingressClass;
    }

    /**
     * Sets the IngressClass.
     *
     * @param ingressClass the class name
     */
    public void setIngressClass(String ingressClass) {
      this.ingressClass = ingressClass;
    }

    /**
     * The ingress controller's namespace.
     *
     * @return the namespace
     */
    public String getIngressNamespace() {
      return ingressNamespace;
    }

    /**
     * Sets the ingress controller's namespace.
     *
     * @param ingressNamespace the namespace
     */
    public void setIngressNamespace(String ingressNamespace) {
      this.ingressNamespace = ingressNamespace;
    }

    /**
     * The cert-manager ClusterIssuer.
     *
     * @return the issuer
     */
    public String getClusterIssuer() {
      return clusterIssuer;
    }

    /**
     * Sets the cert-manager ClusterIssuer.
     *
     * @param clusterIssuer the issuer, or null for none
     */
    public void setClusterIssuer(String clusterIssuer) {
      this.clusterIssuer = clusterIssuer;
    }

    /**
     * Whether TLS ends before the ingress controller.
     *
     * @return whether it does
     */
    public boolean isExternalTls() {
      return externalTls;
    }

    /**
     * Sets whether TLS ends before the ingress controller.
     *
     * @param externalTls true when it does
     */
    public void setExternalTls(boolean externalTls) {
      this.externalTls = externalTls;
    }

    /**
     * The owner namespaces' prefix.
     *
     * @return the prefix
     */
    public String getNamespacePrefix() {
      return namespacePrefix;
    }

    /**
     * Sets the owner namespaces' prefix.
     *
     * @param namespacePrefix the prefix
     */
    public void setNamespacePrefix(String namespacePrefix) {
      this.namespacePrefix = namespacePrefix;
    }

    /**
     * The volumes' StorageClass.
     *
     * @return the class
     */
    public String getStorageClass() {
      return storageClass;
    }

    /**
     * Sets the volumes' StorageClass.
     *
     * @param storageClass the class, or null for the cluster default
     */
    public void setStorageClass(String storageClass) {
      this.storageClass = storageClass;
    }

    /**
     * The backups' VolumeSnapshotClass.
     *
     * @return the class, or null for the cluster default
     */
    public String getVolumeSnapshotClass() {
      return volumeSnapshotClass;
    }

    /**
     * Sets the backups' VolumeSnapshotClass.
     *
     * @param volumeSnapshotClass the class, or null for the cluster default
     */
    public void setVolumeSnapshotClass(String volumeSnapshotClass) {
      this.volumeSnapshotClass = volumeSnapshotClass;
    }

    /**
     * The readiness timeout.
     *
     * @return a positive duration
     */
    public Duration getReadinessTimeout() {
      return readinessTimeout;
    }

    /**
     * Sets the readiness timeout.
     *
     * @param readinessTimeout a positive duration
     */
    public void setReadinessTimeout(Duration readinessTimeout) {
      this.readinessTimeout = readinessTimeout;
    }

    /**
     * The readiness poll interval.
     *
     * @return a positive duration
     */
    public Duration getReadinessPollInterval() {
      return readinessPollInterval;
    }

    /**
     * Sets the readiness poll interval.
     *
     * @param readinessPollInterval a positive duration
     */
    public void setReadinessPollInterval(Duration readinessPollInterval) {
      this.readinessPollInterval = readinessPollInterval;
    }

    /**
     * The attempts per API call.
     *
     * @return from 1 to 100
     */
    public int getMaxAttempts() {
      return maxAttempts;
    }

    /**
     * Sets the attempts per API call.
     *
     * @param maxAttempts from 1 to 100
     */
    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    /**
     * The first retry pause.
     *
     * @return a positive duration
     */
    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    /**
     * Sets the first retry pause.
     *
     * @param initialBackoff a positive duration
     */
    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    /**
     * The longest retry pause.
     *
     * @return at least the first pause
     */
    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    /**
     * Sets the longest retry pause.
     *
     * @param maxBackoff at least the first pause
     */
    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    /**
     * The default scratch space.
     *
     * @return MiB
     */
    public int getDefaultEphemeralStorageMib() {
      return defaultEphemeralStorageMib;
    }

    /**
     * Sets the default scratch space.
     *
     * @param defaultEphemeralStorageMib MiB, from 1 to 1048576
     */
    public void setDefaultEphemeralStorageMib(int defaultEphemeralStorageMib) {
      this.defaultEphemeralStorageMib = defaultEphemeralStorageMib;
    }

    /**
     * The writable directories by image repository.
     *
     * @return image repository to directories
     */
    public Map<String, List<String>> getWritablePaths() {
      return writablePaths;
    }

    /**
     * Sets the writable directories by image repository.
     *
     * @param writablePaths image repository to directories
     */
    public void setWritablePaths(Map<String, List<String>> writablePaths) {
      this.writablePaths = writablePaths;
    }

    /**
     * The cluster DNS namespace.
     *
     * @return the namespace
     */
    public String getClusterDnsNamespace() {
      return clusterDnsNamespace;
    }

    /**
     * Sets the cluster DNS namespace.
     *
     * @param clusterDnsNamespace the namespace
     */
    public void setClusterDnsNamespace(String clusterDnsNamespace) {
      this.clusterDnsNamespace = clusterDnsNamespace;
    }

    /**
     * The cluster DNS pod labels.
     *
     * @return the labels
     */
    public Map<String, String> getClusterDnsPodLabels() {
      return clusterDnsPodLabels;
    }

    /**
     * Sets the cluster DNS pod labels.
     *
     * @param clusterDnsPodLabels the labels, or null for the default
     */
    public void setClusterDnsPodLabels(Map<String, String> clusterDnsPodLabels) {
      this.clusterDnsPodLabels = clusterDnsPodLabels;
    }
  }

  /** Which {@code PaymentGateway} the auto-configuration builds when the host declares none. */
  public static class Payment {

    /**
     * {@code mock} for the development gateway that approves every charge; unset means the host
     * must declare a {@code PaymentGateway} bean.
     */
    private String gateway;

    /**
     * The gateway type.
     *
     * @return {@code mock} or null
     */
    public String getGateway() {
      return gateway;
    }

    /**
     * Sets the gateway type.
     *
     * @param gateway {@code mock} or null
     */
    public void setGateway(String gateway) {
      this.gateway = gateway;
    }

    /**
     * How long one attempt to settle a payment keeps other callers away before another may take the
     * line over (billing-core's settlement claim); well above the gateway's own timeout.
     */
    private Duration settlementClaim = Duration.ofMinutes(5);

    /**
     * The settlement claim.
     *
     * @return how long an attempt's claim lasts
     */
    public Duration getSettlementClaim() {
      return settlementClaim;
    }

    /**
     * Sets the settlement claim.
     *
     * @param settlementClaim positive
     */
    public void setSettlementClaim(Duration settlementClaim) {
      this.settlementClaim = settlementClaim;
    }
  }

  /** How often instances are health-checked. */
  public static class HealthCheck {

    /** The interval between two health checks of one instance. */
    private Duration interval = Duration.ofMinutes(1);

    /** Consecutive failed checks before an instance counts as degraded. */
    private int threshold = 3;

    /**
     * The interval.
     *
     * @return the interval
     */
    public Duration getInterval() {
      return interval;
    }

    /**
     * Sets the interval.
     *
     * @param interval the interval
     */
    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    /**
     * The threshold.
     *
     * @return the threshold
     */
    public int getThreshold() {
      return threshold;
    }

    /**
     * Sets the threshold.
     *
     * @param threshold the threshold
     */
    public void setThreshold(int threshold) {
      this.threshold = threshold;
    }
  }

  /** Sizes and lifetimes of the catalog caches. */
  public static class Cache {

    /** The maximum number of entries of each catalog cache. */
    private long maximumSize = 10_000;

    /** How long catalog entries live (changes also invalidate them at once). */
    private Duration catalogExpiry = Duration.ofMinutes(10);

    /** How long quota figures live (writes on this node invalidate them at once). */
    private Duration quotaExpiry = Duration.ofSeconds(10);

    /**
     * The maximum size.
     *
     * @return the maximum size
     */
    public long getMaximumSize() {
      return maximumSize;
    }

    /**
     * Sets the maximum size.
     *
     * @param maximumSize the maximum size
     */
    public void setMaximumSize(long maximumSize) {
      this.maximumSize = maximumSize;
    }

    /**
     * The catalog expiry.
     *
     * @return the expiry
     */
    public Duration getCatalogExpiry() {
      return catalogExpiry;
    }

    /**
     * Sets the catalog expiry.
     *
     * @param catalogExpiry the expiry
     */
    public void setCatalogExpiry(Duration catalogExpiry) {
      this.catalogExpiry = catalogExpiry;
    }

    /**
     * The quota expiry.
     *
     * @return the expiry
     */
    public Duration getQuotaExpiry() {
      return quotaExpiry;
    }

    /**
     * Sets the quota expiry.
     *
     * @param quotaExpiry the expiry
     */
    public void setQuotaExpiry(Duration quotaExpiry) {
      this.quotaExpiry = quotaExpiry;
    }
  }

  /** HTTP settings of the REST controllers. */
  public static class Web {

    /** The largest request body accepted on {@code /api/**}, in bytes; larger ones get a 413. */
    private long maxBodyBytes = 65_536;

    /**
     * How long a request that starts an operation (subscribe, upgrade, cancel, PATCH) waits for it
     * before answering {@code 202 Accepted} with the operation; {@code Prefer: wait=N} asks for
     * another wait, {@code Prefer: respond-async} for none.
     */
    private Duration operationWait = Duration.ofSeconds(2);

    /** The longest wait a {@code Prefer: wait=N} header gets. */
    private Duration maxOperationWait = Duration.ofSeconds(60);

    /**
     * The body limit.
     *
     * @return bytes
     */
    public long getMaxBodyBytes() {
      return maxBodyBytes;
    }

    /**
     * Sets the body limit.
     *
     * @param maxBodyBytes bytes
     */
    public void setMaxBodyBytes(long maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * The wait for an operation a request started.
     *
     * @return the default wait
     */
    public Duration getOperationWait() {
      return operationWait;
    }

    /**
     * Sets the wait for an operation a request started.
     *
     * @param operationWait zero or more
     */
    public void setOperationWait(Duration operationWait) {
      this.operationWait = operationWait;
    }

    /**
     * The longest wait a client may ask for.
     *
     * @return the cap
     */
    public Duration getMaxOperationWait() {
      return maxOperationWait;
    }

    /**
     * Sets the longest wait a client may ask for.
     *
     * @param maxOperationWait zero or more
     */
    public void setMaxOperationWait(Duration maxOperationWait) {
      this.maxOperationWait = maxOperationWait;
    }
  }

  /** How workflows run in the background. */
  public static class Workflows {

    /** How many workflows a node runs at once for requests that answer before they end. */
    private int threads = 16;

    /** How often the instance reconciler compares the platform with the database. */
    private Duration reconcileInterval = Duration.ofMinutes(5);

    /**
     * How often a node looks for what time made due: periods to renew, retries of declined
     * renewals, cancels at period end, suspensions whose grace period ended.
     */
    private Duration renewalInterval = Duration.ofMinutes(1);

    /**
     * The renewals' interval.
     *
     * @return the pause between two rounds
     */
    public Duration getRenewalInterval() {
      return renewalInterval;
    }

    /**
     * Sets the renewals' interval.
     *
     * @param renewalInterval positive
     */
    public void setRenewalInterval(Duration renewalInterval) {
      this.renewalInterval = renewalInterval;
    }

    /**
     * How long a node's claim of a workflow lasts without a heartbeat; another node takes over a
     * dead node's workflows after this long.
     */
    private Duration lease = Duration.ofMinutes(2);

    /**
     * The workflow lease.
     *
     * @return how long a claim lasts
     */
    public Duration getLease() {
      return lease;
    }

    /**
     * Sets the workflow lease.
     *
     * @param lease positive
     */
    public void setLease(Duration lease) {
      this.lease = lease;
    }

    /**
     * The dispatcher's threads.
     *
     * @return at least 1
     */
    public int getThreads() {
      return threads;
    }

    /**
     * Sets the dispatcher's threads.
     *
     * @param threads at least 1
     */
    public void setThreads(int threads) {
      this.threads = threads;
    }

    /**
     * The reconciler's interval.
     *
     * @return the pause between two rounds
     */
    public Duration getReconcileInterval() {
      return reconcileInterval;
    }

    /**
     * Sets the reconciler's interval.
     *
     * @param reconcileInterval positive
     */
    public void setReconcileInterval(Duration reconcileInterval) {
      this.reconcileInterval = reconcileInterval;
    }
  }

  /** Backups of instances whose plan has the {@code backups} feature (docs/backups.md). */
  public static class Backups {

    /**
     * How often an instance is backed up when its plan's backups feature is {@code true} (plans
     * naming hourly, daily, weekly or monthly keep theirs).
     */
    private Duration interval = Duration.ofHours(24);

    /** How many backups of each instance are kept; the oldest beyond are deleted. */
    private int kept = 7;

    /**
     * The interval.
     *
     * @return the interval
     */
    public Duration getInterval() {
      return interval;
    }

    /**
     * Sets the interval.
     *
     * @param interval positive
     */
    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    /**
     * How many are kept.
     *
     * @return the number
     */
    public int getKept() {
      return kept;
    }

    /**
     * Sets how many are kept.
     *
     * @param kept at least 1
     */
    public void setKept(int kept) {
      this.kept = kept;
    }
  }

  /**
   * What happens after a declined renewal, unless the host declares its own {@link
   * io.minispod.subscription.DunningPolicy}.
   */
  public static class Dunning {

    /** When the declined charge is tried again, each delay counted from the first decline. */
    private List<Duration> retryAfter =
        List.of(Duration.ofDays(1), Duration.ofDays(3), Duration.ofDays(7));

    /**
     * How long a subscription stays suspended (instance stopped, data and quota kept) after the
     * last retry failed, before it is cancelled.
     */
    private Duration gracePeriod = Duration.ofDays(14);

    /**
     * The retry delays.
     *
     * @return increasing positive delays
     */
    public List<Duration> getRetryAfter() {
      return retryAfter;
    }

    /**
     * Sets the retry delays.
     *
     * @param retryAfter increasing positive delays; empty to suspend at the first decline
     */
    public void setRetryAfter(List<Duration> retryAfter) {
      this.retryAfter = retryAfter;
    }

    /**
     * The grace period.
     *
     * @return not negative
     */
    public Duration getGracePeriod() {
      return gracePeriod;
    }

    /**
     * Sets the grace period.
     *
     * @param gracePeriod not negative
     */
    public void setGracePeriod(Duration gracePeriod) {
      this.gracePeriod = gracePeriod;
    }
  }
}
