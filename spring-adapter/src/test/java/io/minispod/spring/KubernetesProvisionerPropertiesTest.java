package io.minispod.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.k8s.BuiltKubernetesProvisioner;
import io.minispod.k8s.KubernetesProvisioner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code minispod.provisioner.kubernetes.*} reaches every setting of the Kubernetes provisioner's
 * builder, and the shared {@code Clock} bean is the provisioner's. Building the provisioner
 * contacts no cluster, so no server is needed.
 */
final class KubernetesProvisionerPropertiesTest {

  private static final Clock SHARED =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(
              Host.class, MinisPodAutoConfiguration.KubernetesProvisionerConfiguration.class)
          .withPropertyValues(
              "minispod.provisioner.type=kubernetes",
              "minispod.provisioner.base-domain=apps.example.com");

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(MinisPodProperties.class)
  static class Host {
    @Bean
    Clock clock() {
      return SHARED;
    }
  }

  @Test
  void kubernetesProperties_fullSet_reachEverySettingOfTheProvisioner() {
    runner
        .withPropertyValues(
            "minispod.provisioner.kubernetes.ingress-class=traefik",
            "minispod.provisioner.kubernetes.ingress-namespace=traefik-system",
            "minispod.provisioner.kubernetes.cluster-issuer=letsencrypt",
            "minispod.provisioner.kubernetes.external-tls=true",
            "minispod.provisioner.kubernetes.namespace-prefix=tenant-",
            "minispod.provisioner.kubernetes.storage-class=fast-expandable",
            "minispod.provisioner.kubernetes.volume-snapshot-class=csi-snapclass",
            "minispod.provisioner.kubernetes.readiness-timeout=7m",
            "minispod.provisioner.kubernetes.readiness-poll-interval=3s",
            "minispod.provisioner.kubernetes.max-attempts=8",
            "minispod.provisioner.kubernetes.initial-backoff=100ms",
            "minispod.provisioner.kubernetes.max-backoff=20s",
            "minispod.provisioner.kubernetes.default-ephemeral-storage-mib=2048",
            "minispod.provisioner.kubernetes.writable-paths[ghcr.io/acme/app]=/var/cache/app,/run/app",
            "minispod.provisioner.kubernetes.writable-paths.mysql=",
            "minispod.provisioner.kubernetes.cluster-dns-namespace=dns",
            "minispod.provisioner.kubernetes.cluster-dns-pod-labels.app=coredns")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              BuiltKubernetesProvisioner built =
                  BuiltKubernetesProvisioner.of(context.getBean(KubernetesProvisioner.class));
              assertThat(built.baseDomain()).isEqualTo("apps.example.com");
              assertThat(built.ingressClass()).isEqualTo("traefik");
              assertThat(built.ingressNamespace()).isEqualTo("traefik-system");
              assertThat(built.clusterIssuer()).isEqualTo("letsencrypt");
              assertThat(built.externalTls()).isTrue();
              assertThat(built.scheme()).isEqualTo("https");
              assertThat(built.namespacePrefix()).isEqualTo("tenant-");
              assertThat(built.storageClass()).isEqualTo("fast-expandable");
              assertThat(built.volumeSnapshotClass()).isEqualTo("csi-snapclass");
              assertThat(built.readinessTimeout()).isEqualTo(Duration.ofMinutes(7));
              assertThat(built.readinessPollInterval()).isEqualTo(Duration.ofSeconds(3));
              assertThat(built.maxAttempts()).isEqualTo(8);
              assertThat(built.initialBackoff()).isEqualTo(Duration.ofMillis(100));
              assertThat(built.maxBackoff()).isEqualTo(Duration.ofSeconds(20));
              assertThat(built.ephemeralStorageMiB()).isEqualTo(2048);
              assertThat(built.writablePaths())
                  .containsEntry("ghcr.io/acme/app", List.of("/var/cache/app", "/run/app"))
                  .containsEntry("n8nio/n8n", List.of("/home/node/.cache"))
                  .doesNotContainKey("mysql");
              assertThat(built.dnsNamespace()).isEqualTo("dns");
              assertThat(built.dnsPodLabels()).isEqualTo(Map.of("app", "coredns"));
              assertThat(built.clock()).isSameAs(SHARED);
            });
  }

  @Test
  void kubernetesProperties_none_giveTheBuildersDefaults() {
    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          KubernetesProvisioner bound = context.getBean(KubernetesProvisioner.class);
          try (KubernetesProvisioner plain =
              KubernetesProvisioner.builder()
                  .baseDomain("apps.example.com")
                  .clock(SHARED)
                  .build()) {
            assertThat(BuiltKubernetesProvisioner.of(bound))
                .isEqualTo(BuiltKubernetesProvisioner.of(plain));
          }
          assertThat(BuiltKubernetesProvisioner.of(bound).scheme()).isEqualTo("http");
        });
  }

  @Test
  void kubernetesProperties_invalidValue_failsStartUpNamingTheSetting() {
    runner
        .withPropertyValues("minispod.provisioner.kubernetes.namespace-prefix=Bad_Prefix")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("namespacePrefix"));
  }
}
