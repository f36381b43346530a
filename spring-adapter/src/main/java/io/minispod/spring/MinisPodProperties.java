package io.minispod.spring;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

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

  /** How many live instances one user may hold. */
  private long instancesPerUser = 10;

  private final Provisioner provisioner = new Provisioner();
  private final Payment payment = new Payment();
  private final HealthCheck healthCheck = new HealthCheck();
  private final Cache cache = new Cache();
  private final Web web = new Web();
  private final Workflows workflows = new Workflows();

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
   * The live-instance limit per user.
   *
   * @return the limit
   */
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
}
