package io.minispod.demo;

import io.minispod.provisioner.InMemoryProvisioner;
import io.minispod.provisioner.Provisioner;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The in-memory provisioner's latency for crash drills ({@code docs/crash-storm.md}), off unless
 * set: {@code minispod.demo.provision-latency} ({@code MINISPOD_DEMO_PROVISION_LATENCY}, e.g.
 * {@code 300ms}) is added to every call, as a real platform takes its time, so that a process
 * killed during a storm dies in the middle of workflows. (The drills' short workflow lease and
 * settlement claim are the adapter's {@code minispod.workflows.lease} and {@code
 * minispod.payment.settlement-claim}.)
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
}
