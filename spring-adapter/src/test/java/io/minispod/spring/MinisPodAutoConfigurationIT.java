package io.minispod.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minispod.billing.BillingService;
import io.minispod.billing.MockPaymentGateway;
import io.minispod.billing.PaymentGateway;
import io.minispod.catalog.Catalog;
import io.minispod.catalog.CatalogAdmin;
import io.minispod.catalog.CatalogService;
import io.minispod.provisioner.InMemoryProvisioner;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.Provisioner;
import io.minispod.quota.PoolUtilisation;
import io.minispod.quota.QuotaManager;
import io.minispod.spring.web.MinisPodWebAutoConfiguration;
import io.minispod.subscription.AlertSink;
import io.minispod.subscription.AnalyticsService;
import io.minispod.subscription.DunningPolicy;
import io.minispod.subscription.InstanceService;
import io.minispod.subscription.InsufficientResourcesException;
import io.minispod.subscription.QuotaPools;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionService;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.subscription.Subscriptions;
import io.minispod.subscription.UpgradeOnlyPolicy;
import io.minispod.subscription.UpgradePolicy;
import io.minispod.subscription.UpgradeService;
import io.minispod.subscription.UserLimit;
import io.minispod.subscription.UserLimits;
import io.minispod.testkit.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

final class MinisPodAutoConfigurationIT {

