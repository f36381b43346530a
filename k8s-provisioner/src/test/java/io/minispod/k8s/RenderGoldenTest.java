package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.minispod.provisioner.ContainerSpec;
import io.minispod.provisioner.FailureReason;
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
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code render(spec)} gives exactly the manifests in {@code src/test/resources/golden}. After an
 * intended change, regenerate them with {@code -Dgolden.update=true} and review the diff.
 */
final class RenderGoldenTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final UUID N8N_ID = RenderedManifests.N8N_ID;
  private static final UUID GHOST_ID = RenderedManifests.GHOST_ID;

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
        KubernetesProvisioner.builder()
            .client(RenderedManifests.CLIENT)
            .baseDomain("apps.example.com")
            .build();
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
            ProvisioningException.class,
            e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.reason()).isEqualTo(FailureReason.CONFIGURATION);
              assertThat(e.platformDetail().orElseThrow())
                  .contains("refers to companion 'postgres'");
            })
        .hasMessageMatching(
            "Instance "
                + N8N_ID
                + ": the app could not be started with its configuration \\(reference [0-9a-f]{8}\\)");
  }

  @Test
  void render_environmentKeyInvalidForAConfigMap_isRefused() {
    InstanceSpec spec = withAppEnv(Map.of("BAD KEY", "x"), "n8n-k3x9q2mt");

    assertThatThrownBy(() -> provisioner().build().render(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.CONFIGURATION);
              assertThat(e.platformDetail().orElseThrow())
                  .contains("'BAD KEY'")
                  .contains("not a valid name");
            })
        .hasMessageNotContaining("BAD KEY");
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
  void render_volumePathWithoutStorage_mountsASizeLimitedEmptyDirAndNoClaim() {
    InstanceSpec spec = withApp(app("/scratch", 0, null, List.of()));

    List<HasMetadata> objects = RenderedManifests.render(provisioner().build(), spec);

    PodSpec pod = pod(objects, "tmp-k3x9q2mt-app");
    assertThat(volumes(pod))
        .containsEntry("data", new Quantity("1024Mi"))
        .containsEntry("scratch-tmp", new Quantity("1024Mi"));
    assertThat(mounts(pod.getContainers().get(0)))
        .containsEntry("/scratch", "data")
        .containsEntry("/tmp", "scratch-tmp");
    assertThat(RenderedManifests.all(objects, PersistentVolumeClaim.class)).isEmpty();
    assertThat(
            RenderedManifests.only(objects, ResourceQuota.class, "minispod-quota")
                .getSpec()
                .getHard())
        .containsEntry("requests.storage", new Quantity("0Gi"));
  }

  @Test
  void render_scratchSpaceOfTheSpec_sizesRequestsLimitsEveryEmptyDirAndTheQuota() {
    InstanceSpec spec = withApp(app("/scratch", 0, 300, List.of("/var/cache/app")));

    List<HasMetadata> objects =
        RenderedManifests.render(provisioner().defaultEphemeralStorageMiB(2048).build(), spec);

    PodSpec pod = pod(objects, "tmp-k3x9q2mt-app");
    Container app = pod.getContainers().get(0);
    assertThat(app.getResources().getRequests())
        .containsEntry("ephemeral-storage", new Quantity("300Mi"));
    assertThat(app.getResources().getLimits())
        .containsEntry("ephemeral-storage", new Quantity("300Mi"));
    assertThat(volumes(pod))
        .containsOnly(
            Map.entry("data", new Quantity("300Mi")),
            Map.entry("scratch-tmp", new Quantity("300Mi")),
            Map.entry("scratch-var-cache-app", new Quantity("300Mi")));
    assertThat(mounts(app)).containsEntry("/var/cache/app", "scratch-var-cache-app");
    assertThat(
            RenderedManifests.only(objects, ResourceQuota.class, "minispod-quota")
                .getSpec()
                .getHard())
        .containsEntry("requests.ephemeral-storage", new Quantity("300Mi"))
        .containsEntry("limits.ephemeral-storage", new Quantity("300Mi"));
    assertThat(
            RenderedManifests.only(objects, LimitRange.class, "minispod-defaults")
                .getSpec()
                .getLimits()
                .get(0)
                .getDefault())
        .containsEntry("ephemeral-storage", new Quantity("2048Mi"));
  }

  @Test
  void render_imageWithConfiguredWritablePaths_getsThemBesidesItsSpecs() {
    ContainerSpec mysql =
        new ContainerSpec(
            "app",
            "docker.io/library/mysql:8.4.3",
            3306,
            Map.of(),
            Map.of(),
            "/var/lib/mysql",
            null,
            null,
            999L,
            999L,
            new ResourceLimits(250, 512, 2));

    PodSpec byDefault =
        pod(RenderedManifests.render(provisioner().build(), withApp(mysql)), "tmp-k3x9q2mt-app");
    PodSpec configured =
        pod(
            RenderedManifests.render(
                provisioner()
                    .writablePaths("mysql", List.of("/var/run/mysqld", "/var/log/mysql"))
                    .build(),
                withApp(mysql)),
            "tmp-k3x9q2mt-app");
    PodSpec removed =
        pod(
            RenderedManifests.render(
                provisioner().writablePaths("mysql", List.of()).build(), withApp(mysql)),
            "tmp-k3x9q2mt-app");

    assertThat(mounts(byDefault.getContainers().get(0)))
        .containsOnlyKeys("/var/lib/mysql", "/tmp", "/var/run/mysqld");
    assertThat(mounts(configured.getContainers().get(0)))
        .containsOnlyKeys("/var/lib/mysql", "/tmp", "/var/log/mysql", "/var/run/mysqld");
    assertThat(mounts(removed.getContainers().get(0))).containsOnlyKeys("/var/lib/mysql", "/tmp");
  }

  @Test
  void render_pathsThatMakeTheSameName_getVolumesOfTheirOwn() {
    InstanceSpec spec = withApp(app(null, 0, null, List.of("/var/a-b", "/var/a/b", "/var/A.b")));

    Container app =
        pod(RenderedManifests.render(provisioner().build(), spec), "tmp-k3x9q2mt-app")
            .getContainers()
            .get(0);

    assertThat(mounts(app)).hasSize(4);
    assertThat(Set.copyOf(mounts(app).values())).hasSize(4);
    // In path order, the first takes the plain name.
    assertThat(mounts(app).get("/var/A.b")).isEqualTo("scratch-var-a-b");
    assertThat(mounts(app).get("/var/a-b")).matches("scratch-var-a-b-[0-9a-f]{8}");
    assertThat(mounts(app).get("/var/a/b")).matches("scratch-var-a-b-[0-9a-f]{8}");
  }

  @Test
  void render_volumePathIsTmp_mountsTheVolumeThereAndNoOtherTmp() {
    InstanceSpec spec = withApp(app("/tmp", 0, null, List.of()));

    Container app =
        pod(RenderedManifests.render(provisioner().build(), spec), "tmp-k3x9q2mt-app")
            .getContainers()
            .get(0);

    assertThat(mounts(app)).containsOnly(Map.entry("/tmp", "data"));
  }

  private static ContainerSpec app(
      String volumePath, int storageGiB, Integer ephemeralMiB, List<String> writable) {
    return new ContainerSpec(
        "app",
        "example/app:1.0",
        8080,
        Map.of(),
        Map.of(),
        volumePath,
        null,
        null,
        null,
        null,
        new ResourceLimits(100, 128, storageGiB),
        ephemeralMiB,
        writable);
  }

  private static InstanceSpec withApp(ContainerSpec app) {
    return new InstanceSpec(
        N8N_ID, "user-42", "tmp-k3x9q2mt", "n8n", "free", app, List.of(), Set.of());
  }

  private static PodSpec pod(List<HasMetadata> objects, String deployment) {
    return RenderedManifests.only(objects, Deployment.class, deployment)
        .getSpec()
        .getTemplate()
        .getSpec();
  }

  /** Each emptyDir volume of a pod with its size limit. */
  private static Map<String, Quantity> volumes(PodSpec pod) {
    Map<String, Quantity> sizes = new TreeMap<>();
    for (Volume v : pod.getVolumes()) {
      if (v.getEmptyDir() != null) {
        sizes.put(v.getName(), v.getEmptyDir().getSizeLimit());
      }
    }
    return sizes;
  }

  /** A container's mount paths with the volume mounted there. */
  private static Map<String, String> mounts(Container c) {
    Map<String, String> mounts = new TreeMap<>();
    for (VolumeMount m : c.getVolumeMounts()) {
      mounts.put(m.getMountPath(), m.getName());
    }
    return mounts;
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
    return RenderedManifests.provisioner();
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
