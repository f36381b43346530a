package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.minispod.provisioner.ContainerSpec;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.provisioner.ResourceLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code render(spec)} gives exactly the manifests in {@code src/test/resources/golden}. After an
 * intended change, regenerate them with {@code -Dgolden.update=true} and review the diff.
 */
final class RenderGoldenTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final UUID N8N_ID = UUID.fromString("7d1f3c2a-5b6e-4c8d-9e0f-1a2b3c4d5e6f");
  private static final UUID GHOST_ID = UUID.fromString("0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f");

  /** No server is contacted: rendering only serializes. */
  private static final KubernetesClient CLIENT =
      new KubernetesClientBuilder()
          .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
          .build();

  private static final SecretGenerator PREDICTABLE = key -> "generated-" + key;

  @AfterAll
  static void closeClient() {
    CLIENT.close();
  }

  @Test
  void render_n8nWithCertManager_matchesGoldenFile() throws IOException {
    KubernetesProvisioner provisioner =
        provisioner().clusterIssuer("letsencrypt").storageClass("standard").build();

    String yaml =
        provisioner.render(
            AppTemplates.n8n(
                N8N_ID, "user-42", "n8n-k3x9q2mt", "pro", new ResourceLimits(1000, 1024, 10)));

    assertMatchesGolden("n8n.yaml", yaml);
  }

  @Test
  void render_ghostWithoutIssuer_matchesGoldenFile() throws IOException {
    KubernetesProvisioner provisioner = provisioner().build();

    String yaml =
        provisioner.render(
            AppTemplates.ghost(
                GHOST_ID, "user-42", "ghost-p7w2r5vb", "basic", new ResourceLimits(500, 512, 5)));

    assertMatchesGolden("ghost.yaml", yaml);
  }

  @Test
  void render_secureGenerator_neverRepeatsASecret() {
    KubernetesProvisioner provisioner =
        KubernetesProvisioner.builder().client(CLIENT).baseDomain("apps.example.com").build();
    InstanceSpec spec =
        AppTemplates.n8n(N8N_ID, "user-42", "n8n-k3x9q2mt", "pro", new ResourceLimits(1, 1, 1));

    String first = provisioner.render(spec);
    String second = provisioner.render(spec);

    assertThat(first).isNotEqualTo(second).doesNotContain("generated-");
    assertThat(first.replaceAll("n8n-encryption-key: \\S+", ""))
        .isEqualTo(second.replaceAll("n8n-encryption-key: \\S+", ""));
  }

  @Test
  void render_placeholderNamesUnknownCompanion_isRefused() {
    InstanceSpec spec = withAppEnv(Map.of("DB_HOST", "{{companion:postgres}}"), "n8n-k3x9q2mt");

    assertThatThrownBy(() -> provisioner().build().render(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("refers to companion 'postgres'");
  }

  @Test
  void render_environmentKeyInvalidForAConfigMap_isRefused() {
    InstanceSpec spec = withAppEnv(Map.of("BAD KEY", "x"), "n8n-k3x9q2mt");

    assertThatThrownBy(() -> provisioner().build().render(spec))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("'BAD KEY'")
        .hasMessageContaining("not a valid name");
  }

  @Test
  void render_longSubdomain_keepsEveryNameADnsLabel() {
    String subdomain = "ghost-" + "x".repeat(57);
    String yaml =
        provisioner()
            .build()
            .render(
                AppTemplates.ghost(
                    GHOST_ID, "user-42", subdomain, "basic", new ResourceLimits(500, 512, 5)));

    List<String> names =
        yaml.lines()
            .filter(l -> l.startsWith("  name: "))
            .map(l -> l.substring("  name: ".length()).replace("\"", ""))
            .toList();
    assertThat(names)
        .isNotEmpty()
        .allSatisfy(n -> assertThat(n).matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"))
        .contains(subdomain);
    // The companion's Service keeps its own (shortened) name, which the app's environment uses.
    String companionHost = Names.service(subdomain, "mysql", false);
    assertThat(companionHost).hasSize(63).isNotEqualTo(Names.deployment(subdomain, "app"));
    assertThat(yaml).contains("database__connection__host: \"" + companionHost + "\"");
  }

  @Test
  void render_volumePathWithoutStorage_mountsAnEmptyDirAndNoClaim() {
    ContainerSpec app =
        new ContainerSpec(
            "app",
            AppTemplates.N8N_IMAGE,
            5678,
            Map.of(),
            Map.of(),
            "/scratch",
            null,
            null,
            null,
            null,
            new ResourceLimits(100, 128, 0));
    InstanceSpec spec =
        new InstanceSpec(
            N8N_ID, "user-42", "tmp-k3x9q2mt", "n8n", "free", app, List.of(), Set.of());

    String yaml = provisioner().build().render(spec);

    assertThat(yaml)
        .contains("emptyDir: {}")
        .contains("mountPath: \"/scratch\"")
        .doesNotContain("kind: \"PersistentVolumeClaim\"")
        .contains("requests.storage: \"0Gi\"");
  }

  private static InstanceSpec withAppEnv(Map<String, String> env, String subdomain) {
    ContainerSpec app =
        new ContainerSpec(
            "app",
            AppTemplates.N8N_IMAGE,
            5678,
            env,
            Map.of(),
            null,
            null,
            null,
            null,
            null,
            new ResourceLimits(100, 128, 0));
    return new InstanceSpec(N8N_ID, "user-42", subdomain, "n8n", "basic", app, List.of(), Set.of());
  }

  private static KubernetesProvisionerBuilder provisioner() {
    return KubernetesProvisioner.builder()
        .client(CLIENT)
        .baseDomain("apps.example.com")
        .secretGenerator(PREDICTABLE);
  }

  private static void assertMatchesGolden(String file, String actual) throws IOException {
    Path path = GOLDEN.resolve(file);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(path, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(path, StandardCharsets.UTF_8));
  }
}
