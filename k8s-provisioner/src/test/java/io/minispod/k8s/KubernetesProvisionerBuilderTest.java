package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.ValidationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class KubernetesProvisionerBuilderTest {

  @Test
  void build_noClientGiven_buildsAndClosesItsOwn() {
    try (KubernetesProvisioner provisioner =
        KubernetesProvisioner.builder().baseDomain("apps.example.com").build()) {
      assertThat(provisioner.namespaceOf("alice")).startsWith("minispod-");
    }
  }

  @Test
  void build_customPrefix_namesNamespacesWithIt() {
    try (KubernetesProvisioner provisioner =
        KubernetesProvisioner.builder()
            .baseDomain("apps.example.com")
            .namespacePrefix("tenant-")
            .externalTls(true)
            .build()) {
      assertThat(provisioner.namespaceOf("alice")).startsWith("tenant-").hasSize(23);
    }
  }

  @Test
  void build_everySettingBad_reportsEveryFieldAtOnce() {
    KubernetesProvisionerBuilder builder =
        KubernetesProvisioner.builder()
            .baseDomain("Apps_Example")
            .ingressClass("Nginx!")
            .clusterIssuer("Lets Encrypt")
            .ingressNamespace("Ingress")
            .namespacePrefix("9-")
            .storageClass("Fast SSD")
            .readinessTimeout(Duration.ZERO)
            .readinessPollInterval(Duration.ofMillis(-1))
            .retries(0, Duration.ZERO, Duration.ofMillis(-1))
            .listPageSize(0)
            .defaultEphemeralStorageMiB(0)
            .writablePaths("example/app", java.util.List.of("var/run"))
            .clusterDns("Kube System", java.util.Map.of("k8s-app", "kube dns"));

    assertThatThrownBy(builder::build)
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
              assertThat(e.getMessage())
                  .contains(
                      "baseDomain",
                      "ingressClass",
                      "clusterIssuer",
                      "ingressNamespace",
                      "namespacePrefix",
                      "storageClass",
                      "readinessTimeout",
                      "readinessPollInterval",
                      "maxAttempts",
                      "initialBackoff",
                      "maxBackoff",
                      "listPageSize",
                      "ephemeralStorageMiB",
                      "writablePaths",
                      "dnsNamespace",
                      "dnsPodLabels");
            });
  }

  @Test
  void build_withoutBaseDomain_isRefused() {
    assertThatThrownBy(() -> KubernetesProvisioner.builder().build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("baseDomain");
  }

  @Test
  void build_writablePathsWithDotParts_orNoDnsLabels_areRefused() {
    assertThatThrownBy(
            () ->
                KubernetesProvisioner.builder()
                    .baseDomain("apps.example.com")
                    .writablePaths("example/app", java.util.List.of("/var/../etc"))
                    .clusterDns("kube-system", java.util.Map.of())
                    .build())
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("writablePaths", "dnsPodLabels"));
  }

  @Test
  void repository_dropsTagDigestAndDockerHubsImplicitPrefixes() {
    assertThat(Settings.repository("mysql:8.4.3")).isEqualTo("mysql");
    assertThat(Settings.repository("docker.io/library/mysql:8.4.3")).isEqualTo("mysql");
    assertThat(Settings.repository("docker.io/n8nio/n8n:2.10.2")).isEqualTo("n8nio/n8n");
    assertThat(Settings.repository("mysql@sha256:0123abcd")).isEqualTo("mysql");
    assertThat(Settings.repository("localhost:5000/app:1.0")).isEqualTo("localhost:5000/app");
    assertThat(Settings.repository("localhost:5000/app")).isEqualTo("localhost:5000/app");
  }
}
