package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.minispod.provisioner.InstanceSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The manifests {@code render(spec)} writes, parsed back into objects: what the golden files hold,
 * for tests that check rules over them. No server is contacted.
 */
final class RenderedManifests {

  static final UUID N8N_ID = UUID.fromString("7d1f3c2a-5b6e-4c8d-9e0f-1a2b3c4d5e6f");
  static final UUID GHOST_ID = UUID.fromString("0c9e8d7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f");

  /**
   * Rendering only serializes; the one request a provisioner makes when it is built (reading the
   * StorageClasses) is refused at once, without the client's own retries.
   */
  static final KubernetesClient CLIENT =
      new KubernetesClientBuilder()
          .withConfig(
              new ConfigBuilder()
                  .withMasterUrl("https://127.0.0.1:1")
                  .withRequestRetryBackoffLimit(0)
                  .build())
          .build();

  /** Generated secrets with predictable values, so that golden files stay put. */
  static final SecretGenerator PREDICTABLE = key -> "generated-" + key;

  private RenderedManifests() {}

  /** A provisioner for rendering: predictable secrets, the golden files' base domain. */
  static KubernetesProvisionerBuilder provisioner() {
    return KubernetesProvisioner.builder()
        .client(CLIENT)
        .baseDomain("apps.example.com")
        .secretGenerator(PREDICTABLE);
  }

  /** What {@code provisioner} renders for {@code spec}, as objects in write order. */
  static List<HasMetadata> render(KubernetesProvisioner provisioner, InstanceSpec spec) {
    return parse(provisioner.render(spec));
  }

  /** Multi-document YAML as objects, in document order. */
  static List<HasMetadata> parse(String yaml) {
    return CLIENT.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
  }

  /** The only object of a kind and name. */
  static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> kind, String name) {
    return objects.stream()
        .filter(kind::isInstance)
        .map(kind::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .reduce(
            (a, b) -> {
              throw new IllegalStateException("two " + kind.getSimpleName() + "s named " + name);
            })
        .orElseThrow(() -> new IllegalStateException("no " + kind.getSimpleName() + " " + name));
  }

  /** Every object of a kind, in document order. */
  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }
}
