package io.minispod.spring;

import io.minispod.ModuleSchema;
import io.minispod.billing.BillingService;
import io.minispod.billing.BillingServiceBuilder;
import io.minispod.billing.MockPaymentGateway;
import io.minispod.billing.PaymentGateway;
import io.minispod.catalog.Catalog;
import io.minispod.catalog.CatalogAdmin;
import io.minispod.catalog.CatalogSeed;
import io.minispod.catalog.CatalogService;
import io.minispod.k8s.KubernetesProvisioner;
import io.minispod.k8s.KubernetesProvisionerBuilder;
import io.minispod.provisioner.InMemoryProvisioner;
import io.minispod.provisioner.Provisioner;
import io.minispod.provisioner.ResourceLimits;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.AlertSink;
import io.minispod.subscription.AnalyticsService;
import io.minispod.subscription.DunningPolicy;
import io.minispod.subscription.InstanceService;
import io.minispod.subscription.OperationService;
import io.minispod.subscription.SubscriptionService;
import io.minispod.subscription.Subscriptions;
import io.minispod.subscription.UpgradeOnlyPolicy;
import io.minispod.subscription.UpgradePolicy;
import io.minispod.subscription.UpgradeService;
import io.minispod.subscription.UserLimit;
import io.minispod.subscription.UserLimits;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the MinisPod services from the host's {@code DataSource}: quota, billing, catalog and
 * subscriptions, each replaceable by a bean of the host ({@code @ConditionalOnMissingBean} on its
 * type, and on the SPIs {@link Provisioner}, {@link PaymentGateway}, {@link UpgradePolicy}, {@link
 * UserLimits} and {@link AlertSink}).
 *
 * <p>A provisioner and a payment gateway are never chosen silently: the host declares a {@link
 * Provisioner} bean or sets {@code minispod.provisioner.type} ({@code kubernetes}, or {@code
 * in-memory} for development), and declares a {@link PaymentGateway} bean or sets {@code
 * minispod.payment.gateway=mock} (development); otherwise start-up fails with a message that names
 * the property.
 *
 * <p>The module schemas are migrated by {@link ModuleSchema#migrateAll(DataSource)}, each in its
 * own PostgreSQL schema with its own history table; the host's Flyway is never touched.
 */
@AutoConfiguration(
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(Catalog.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(MinisPodProperties.class)
public class MinisPodAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(MinisPodAutoConfiguration.class);

  /** The property that chooses the built-in provisioner. */
  static final String PROVISIONER_TYPE = "minispod.provisioner.type";

  /** The property that chooses the built-in payment gateway. */
  static final String PAYMENT_GATEWAY = "minispod.payment.gateway";

  /** Creates the auto-configuration; Spring calls it. */
  public MinisPodAutoConfiguration() {}

  /**
   * The schemas of every MinisPod module, migrated once before any service is built.
   *
   * @param dataSource the host's database
   * @param properties {@code minispod.migrate}
   * @return a marker other beans depend on
   */
  @Bean
  @ConditionalOnMissingBean
  public MinisPodSchemas minisPodSchemas(DataSource dataSource, MinisPodProperties properties) {
    if (properties.isMigrate()) {
      ModuleSchema.migrateAll(dataSource);
      log.info("Migrated the MinisPod module schemas");
    }
    return new MinisPodSchemas(properties.isMigrate());
  }

  /**
   * The clock of every service; a host (or a test) may declare its own.
   *
   * @return the system clock in UTC
   */
  @Bean
  @ConditionalOnMissingBean(Clock.class)
  public Clock minisPodClock() {
    return Clock.systemUTC();
  }

  /**
   * The quota manager.
   *
   * @param dataSource the host's database
   * @param schemas the migrated schemas
   * @param clock the clock
   * @return the quota manager, closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public QuotaManager minisPodQuotaManager(
      DataSource dataSource, MinisPodSchemas schemas, Clock clock) {
    return QuotaManager.builder(dataSource).clock(clock).build();
  }

  /**
   * The development payment gateway, which approves every charge: only when {@code
   * minispod.payment.gateway=mock} and the host declares no gateway.
   *
   * @return a mock gateway
   */
  @Bean
  @ConditionalOnMissingBean(PaymentGateway.class)
  @ConditionalOnProperty(prefix = "minispod.payment", name = "gateway", havingValue = "mock")
  public MockPaymentGateway minisPodMockPaymentGateway() {
    log.warn("Using the mock payment gateway, which approves every charge: not for production");
    return new MockPaymentGateway();
  }

  /**
   * Fails start-up, naming {@code minispod.payment.gateway}, when neither the host nor that
   * property chose a payment gateway: MinisPod never takes payments through a gateway nobody chose.
   *
   * @param properties the configured gateway, if any
   * @return never
   * @throws InvalidConfigurationPropertyValueException always
   */
  @Bean
  @ConditionalOnMissingBean(PaymentGateway.class)
  public PaymentGateway minisPodUnconfiguredPaymentGateway(MinisPodProperties properties) {
    throw unconfiguredPaymentGateway(properties.getPayment().getGateway());
  }

  /**
   * The billing service.
   *
   * @param dataSource the host's database
   * @param schemas the migrated schemas
   * @param gateway the host's gateway or the mock one
   * @param properties currency scales
   * @param clock the clock
   * @return the billing service
   */
  @Bean
  @ConditionalOnMissingBean
  public BillingService minisPodBillingService(
      DataSource dataSource,
      MinisPodSchemas schemas,
      PaymentGateway gateway,
      MinisPodProperties properties,
      Clock clock) {
    BillingServiceBuilder builder =
        BillingService.builder(dataSource)
            .paymentGateway(gateway)
            .clock(clock)
            .settlementClaim(properties.getPayment().getSettlementClaim());
    properties.getCurrencyScales().forEach(builder::currencyScale);
    return builder.build();
  }

  /**
   * The catalog: read side with its caches and the admin side.
   *
   * @param dataSource the host's database
   * @param quotaManager the quota manager
   * @param billing the billing service, whose currency scales the catalog's prices follow
   * @param properties cache settings and seeding
   * @param clock the clock
   * @return the catalog, closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Catalog minisPodCatalog(
      DataSource dataSource,
      QuotaManager quotaManager,
      BillingService billing,
      MinisPodProperties properties,
      Clock clock) {
    MinisPodProperties.Cache cache = properties.getCache();
    Catalog catalog =
        Catalog.builder(dataSource, quotaManager)
            .currencyScales(billing.currencyScales())
            .clock(clock)
            .cacheMaximumSize(cache.getMaximumSize())
            .catalogCacheExpiry(cache.getCatalogExpiry())
            .quotaCacheExpiry(cache.getQuotaExpiry())
            .build();
    if (properties.isSeedCatalog()) {
      log.info("Seed catalog: {}", CatalogSeed.apply(catalog.admin()));
    }
    return catalog;
  }

  /**
   * The public catalog.
   *
   * @param catalog the catalog
   * @return its read side
   */
  @Bean
  @ConditionalOnMissingBean
  public CatalogService minisPodCatalogService(Catalog catalog) {
    return catalog.service();
  }

  /**
   * The catalog administration.
   *
   * @param catalog the catalog
   * @return its admin side
   */
  @Bean
  @ConditionalOnMissingBean
  public CatalogAdmin minisPodCatalogAdmin(Catalog catalog) {
    return catalog.admin();
  }

  /**
   * The upgrade-only policy of API.md.
   *
   * @return the default policy
   */
  @Bean
  @ConditionalOnMissingBean
  public UpgradePolicy minisPodUpgradePolicy() {
    return new UpgradeOnlyPolicy();
  }

  /**
   * The dunning schedule of {@code minispod.dunning.*} (retries after 1, 3 and 7 days, then 14 days
   * of suspension by default), unless the host declares its own {@link DunningPolicy}.
   *
   * @param properties the schedule
   * @return the policy
   * @throws InvalidConfigurationPropertyValueException naming a schedule the policy refuses
   */
  @Bean
  @ConditionalOnMissingBean
  public DunningPolicy minisPodDunningPolicy(MinisPodProperties properties) {
    MinisPodProperties.Dunning dunning = properties.getDunning();
    try {
      return DunningPolicy.schedule(dunning.getRetryAfter(), dunning.getGracePeriod());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidConfigurationPropertyValueException(
          "minispod.dunning.retry-after", dunning.getRetryAfter(), e.getMessage());
    }
  }

  /**
   * The same limit for every user, from {@code minispod.user-limits.*} (instances falling back to
   * {@code minispod.instances-per-user}), unless the host declares its own {@link UserLimits}.
   *
   * @param properties the per-user limits
   * @return uniform limits
   * @throws InvalidConfigurationPropertyValueException naming a limit set below 1
   */
  @Bean
  @ConditionalOnMissingBean
  public UserLimits minisPodUserLimits(MinisPodProperties properties) {
    MinisPodProperties.UserLimits limits = properties.getUserLimits();
    long instances =
        limits.getInstances() != null
            ? perUser("minispod.user-limits.instances", limits.getInstances())
            : perUser("minispod.instances-per-user", properties.getInstancesPerUser());
    return UserLimits.uniform(
        new UserLimit(
            instances,
            perUser("minispod.user-limits.cpu-millicores", limits.getCpuMillicores()),
            perUser("minispod.user-limits.memory-mib", limits.getMemoryMib()),
            perUser("minispod.user-limits.storage-gib", limits.getStorageGib())));
  }

  /** A per-user limit from its property: unset is no limit, below 1 a configuration error. */
  private static long perUser(String property, Long value) {
    if (value == null) {
      return UserLimit.UNLIMITED;
    }
    if (value < 1) {
      throw new InvalidConfigurationPropertyValueException(
          property, value, "a per-user limit must be at least 1; leave it unset for no limit");
    }
    return value;
  }

  /**
   * Alerts go to the log unless the host declares a sink.
   *
   * @return the logging sink
   */
  @Bean
  @ConditionalOnMissingBean
  public AlertSink minisPodAlertSink() {
    return AlertSink.LOGGING;
  }

  /**
   * The in-memory provisioner, for development: only when {@code
   * minispod.provisioner.type=in-memory} and the host declares no provisioner.
   *
   * @param properties the base domain
   * @param clock dates the backups it takes
   * @return an in-memory provisioner
   */
  @Bean
  @ConditionalOnMissingBean(Provisioner.class)
  @ConditionalOnProperty(prefix = "minispod.provisioner", name = "type", havingValue = "in-memory")
  public InMemoryProvisioner minisPodInMemoryProvisioner(
      MinisPodProperties properties, Clock clock) {
    log.warn("Using the in-memory provisioner, which runs nothing: not for production");
    return new InMemoryProvisioner(properties.getProvisioner().getBaseDomain(), clock);
  }

  /**
   * Fails start-up, naming {@code minispod.provisioner.type}, when neither the host nor that
   * property chose a provisioner (or {@code kubernetes} was chosen without {@code
   * minispod-k8s-provisioner} on the class path): MinisPod never sells instances it cannot run.
   * Declared after the provisioners above, which are registered first when they match.
   *
   * @param properties the configured type, if any
   * @return never
   * @throws InvalidConfigurationPropertyValueException always
   */
  @Bean
  @ConditionalOnMissingBean(Provisioner.class)
  public Provisioner minisPodUnconfiguredProvisioner(MinisPodProperties properties) {
    throw unconfiguredProvisioner(properties.getProvisioner().getType());
  }

  /**
   * The subscription workflows, upgrades, instances, analytics and health monitoring.
   *
   * @param catalog the catalog
   * @param billing the billing service
   * @param provisioner the provisioner
   * @param policy the upgrade policy
   * @param alertSink the alert sink
   * @param userLimits what each user may hold
   * @param dunning what happens after a declined renewal
   * @param properties cluster capacity and health-check settings
   * @param clock the clock
   * @return the subscriptions, closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Subscriptions minisPodSubscriptions(
      Catalog catalog,
      BillingService billing,
      Provisioner provisioner,
      UpgradePolicy policy,
      AlertSink alertSink,
      UserLimits userLimits,
      DunningPolicy dunning,
      MinisPodProperties properties,
      Clock clock) {
    return Subscriptions.builder(catalog, billing, provisioner)
        .clock(clock)
        .upgradePolicy(policy)
        .alertSink(alertSink)
        .userLimits(userLimits)
        .dunningPolicy(dunning)
        .clusterCapacity(
            new ResourceLimits(
                properties.getClusterCapacity().getCpuMillicores(),
                properties.getClusterCapacity().getMemoryMib(),
                properties.getClusterCapacity().getStorageGib()))
        .healthChecks(
            properties.getHealthCheck().getInterval(), properties.getHealthCheck().getThreshold())
        .workflowThreads(properties.getWorkflows().getThreads())
        .workflowLease(properties.getWorkflows().getLease())
        .reconcileInterval(properties.getWorkflows().getReconcileInterval())
        .renewalInterval(properties.getWorkflows().getRenewalInterval())
        .backupInterval(properties.getBackups().getInterval())
        .backupsKept(properties.getBackups().getKept())
        .build();
  }

  /**
   * Starts the background workflow runner and health monitor with the context.
   *
   * @param subscriptions the subscriptions
   * @param properties {@code minispod.background}
   * @return the lifecycle bean
   */
  @Bean
  @ConditionalOnProperty(
      prefix = "minispod",
      name = "background",
      havingValue = "true",
      matchIfMissing = true)
  public SmartLifecycle minisPodBackgroundWork(
      Subscriptions subscriptions, MinisPodProperties properties) {
    return new BackgroundWork(subscriptions);
  }

  /**
   * The subscription service.
   *
   * @param subscriptions the subscriptions
   * @return subscribe, list, cancel
   */
  @Bean
  @ConditionalOnMissingBean
  public SubscriptionService minisPodSubscriptionService(Subscriptions subscriptions) {
    return subscriptions.subscriptions();
  }

  /**
   * The upgrade service.
   *
   * @param subscriptions the subscriptions
   * @return options and upgrades
   */
  @Bean
  @ConditionalOnMissingBean
  public UpgradeService minisPodUpgradeService(Subscriptions subscriptions) {
    return subscriptions.upgrades();
  }

  /**
   * The instance service.
   *
   * @param subscriptions the subscriptions
   * @return the users' instances
   */
  @Bean
  @ConditionalOnMissingBean
  public InstanceService minisPodInstanceService(Subscriptions subscriptions) {
    return subscriptions.instances();
  }

  /**
   * The operations that requests started.
   *
   * @param subscriptions the subscriptions
   * @return observe and await operations
   */
  @Bean
  @ConditionalOnMissingBean
  public OperationService minisPodOperationService(Subscriptions subscriptions) {
    return subscriptions.operations();
  }

  /**
   * The analytics service.
   *
   * @param subscriptions the subscriptions
   * @return the admin analytics
   */
  @Bean
  @ConditionalOnMissingBean
  public AnalyticsService minisPodAnalyticsService(Subscriptions subscriptions) {
    return subscriptions.analytics();
  }

  /** Why no provisioner was built, naming the property that chooses one. */
  static InvalidConfigurationPropertyValueException unconfiguredProvisioner(String type) {
    String reason;
    if (type == null || type.isBlank()) {
      reason =
          "MinisPod needs a provisioner and none is configured: set minispod.provisioner.type to"
              + " kubernetes, or to in-memory for development (it runs nothing), or declare a"
              + " Provisioner bean";
    } else if (type.equalsIgnoreCase("kubernetes")) {
      reason =
          "minispod.provisioner.type=kubernetes needs minispod-k8s-provisioner"
              + " (io.minispod.k8s.KubernetesProvisioner) on the class path";
    } else {
      reason =
          "minispod.provisioner.type must be kubernetes or in-memory (or leave it unset and"
              + " declare a Provisioner bean)";
    }
    return new InvalidConfigurationPropertyValueException(PROVISIONER_TYPE, type, reason);
  }

  /** Why no payment gateway was built, naming the property that chooses one. */
  static InvalidConfigurationPropertyValueException unconfiguredPaymentGateway(String gateway) {
    String reason =
        gateway == null || gateway.isBlank()
            ? "MinisPod needs a payment gateway and none is configured: declare a PaymentGateway"
                + " bean, or set minispod.payment.gateway=mock for development (it approves every"
                + " charge)"
            : "minispod.payment.gateway must be mock, the development gateway that approves every"
                + " charge (or leave it unset and declare a PaymentGateway bean)";
    return new InvalidConfigurationPropertyValueException(PAYMENT_GATEWAY, gateway, reason);
  }

  /** The Kubernetes provisioner, when asked for and fabric8 is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.minispod.k8s.KubernetesProvisioner")
  @ConditionalOnProperty(prefix = "minispod.provisioner", name = "type", havingValue = "kubernetes")
  static class KubernetesProvisionerConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Provisioner.class)
    KubernetesProvisioner minisPodKubernetesProvisioner(
        MinisPodProperties properties, Clock clock) {
      MinisPodProperties.Kubernetes k8s = properties.getProvisioner().getKubernetes();
      KubernetesProvisionerBuilder builder =
          KubernetesProvisioner.builder()
              .baseDomain(properties.getProvisioner().getBaseDomain())
              .clock(clock)
              .ingressClass(k8s.getIngressClass())
              .ingressNamespace(k8s.getIngressNamespace())
              .clusterIssuer(k8s.getClusterIssuer())
              .externalTls(k8s.isExternalTls())
              .namespacePrefix(k8s.getNamespacePrefix())
              .storageClass(k8s.getStorageClass())
              .volumeSnapshotClass(k8s.getVolumeSnapshotClass())
              .readinessTimeout(k8s.getReadinessTimeout())
              .readinessPollInterval(k8s.getReadinessPollInterval())
              .retries(k8s.getMaxAttempts(), k8s.getInitialBackoff(), k8s.getMaxBackoff())
              .defaultEphemeralStorageMiB(k8s.getDefaultEphemeralStorageMib())
              .clusterDns(
                  k8s.getClusterDnsNamespace(),
                  k8s.getClusterDnsPodLabels() == null
                      ? KubernetesProvisionerBuilder.DEFAULT_CLUSTER_DNS_POD_LABELS
                      : k8s.getClusterDnsPodLabels());
      k8s.getWritablePaths().forEach(builder::writablePaths);
      return builder.build();
    }
  }

  /** Runs {@link Subscriptions#start()} once the context is up. */
  static final class BackgroundWork implements SmartLifecycle {

    private final Subscriptions subscriptions;
    private volatile boolean running;

    BackgroundWork(Subscriptions subscriptions) {
      this.subscriptions = subscriptions;
    }

    @Override
    public void start() {
      subscriptions.start();
      running = true;
    }

    @Override
    public void stop() {
      // Subscriptions stops its threads when the context closes it.
      running = false;
    }

    @Override
    public boolean isRunning() {
      return running;
    }
  }
}
