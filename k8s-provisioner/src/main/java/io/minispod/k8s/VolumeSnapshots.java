package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.minispod.provisioner.InstanceBackup;
import io.minispod.provisioner.InstanceRef;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups as CSI VolumeSnapshots ({@code snapshot.storage.k8s.io/v1}): one backup is a snapshot of
 * each of the instance's PersistentVolumeClaims, taken together and named by the backup's id. Each
 * snapshot carries its claim's labels (so {@code -l minispod.io/instance=<id>} finds it), the
 * backup's id as {@value KubernetesLabels#BACKUP} and, as annotations, when the backup was taken
 * (by the provisioner's clock) and why. The snapshots are read as generic resources: no model of
 * the snapshot API is needed on the class path.
 */
final class VolumeSnapshots {

  private static final Logger log = LoggerFactory.getLogger(VolumeSnapshots.class);

  static final String API_VERSION = "snapshot.storage.k8s.io/v1";
  static final String KIND = "VolumeSnapshot";

  private static final ResourceDefinitionContext SNAPSHOTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("snapshot.storage.k8s.io")
          .withVersion("v1")
          .withKind(KIND)
          .withPlural("volumesnapshots")
          .withNamespaced(true)
          .build();

  private static final ResourceDefinitionContext CLASSES =
      new ResourceDefinitionContext.Builder()
          .withGroup("snapshot.storage.k8s.io")
          .withVersion("v1")
          .withKind("VolumeSnapshotClass")
          .withPlural("volumesnapshotclasses")
          .withNamespaced(false)
          .build();

  private static final Comparator<InstanceBackup> NEWEST_FIRST =
      Comparator.comparing(InstanceBackup::takenAt).thenComparing(InstanceBackup::id).reversed();

  private final KubernetesClient client;
  private final ApiRetrier retrier;
  private final Settings settings;

  VolumeSnapshots(KubernetesClient client, ApiRetrier retrier, Settings settings) {
    this.client = client;
    this.retrier = retrier;
    this.settings = settings;
  }

  /**
   * Whether the cluster serves the snapshot API, read with one attempt: {@code false} when it
   * answers 404 (no snapshot CRDs installed), {@code null} when it cannot be read now.
   */
  Boolean readSupport() {
    try {
      List<GenericKubernetesResource> classes =
          client.genericKubernetesResources(CLASSES).list().getItems();
      log.info(
          "The cluster serves VolumeSnapshots ({} VolumeSnapshotClass(es)); backups use {}",
          classes.size(),
          settings.volumeSnapshotClass() == null
              ? "the default class"
              : "class " + settings.volumeSnapshotClass());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        log.warn(
            "The cluster serves no VolumeSnapshot API (snapshot.storage.k8s.io/v1): no backups are"
                + " taken");
        return false;
      }
      log.warn(
          "Could not read whether the cluster serves VolumeSnapshots; asking again later: {}",
          e.getMessage());
      return null;
    }
  }

  /**
   * Snapshots each of the instance's volumes under the backup's id unless they are there, then
   * deletes the backups beyond the newest {@code keep}.
   *
   * @param volumes the instance's claims, by name
   * @return the backup; empty when the instance has no volume
   */
  Optional<InstanceBackup> backUp(
      InstanceRef instance,
      String namespace,
      Map<String, PersistentVolumeClaim> volumes,
      String key,
      InstanceBackup.Reason reason,
      int keep) {
    UUID id = instance.instanceId();
    if (volumes.isEmpty()) {
      log.debug("Instance {}: no volume in {}, nothing to back up", id, namespace);
      return Optional.empty();
    }
    String backupId = Names.sha256(id + " " + key).substring(0, 12);
    Instant now = settings.clock().instant();
    for (PersistentVolumeClaim claim : volumes.values()) {
      create(id, snapshot(namespace, claim, backupId, now, reason));
    }
    List<InstanceBackup> all = list(id, namespace);
    // Listed unless someone removed it at once; then it is what was just written.
    InstanceBackup taken =
        all.stream()
            .filter(b -> b.id().equals(backupId))
            .findFirst()
            .orElse(new InstanceBackup(backupId, now, reason));
    for (InstanceBackup old : all.subList(Math.min(keep, all.size()), all.size())) {
      if (!old.id().equals(backupId)) {
        delete(id, namespace, old.id());
      }
    }
    log.info(
        "Instance {}: backup {} ({}) of {} volume(s) taken at {}",
        id,
        backupId,
        reason,
        volumes.size(),
        taken.takenAt());
    return Optional.of(taken);
  }

  /** The instance's backups, newest first; none when the cluster serves no snapshot API. */
  List<InstanceBackup> list(UUID id, String namespace) {
    List<GenericKubernetesResource> items;
    try {
      items =
          retrier.call(
              id,
              "listing VolumeSnapshots of " + namespace,
              () -> byInstance(id, namespace).list().getItems(),
              VolumeSnapshots::noSnapshotApi);
    } catch (KubernetesClientException noApi) {
      return List.of();
    }
    Map<String, InstanceBackup> backups = new TreeMap<>();
    for (GenericKubernetesResource snapshot : items) {
      InstanceBackup backup = backupOf(snapshot);
      if (backup != null) {
        backups.merge(backup.id(), backup, (a, b) -> a.takenAt().isBefore(b.takenAt()) ? a : b);
      }
    }
    List<InstanceBackup> newestFirst = new ArrayList<>(backups.values());
    newestFirst.sort(NEWEST_FIRST);
    return newestFirst;
  }

  /** Deletes every snapshot of the instance; nothing to do where there is no snapshot API. */
  void deleteAll(UUID id, String namespace) {
    try {
      retrier.call(
          id,
          "deleting VolumeSnapshots of instance in " + namespace,
          () -> byInstance(id, namespace).delete(),
          VolumeSnapshots::noSnapshotApi);
    } catch (KubernetesClientException noApi) {
      log.debug("Instance {}: no VolumeSnapshot API, no snapshots to delete", id);
    }
  }

  private void delete(UUID id, String namespace, String backupId) {
    retrier.run(
        id,
        "deleting VolumeSnapshots of backup " + backupId + " in " + namespace,
        () -> byInstance(id, namespace).withLabel(KubernetesLabels.BACKUP, backupId).delete());
    log.info("Instance {}: backup {} deleted (beyond the backups kept)", id, backupId);
  }

  /** Creates the snapshot unless one of its name exists (a retried call, another node). */
  private void create(UUID id, GenericKubernetesResource snapshot) {
    String name = snapshot.getMetadata().getName();
    String namespace = snapshot.getMetadata().getNamespace();
    retrier.run(
        id,
        "writing VolumeSnapshot " + namespace + "/" + name,
        () -> {
          Resource<GenericKubernetesResource> resource =
              snapshots().inNamespace(namespace).resource(snapshot);
          if (resource.get() == null) {
            resource.create();
          }
        });
  }

  private GenericKubernetesResource snapshot(
      String namespace,
      PersistentVolumeClaim claim,
      String backupId,
      Instant takenAt,
      InstanceBackup.Reason reason) {
    Map<String, String> labels = new TreeMap<>();
    if (claim.getMetadata().getLabels() != null) {
      labels.putAll(claim.getMetadata().getLabels());
    }
    labels.put(KubernetesLabels.BACKUP, backupId);
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(KubernetesLabels.TAKEN_AT_ANNOTATION, takenAt.toString());
    annotations.put(KubernetesLabels.BACKUP_REASON_ANNOTATION, reason.name());
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("persistentVolumeClaimName", claim.getMetadata().getName());
    Map<String, Object> spec = new LinkedHashMap<>();
    if (settings.volumeSnapshotClass() != null) {
      spec.put("volumeSnapshotClassName", settings.volumeSnapshotClass());
    }
    spec.put("source", source);
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(API_VERSION)
        .withKind(KIND)
        .withNewMetadata()
        .withName(Names.snapshot(claim.getMetadata().getName(), backupId))
        .withNamespace(namespace)
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  /** The backup a snapshot belongs to, or null for one without our label and date. */
  private static InstanceBackup backupOf(GenericKubernetesResource snapshot) {
    Map<String, String> labels = snapshot.getMetadata().getLabels();
    Map<String, String> annotations = snapshot.getMetadata().getAnnotations();
    if (labels == null || annotations == null || labels.get(KubernetesLabels.BACKUP) == null) {
      return null;
    }
    try {
      InstanceBackup.Reason reason =
          InstanceBackup.Reason.valueOf(
              annotations.getOrDefault(
                  KubernetesLabels.BACKUP_REASON_ANNOTATION,
                  InstanceBackup.Reason.SCHEDULED.name()));
      return new InstanceBackup(
          labels.get(KubernetesLabels.BACKUP),
          Instant.parse(annotations.get(KubernetesLabels.TAKEN_AT_ANNOTATION)),
          reason);
    } catch (IllegalArgumentException | NullPointerException | DateTimeParseException e) {
      return null;
    }
  }

  private MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      snapshots() {
    return client.genericKubernetesResources(SNAPSHOTS);
  }

  private FilterWatchListDeletable<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      byInstance(UUID id, String namespace) {
    return snapshots().inNamespace(namespace).withLabel(KubernetesLabels.INSTANCE, id.toString());
  }

  /** A cluster without the snapshot CRDs answers 404: no snapshots, and nothing to fail. */
  private static boolean noSnapshotApi(KubernetesClientException e) {
    return e.getCode() == 404;
  }
}
