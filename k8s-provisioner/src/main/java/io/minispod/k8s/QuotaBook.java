package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps a namespace's ResourceQuota equal to the sum of its instances. Each instance's share is an
 * annotation of the quota object ({@code quota.minispod.io/<instance id>}), so adding, resizing or
 * removing a share and recomputing the total is one write under the object's resource version:
 * concurrent provisioning for one owner cannot lose a share.
 */
final class QuotaBook {

  private final KubernetesClient client;
  private final ApiRetrier retrier;
  private final ClusterWriter writer;
  private final ManifestRenderer renderer;

  QuotaBook(
      KubernetesClient client,
      ApiRetrier retrier,
      ClusterWriter writer,
      ManifestRenderer renderer) {
    this.client = client;
    this.retrier = retrier;
    this.writer = writer;
    this.renderer = renderer;
  }

  /** Sets an instance's share of its namespace's quota and recomputes the total. */
  void record(UUID instanceId, String namespace, String ownerId, Footprint footprint) {
    String key = key(instanceId);
    ResourceQuota first = renderer.quota(namespace, ownerId, Map.of(key, footprint.encode()));
    writer.modify(
        instanceId,
        first,
        existing -> {
          Map<String, String> annotations = annotations(existing);
          annotations.put(key, footprint.encode());
          return writer.merge(existing, renderer.quota(namespace, ownerId, annotations));
        });
  }

  /**
   * Removes an instance's share and recomputes the total.
   *
   * @return how many instances still hold a share of the namespace (0 when it has no quota)
   */
  int release(UUID instanceId, String namespace, String ownerId) {
    String key = key(instanceId);
    AtomicInteger remaining = new AtomicInteger();
    ResourceQuota written =
        writer.update(
            instanceId,
            locator(namespace),
            existing -> {
              Map<String, String> annotations = annotations(existing);
              annotations.remove(key);
              remaining.set(shares(annotations));
              ResourceQuota next =
                  writer.merge(existing, renderer.quota(namespace, ownerId, annotations));
              next.getMetadata().setAnnotations(annotations);
              return next;
            });
    return written == null ? 0 : remaining.get();
  }

  /** An instance's recorded share, if it has one. */
  Optional<Footprint> share(UUID instanceId, String namespace) {
    ResourceQuota quota =
        retrier.call(
            instanceId,
            "reading ResourceQuota " + namespace + "/" + ManifestRenderer.QUOTA,
            () -> client.resource(locator(namespace)).get());
    if (quota == null) {
      return Optional.empty();
    }
    return Footprint.decode(
        annotations(quota).get(key(instanceId)), renderer.defaultEphemeralStorageMiB());
  }

  static String key(UUID instanceId) {
    return KubernetesLabels.QUOTA_SHARE_PREFIX + instanceId;
  }

  private static ResourceQuota locator(String namespace) {
    return new ResourceQuotaBuilder()
        .withNewMetadata()
        .withName(ManifestRenderer.QUOTA)
        .withNamespace(namespace)
        .endMetadata()
        .build();
  }

  private static Map<String, String> annotations(ResourceQuota quota) {
    Map<String, String> annotations = quota.getMetadata().getAnnotations();
    return annotations == null ? new LinkedHashMap<>() : new LinkedHashMap<>(annotations);
  }

  private static int shares(Map<String, String> annotations) {
    return (int)
        annotations.keySet().stream()
            .filter(k -> k.startsWith(KubernetesLabels.QUOTA_SHARE_PREFIX))
            .count();
  }
}
