package io.minispod.spring.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.k8s.KubernetesBindingCredentials;
import io.minispod.k8s.KubernetesProvisioner;
import io.minispod.provisioner.BindingCredentials;
import io.minispod.provisioner.InMemoryBindingCredentials;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which binding credentials the broker gets beside the Kubernetes provisioner. */
final class BrokerBindingsWiringTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(Kubernetes.class)
          .withConfiguration(
              AutoConfigurations.of(MinisPodBrokerAutoConfiguration.KubernetesBindings.class));

  @Configuration(proxyBeanMethods = false)
  static class Kubernetes {
    @Bean(destroyMethod = "close")
    KubernetesProvisioner provisioner() {
      return KubernetesProvisioner.builder().baseDomain("apps.example.com").build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class HostCredentials {
    @Bean
    BindingCredentials hostCredentials() {
      return new InMemoryBindingCredentials();
    }
  }

  @Test
  void kubernetesProvisioner_givesASecretPerBinding() {
    runner.run(
        context ->
            assertThat(context)
                .hasNotFailed()
                .hasSingleBean(BindingCredentials.class)
                .hasSingleBean(KubernetesBindingCredentials.class));
  }

  @Test
  void hostsOwnCredentials_win() {
    runner
        .withUserConfiguration(HostCredentials.class)
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(BindingCredentials.class)
                    .doesNotHaveBean(KubernetesBindingCredentials.class));
  }
}
