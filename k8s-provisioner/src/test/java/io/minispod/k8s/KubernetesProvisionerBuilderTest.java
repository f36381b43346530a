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
            .listPageSize(0);

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
                      "listPageSize");
            });
  }

  @Test
  void build_withoutBaseDomain_isRefused() {
    assertThatThrownBy(() -> KubernetesProvisioner.builder().build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("baseDomain");
  }
}
