package io.minispod.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.minispod.provisioner.Provisioner;
import io.minispod.subscription.AnalyticsService;
import io.minispod.subscription.Subscriptions;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator health and Micrometer metrics of MinisPod, each only when the host has it: a {@code
 * minisPod} health indicator (database reachable, plans without free quota), and the meters {@code
 * minispod.quota.total|used|utilisation} per plan, {@code minispod.subscriptions} per service, plan
 * and status, {@code minispod.provisioning.duration} per provisioner operation, and {@code
 * minispod.reconciler.actions} per action of the instance reconciler.
 */
@AutoConfiguration(
    after = MinisPodAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure"
          + ".CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnBean(AnalyticsService.class)
public class MinisPodObservabilityAutoConfiguration {

  /** Creates the auto-configuration; Spring calls it. */
  public MinisPodObservabilityAutoConfiguration() {}

  /** The Actuator health indicator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Health {

    @Bean
    @ConditionalOnMissingBean(name = "minisPodHealthIndicator")
    MinisPodHealthIndicator minisPodHealthIndicator(
        DataSource dataSource, AnalyticsService analytics) {
      return new MinisPodHealthIndicator(dataSource, analytics);
    }
  }

  /** The Micrometer meters. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  @ConditionalOnBean(MeterRegistry.class)
  static class Metrics {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    MinisPodMetrics minisPodMetrics(AnalyticsService analytics) {
      return new MinisPodMetrics(analytics);
    }

    @Bean
    @ConditionalOnBean(Subscriptions.class)
    @ConditionalOnMissingBean
    ReconcilerMetrics minisPodReconcilerMetrics(Subscriptions subscriptions) {
      return new ReconcilerMetrics(subscriptions);
    }

    @Bean
    static BeanPostProcessor minisPodProvisionerTimer(ObjectProvider<MeterRegistry> registry) {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
          if (bean instanceof Provisioner provisioner && !(bean instanceof TimedProvisioner)) {
            return new TimedProvisioner(provisioner, registry.getObject());
          }
          return bean;
        }
      };
    }
  }
}
