package io.minispod.demo;

import io.minispod.billing.BillingService;
import io.minispod.billing.BillingServiceBuilder;
import io.minispod.billing.PaymentGateway;
import io.minispod.catalog.Catalog;
import io.minispod.provisioner.InMemoryProvisioner;
import io.minispod.provisioner.Provisioner;
import io.minispod.spring.MinisPodProperties;
import io.minispod.spring.MinisPodSchemas;
import io.minispod.subscription.AlertSink;
import io.minispod.subscription.Subscriptions;
import io.minispod.subscription.UpgradePolicy;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Timings for crash drills ({@code docs/crash-storm.md}), each off unless set, as a property or its
 * environment variable:
 *
 * <ul>
 *   <li>{@code minispod.demo.provision-latency} ({@code MINISPOD_DEMO_PROVISION_LATENCY}, e.g.
 *       {@code 300ms}): added to every call of the in-memory provisioner, as a real platform takes
 *       its time, so that a process killed during a storm dies in the middle of workflows;
 *   <li>{@code minispod.demo.workflow-lease} ({@code MINISPOD_DEMO_WORKFLOW_LEASE}, e.g. {@code
 *       10s}): the workflow lease (the library's default is 2 minutes), i.e. how soon after a crash
 *       a restarted demo takes over the workflows the dead process was running;
 *   <li>{@code minispod.demo.settlement-claim} ({@code MINISPOD_DEMO_SETTLEMENT_CLAIM}, e.g. {@code
 *       10s}): billing-core's settlement claim (default 5 minutes), i.e. how soon after a crash a
 *       payment the dead process was making is taken over.
 * </ul>
 *
 * <p>The last two replace the auto-configured {@link Subscriptions} and {@link BillingService} with
 * the same settings plus the timing (the adapter has no property for either).
 */
@Configuration(proxyBeanMethods = false)
class DemoTimings {

  private static final Logger log = LoggerFactory.getLogger(DemoTimings.class);

  /**
   * Slows the in-memory provisioner down before anything uses it (before the adapter's metrics wrap
   * it, which is why this is a post-processor and not a look-up of the {@link Provisioner} bean).
   */
  @Bean
  @ConditionalOnProperty(prefix = "minispod.demo", name = "provision-latency")
  static BeanPostProcessor demoProvisionLatency(Environment environment) {
    Duration latency =
        DurationStyle.detectAndParse(environment.getProperty("minispod.demo.provision-latency"));
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof InMemoryProvisioner inMemory) {
          inMemory.setLatency(latency);
          log.info("The in-memory provisioner takes {} per call", latency);
        }
        return bean;
      }
    };
  }

  /** The auto-configuration's {@link Subscriptions}, with the workflow lease set. */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(prefix = "minispod.demo", name = "workflow-lease")
  Subscriptions demoSubscriptions(
      Catalog catalog,
      BillingService billing,
      Provisioner provisioner,
      UpgradePolicy policy,
      AlertSink alertSink,
      MinisPodProperties properties,
      Clock clock,
      @Value("${minispod.demo.workflow-lease}") Duration lease) {
    log.info("Workflow lease: {}", lease);
    return Subscriptions.builder(catalog, billing, provisioner)
        .clock(clock)
        .upgradePolicy(policy)
        .alertSink(alertSink)
        .instancesPerUser(properties.getInstancesPerUser())
        .healthChecks(
            properties.getHealthCheck().getInterval(), properties.getHealthCheck().getThreshold())
        .workflowLease(lease)
        .build();
  }

  /** The auto-configuration's {@link BillingService}, with the settlement claim set. */
  @Bean
  @ConditionalOnProperty(prefix = "minispod.demo", name = "settlement-claim")
  BillingService demoBillingService(
      DataSource dataSource,
      MinisPodSchemas schemas,
      ObjectProvider<PaymentGateway> gateway,
      MinisPodProperties properties,
      Clock clock,
      @Value("${minispod.demo.settlement-claim}") Duration claim) {
    log.info("Payment settlement claim: {}", claim);
    BillingServiceBuilder builder =
        BillingService.builder(dataSource)
            .paymentGateway(gateway.getObject())
            .clock(clock)
            .settlementClaim(claim);
    properties.getCurrencyScales().forEach(builder::currencyScale);
    return builder.build();
  }
}