  private static PostgresServer server;
  private static String url;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(MinisPodAutoConfiguration.class))
          .withBean(DataSource.class, () -> server.pool(url, 4))
          .withPropertyValues("minispod.background=false");

  @BeforeAll
  static void database() {
    server = PostgresServer.shared();
    url = server.createDatabase();
  }

  @Test
  void context_withDataSourceAndMockGateway_buildsEveryService() {
    runner
        .withPropertyValues(
            "minispod.payment.gateway=mock",
            "minispod.provisioner.type=in-memory",
            "minispod.currency-scales.IDR=0")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context)
                  .hasSingleBean(QuotaManager.class)
                  .hasSingleBean(BillingService.class)
                  .hasSingleBean(Catalog.class)
                  .hasSingleBean(CatalogService.class)
                  .hasSingleBean(CatalogAdmin.class)
                  .hasSingleBean(Subscriptions.class)
                  .hasSingleBean(SubscriptionService.class)
                  .hasSingleBean(UpgradeService.class)
                  .hasSingleBean(InstanceService.class)
                  .hasSingleBean(AnalyticsService.class)
                  .hasSingleBean(AlertSink.class);
              assertThat(context.getBean(PaymentGateway.class))
                  .isInstanceOf(MockPaymentGateway.class);
              assertThat(context.getBean(Provisioner.class))
                  .isInstanceOf(InMemoryProvisioner.class);
              assertThat(context.getBean(UpgradePolicy.class))
                  .isInstanceOf(UpgradeOnlyPolicy.class);
              // The context booted on Java 17 with the project's jOOQ line, not Boot's.
              assertThat(org.jooq.Constants.VERSION).startsWith("3.19.");
              assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(17);
            });
  }

  @Test
  void context_withClusterCapacity_definesTheClusterPoolsWithIt() {
    runner
        .withPropertyValues(
            "minispod.payment.gateway=mock",
            "minispod.provisioner.type=in-memory",
            "minispod.cluster-capacity.cpu-millicores=16000",
            "minispod.cluster-capacity.memory-mib=65536",
            "minispod.cluster-capacity.storage-gib=500")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              context.getBean(Subscriptions.class);
              Map<String, Long> capacity =
                  context.getBean(QuotaManager.class).utilisation().stream()
                      .collect(
                          Collectors.toMap(PoolUtilisation::poolKey, PoolUtilisation::capacity));
              assertThat(capacity)
                  .containsEntry(QuotaPools.CLUSTER_CPU, 16_000L)
                  .containsEntry(QuotaPools.CLUSTER_MEMORY, 65_536L)
                  .containsEntry(QuotaPools.CLUSTER_STORAGE, 500L);
            });
  }

  @Test
  void context_withoutPaymentGateway_failsNamingTheProperty() {
    runner
        .withPropertyValues("minispod.provisioner.type=in-memory")
        .run(
            context ->
                assertFailedNaming(
                    context,
                    "minispod.payment.gateway",
                    "declare a PaymentGateway bean, or set minispod.payment.gateway=mock"));
  }

  @Test
  void context_withUnknownPaymentGateway_failsNamingTheProperty() {
    runner
        .withPropertyValues(
            "minispod.provisioner.type=in-memory", "minispod.payment.gateway=stripe")
        .run(
            context ->
                assertFailedNaming(
                    context, "minispod.payment.gateway", "minispod.payment.gateway must be mock"));
  }

  @Test
  void context_withoutProvisioner_failsNamingTheProperty() {
    runner
        .withPropertyValues("minispod.payment.gateway=mock")
        .run(
            context ->
                assertFailedNaming(
                    context,
                    "minispod.provisioner.type",
                    "set minispod.provisioner.type to kubernetes, or to in-memory"));
  }

  @Test
  void context_withUnknownProvisionerType_failsNamingTheValues() {
    runner
        .withPropertyValues("minispod.payment.gateway=mock", "minispod.provisioner.type=docker")
        .run(
            context ->
                assertFailedNaming(
                    context,
                    "minispod.provisioner.type",
                    "minispod.provisioner.type must be kubernetes or in-memory"));
  }

  @Test
  void context_withKubernetesTypeWithoutTheModule_failsNamingTheModule() {
    runner
        .withClassLoader(new FilteredClassLoader("io.minispod.k8s"))
        .withPropertyValues("minispod.payment.gateway=mock", "minispod.provisioner.type=kubernetes")
        .run(
            context ->
                assertFailedNaming(
                    context,
                    "minispod.provisioner.type",
                    "kubernetes needs minispod-k8s-provisioner"));
  }

  @Test
  void context_withoutWebSecurityOrActuator_startsTheCoreServices() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                MinisPodAutoConfiguration.class,
                MinisPodWebAutoConfiguration.class,
                MinisPodObservabilityAutoConfiguration.class))
        .withClassLoader(
            new FilteredClassLoader(
                "org.springframework.web",
                "org.springframework.security",
                "jakarta.servlet",
                "jakarta.validation",
                "org.springframework.boot.health",
                "io.micrometer"))
        .withBean(DataSource.class, () -> server.pool(url, 4))
        .withPropertyValues(
            "minispod.background=false",
            "minispod.payment.gateway=mock",
            "minispod.provisioner.type=in-memory")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context)
                  .hasSingleBean(Catalog.class)
                  .hasSingleBean(SubscriptionService.class)
                  .hasSingleBean(AnalyticsService.class)
                  .doesNotHaveBean(MinisPodWebAutoConfiguration.class)
                  .doesNotHaveBean(MinisPodHealthIndicator.class)
                  .doesNotHaveBean(MinisPodMetrics.class);
              assertThat(context.getBean(SubscriptionService.class).subscriptions("nobody"))
                  .isEmpty();
            });
  }

  @Test
  void web_withoutSpringSecurity_servesTheControllersWithTheServletCaller() {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                MinisPodAutoConfiguration.class, MinisPodWebAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("org.springframework.security"))
        .withBean(DataSource.class, () -> server.pool(url, 4))
        .withPropertyValues(
            "minispod.background=false",
            "minispod.payment.gateway=mock",
            "minispod.provisioner.type=in-memory")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasBean("minisPodCaller").hasBean("minisPodBodySizeFilter");
              assertThat(context.getBean("minisPodCaller").getClass().getSimpleName())
                  .isEqualTo("ServletCaller");
            });
  }

  @Test
  void web_withSpringSecurity_takesTheCallerFromSpringSecurity() {
    new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                MinisPodAutoConfiguration.class, MinisPodWebAutoConfiguration.class))
        .withBean(DataSource.class, () -> server.pool(url, 4))
        .withPropertyValues(
            "minispod.background=false",
            "minispod.payment.gateway=mock",
            "minispod.provisioner.type=in-memory")
        .run(
            context ->
                assertThat(context.getBean("minisPodCaller").getClass().getSimpleName())
                    .isEqualTo("SpringSecurityCaller"));
  }

  private static void assertFailedNaming(
      AssertableApplicationContext context, String property, String fix) {
    assertThat(context).hasFailed();
    assertThat(context.getStartupFailure())
        .rootCause()
        .isInstanceOfSatisfying(
            InvalidConfigurationPropertyValueException.class,
            e -> assertThat(e.getName()).isEqualTo(property))
        .hasMessageContaining(fix);
  }

  @Test
  void context_withHostSpis_keepsTheHostsBeans() {
    InMemoryProvisioner provisioner = new InMemoryProvisioner("host.example");
    MockPaymentGateway gateway = new MockPaymentGateway();
    UpgradePolicy policy = new UpgradeOnlyPolicy();
    runner
        .withBean(Provisioner.class, () -> provisioner)
        .withBean(PaymentGateway.class, () -> gateway)
        .withBean(UpgradePolicy.class, () -> policy)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(Provisioner.class)).isSameAs(provisioner);
              assertThat(context.getBean(PaymentGateway.class)).isSameAs(gateway);
              assertThat(context.getBean(UpgradePolicy.class)).isSameAs(policy);
            });
  }

  @Test
  void context_withSeedCatalog_servesTheSeedServices() {
    runner
        .withPropertyValues(
            "minispod.payment.gateway=mock",
            "minispod.provisioner.type=in-memory",
            "minispod.seed-catalog=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              CatalogService catalog = context.getBean(CatalogService.class);
              assertThat(catalog.getServiceDetails("n8n").plans()).isNotEmpty();
              assertThat(catalog.getServiceDetails("ghost").plans()).isNotEmpty();
            });
  }

  @Test
  void context_withKubernetesType_buildsTheFabric8Provisioner() {
    runner
        .withPropertyValues(
            "minispod.payment.gateway=mock",
            "minispod.provisioner.type=kubernetes",
            "minispod.provisioner.base-domain=apps.example.com")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(Provisioner.class))
                  .isInstanceOf(io.minispod.k8s.KubernetesProvisioner.class);
              assertThat(context).doesNotHaveBean(InMemoryProvisioner.class);
            });
  }

  @Test
  void observability_withMeterRegistry_exposesHealthQuotaGaugesAndProvisioningTimer() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                MinisPodAutoConfiguration.class, MinisPodObservabilityAutoConfiguration.class))
        .withBean(DataSource.class, () -> server.pool(url, 4))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues(
            "minispod.background=false",
            "minispod.payment.gateway=mock",
            "minispod.provisioner.type=in-memory",
            "minispod.seed-catalog=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              MeterRegistry registry = context.getBean(MeterRegistry.class);
              context.getBean(MinisPodMetrics.class).bindTo(registry);
              assertThat(
                      registry
                          .get("minispod.quota.total")
                          .tags("service", "n8n", "plan", "pro")
                          .gauge()
                          .value())
                  .isPositive();
              assertThat(context.getBean(Provisioner.class)).isInstanceOf(TimedProvisioner.class);
              Subscription subscribed =
                  context
                      .getBean(SubscriptionService.class)
                      .subscribe("observer", "n8n", "basic", "observer-1");
              assertThat(
                      registry
                          .get("minispod.provisioning.duration")
                          .tags("operation", "provision", "outcome", "success")
                          .timer()
                          .count())
                  .isEqualTo(1);
              context.getBean(ReconcilerMetrics.class).bindTo(registry);
              // The platform loses the instance behind the library's back; a round brings it back.
              context
                  .getBean(Provisioner.class)
                  .deprovision(new InstanceRef(subscribed.instance().id(), "observer"));
              context.getBean(Subscriptions.class).reconcileInstances();
              assertThat(
                      registry
                          .get("minispod.reconciler.actions")
                          .tags("action", "reprovisioned")
                          .functionCounter()
                          .count())
                  .isEqualTo(1);
              Health health = context.getBean(MinisPodHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
            });
  }

  // ---------------------------------------------------------------- per-user limits

  /** The runner with a working gateway, provisioner and the seed catalog (n8n, Ghost). */
  private ApplicationContextRunner seeded() {
    return runner.withPropertyValues(
        "minispod.payment.gateway=mock",
        "minispod.provisioner.type=in-memory",
        "minispod.seed-catalog=true");
  }

  private static String user() {
    return "user-" + UUID.randomUUID();
  }

  @Test
  void properties_userLimits_bindToOneLimitForEveryUserAndAreEnforced() {
    seeded()
        .withPropertyValues(
            "minispod.user-limits.instances=3",
            "minispod.user-limits.cpu-millicores=100",
            "minispod.user-limits.memory-mib=8192",
            "minispod.user-limits.storage-gib=50",
            "minispod.instances-per-user=7")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(UserLimits.class).limitOf(user()))
                  .isEqualTo(new UserLimit(3, 100, 8_192, 50));
              assertThatThrownBy(
                      () ->
                          context
                              .getBean(SubscriptionService.class)
                              .subscribe(user(), "n8n", "basic", "k"))
                  .isInstanceOfSatisfying(
                      InsufficientResourcesException.class,
                      e ->
                          assertThat(e.details())
                              .containsEntry("resource", "CPU of the user (millicores)")
                              .containsEntry("total", 100L));
            });
  }

  @Test
  void properties_onlyInstancesPerUser_stillSetsTheInstanceLimitAndNothingElse() {
    seeded()
        .withPropertyValues("minispod.instances-per-user=4")
        .run(
            context ->
                assertThat(context.getBean(UserLimits.class).limitOf(user()))
                    .isEqualTo(UserLimit.unlimited().withInstances(4)));
  }

  @Test
  void properties_limitBelowOne_failsStartUpNamingTheProperty() {
    seeded()
        .withPropertyValues("minispod.user-limits.memory-mib=0")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("minispod.user-limits.memory-mib")
                    .hasMessageContaining("at least 1"));
  }

  @Test
  void hostUserLimits_bean_winsOverTheProperties() {
    String capped = user();
    UserLimits host =
        userId ->
            userId.equals(capped)
                ? UserLimit.unlimited().withCpuMillicores(1)
                : UserLimit.unlimited();
    seeded()
        .withPropertyValues(
            "minispod.user-limits.cpu-millicores=1", "minispod.instances-per-user=1")
        .withBean(UserLimits.class, () -> host)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(UserLimits.class)).isSameAs(host);
              SubscriptionService subscriptions = context.getBean(SubscriptionService.class);
              String free = user();
              assertThat(subscriptions.subscribe(free, "n8n", "basic", "k1").status())
                  .isEqualTo(SubscriptionStatus.ACTIVE);
              assertThat(subscriptions.subscribe(free, "ghost", "basic", "k2").status())
                  .isEqualTo(SubscriptionStatus.ACTIVE);
              assertThatThrownBy(() -> subscriptions.subscribe(capped, "n8n", "basic", "k3"))
                  .isInstanceOf(InsufficientResourcesException.class);
            });
  }

  @Test
  void metadata_describesEveryUserLimitAndTheOldProperty() throws IOException {
    String metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(metadata)
        .contains(
            "\"name\": \"minispod.user-limits.instances\"",
            "\"name\": \"minispod.user-limits.cpu-millicores\"",
            "\"name\": \"minispod.user-limits.memory-mib\"",
            "\"name\": \"minispod.user-limits.storage-gib\"",
            "CPU per user in millicores",
            "\"replacement\": \"minispod.user-limits.instances\"");
  }

  @Test
  void properties_dunning_bindToTheRenewalsSchedule_andABadScheduleFailsNamingTheProperty() {
    seeded()
        .withPropertyValues(
            "minispod.dunning.retry-after=2d,5d", "minispod.dunning.grace-period=30d")
        .run(
            context -> {
              DunningPolicy dunning = context.getBean(DunningPolicy.class);
              assertThat(dunning.retryAfter(1)).contains(Duration.ofDays(2));
              assertThat(dunning.retryAfter(2)).contains(Duration.ofDays(5));
              assertThat(dunning.retryAfter(3)).isEmpty();
              assertThat(dunning.gracePeriod()).isEqualTo(Duration.ofDays(30));
            });
    seeded()
        .withPropertyValues("minispod.dunning.retry-after=3d,1d")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining("minispod.dunning.retry-after"));
  }
}
