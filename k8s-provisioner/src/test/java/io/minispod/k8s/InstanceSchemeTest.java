package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ResourceLimits;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheme an app is told ({@code {{scheme}}}, {@code {{url}}}) is the one it is served on and
 * that its URL has: {@code https} only when TLS is configured (a cert-manager issuer, or TLS ended
 * before the ingress controller), {@code http} otherwise.
 */
final class InstanceSchemeTest {

  private static final InstanceSpec N8N =
      AppTemplates.n8n(
          RenderedManifests.N8N_ID,
          "user-42",
          "n8n-k3x9q2mt",
          "pro",
          new ResourceLimits(1000, 1024, 10));

  @Test
  void render_withoutTls_tellsTheAppHttpAsItsUrlHas() {
    KubernetesProvisioner provisioner = RenderedManifests.provisioner().build();

    assertThat(env(provisioner))
        .containsEntry("N8N_PROTOCOL", "http")
        .containsEntry("WEBHOOK_URL", "http://n8n-k3x9q2mt.apps.example.com/");
    assertThat(provisioner.settings().url(N8N)).isEqualTo("http://n8n-k3x9q2mt.apps.example.com");
  }

  @Test
  void render_withClusterIssuer_tellsTheAppHttpsAsItsUrlHas() {
    KubernetesProvisioner provisioner =
        RenderedManifests.provisioner().clusterIssuer("letsencrypt").build();

    assertThat(env(provisioner))
        .containsEntry("N8N_PROTOCOL", "https")
        .containsEntry("WEBHOOK_URL", "https://n8n-k3x9q2mt.apps.example.com/");
    assertThat(provisioner.settings().url(N8N)).isEqualTo("https://n8n-k3x9q2mt.apps.example.com");
  }

  @Test
  void render_withExternalTls_tellsTheAppHttpsAsItsUrlHas() {
    KubernetesProvisioner provisioner = RenderedManifests.provisioner().externalTls(true).build();

    assertThat(env(provisioner))
        .containsEntry("N8N_PROTOCOL", "https")
        .containsEntry("WEBHOOK_URL", "https://n8n-k3x9q2mt.apps.example.com/");
    assertThat(provisioner.settings().url(N8N)).isEqualTo("https://n8n-k3x9q2mt.apps.example.com");
  }

  private static Map<String, String> env(KubernetesProvisioner provisioner) {
    return RenderedManifests.only(
            RenderedManifests.render(provisioner, N8N), ConfigMap.class, "n8n-k3x9q2mt-app-env")
        .getData();
  }
}
