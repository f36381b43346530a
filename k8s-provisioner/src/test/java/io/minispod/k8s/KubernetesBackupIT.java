package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.InstanceBackup;
import io.minispod.provisioner.InstanceBackup.Reason;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.provisioner.ResourceLimits;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backups as VolumeSnapshots against fabric8's mock API server in CRUD mode: what is written, how
 * many are kept, how they are listed, that they go with their instance, and a cluster without the
 * snapshot API.
 */
final class KubernetesBackupIT {

  private static final ResourceLimits BASIC = new ResourceLimits(500, 512, 5);
  private static final ResourceDefinitionContext SNAPSHOTS =
      new ResourceDefinitionContext.Builder()
          .withGroup("snapshot.storage.k8s.io")
          .withVersion("v1")
          .withKind("VolumeSnapshot")
          .withPlural("volumesnapshots")
          .withNamespaced(true)
          .build();

  private static MockKubernetes k8s;
  private static MutableClock clock;
  private static KubernetesProvisioner provisioner;

  @BeforeAll
  static void start() {
    k8s = MockKubernetes.start();
    k8s.storageClass("standard", true, true);
    clock = MutableClock.at(MockKubernetes.NOW);
    provisioner = k8s.open(k8s.provisioner().clock(clock).volumeSnapshotClass("csi-snapshots"));
  }

  @AfterAll
  static void stop() {
    k8s.close();
  }

  @Test
  void backUp_n8n_snapshotsItsVolumeWithTheClaimAsSourceAndTheInstanceLabels() {
    InstanceSpec spec = provisioned(n8n(owner()));
    String ns = provisioner.namespaceOf(spec.ownerId());

    InstanceBackup backup =
        provisioner.backUp(spec.ref(), "upgrade:1", Reason.BEFORE_UPGRADE, 7).orElseThrow();

    assertThat(provisioner.supportsBackups()).isTrue();
    List<GenericKubernetesResource> written = snapshots(ns, spec.instanceId());
    assertThat(written).hasSize(1);
    GenericKubernetesResource snapshot = written.get(0);
    String claim = Names.volume(spec.subdomain(), "app");
    assertThat(snapshot.getApiVersion()).isEqualTo("snapshot.storage.k8s.io/v1");
    assertThat(snapshot.getKind()).isEqualTo("VolumeSnapshot");
    assertThat(snapshot.getMetadata().getName()).isEqualTo(claim + "-" + backup.id());
    assertThat(snapshot.getMetadata().getLabels())
        .containsEntry(KubernetesLabels.MANAGED_BY, KubernetesLabels.MANAGED_BY_VALUE)
        .containsEntry(KubernetesLabels.OWNER, Names.ownerKey(spec.ownerId()))
        .containsEntry(KubernetesLabels.INSTANCE, spec.instanceId().toString())
        .containsEntry(KubernetesLabels.APP_INSTANCE, spec.subdomain())
        .containsEntry(KubernetesLabels.COMPONENT, "app")
        .containsEntry(KubernetesLabels.PLAN, "basic")
        .containsEntry(KubernetesLabels.BACKUP, backup.id());
    assertThat(snapshot.getMetadata().getAnnotations())
        .containsEntry(KubernetesLabels.TAKEN_AT_ANNOTATION, MockKubernetes.NOW.toString())
        .containsEntry(KubernetesLabels.BACKUP_REASON_ANNOTATION, "BEFORE_UPGRADE");
    assertThat(snapshot.<String>get("spec", "source", "persistentVolumeClaimName"))
        .isEqualTo(claim);
    assertThat(snapshot.<String>get("spec", "volumeSnapshotClassName")).isEqualTo("csi-snapshots");
    assertThat(backup)
        .isEqualTo(new InstanceBackup(backup.id(), MockKubernetes.NOW, Reason.BEFORE_UPGRADE));
  }

  @Test
  void backUp_ghost_snapshotsEveryVolumeAsOneBackup() {
    InstanceSpec spec = provisioned(KubernetesProvisionerIT.ghost(owner(), BASIC));
    String ns = provisioner.namespaceOf(spec.ownerId());

    InstanceBackup backup =
        provisioner.backUp(spec.ref(), "daily:1", Reason.SCHEDULED, 7).orElseThrow();

    assertThat(snapshots(ns, spec.instanceId()))
        .extracting(s -> s.<String>get("spec", "source", "persistentVolumeClaimName"))
        .containsExactlyInAnyOrder(
            Names.volume(spec.subdomain(), "app"), Names.volume(spec.subdomain(), "mysql"));
    assertThat(provisioner.backups(spec.ref())).containsExactly(backup);
  }

  @Test
  void backUp_sameKeyAgain_takesNoSecondSnapshot() {
    InstanceSpec spec = provisioned(n8n(owner()));
    String ns = provisioner.namespaceOf(spec.ownerId());
    InstanceBackup first =
        provisioner.backUp(spec.ref(), "upgrade:2", Reason.BEFORE_UPGRADE, 7).orElseThrow();

    InstanceBackup again =
        provisioner.backUp(spec.ref(), "upgrade:2", Reason.BEFORE_UPGRADE, 7).orElseThrow();

    assertThat(again).isEqualTo(first);
    assertThat(snapshots(ns, spec.instanceId())).hasSize(1);
  }

  @Test
  void backUp_beyondKeep_deletesTheOldestAndListsNewestFirst() {
    InstanceSpec spec = provisioned(n8n(owner()));
    String ns = provisioner.namespaceOf(spec.ownerId());
    List<InstanceBackup> taken = new java.util.ArrayList<>();
    for (int day = 1; day <= 4; day++) {
      clock.set(MockKubernetes.NOW.plus(Duration.ofDays(day)));
      taken.add(provisioner.backUp(spec.ref(), "day:" + day, Reason.SCHEDULED, 3).orElseThrow());
    }

    List<InstanceBackup> kept = provisioner.backups(spec.ref());

    assertThat(kept).containsExactly(taken.get(3), taken.get(2), taken.get(1));
    assertThat(snapshots(ns, spec.instanceId()))
        .extracting(s -> s.getMetadata().getLabels().get(KubernetesLabels.BACKUP))
        .containsExactlyInAnyOrder(taken.get(1).id(), taken.get(2).id(), taken.get(3).id());
  }

  @Test
  void deprovision_deletesTheInstancesSnapshotsAndNoOthers() {
    String owner = owner();
    InstanceSpec gone = n8n(owner);
    InstanceSpec stays = n8n(owner);
    provisioner.provision(gone);
    provisioner.provision(stays);
    provisioner.backUp(gone.ref(), "k", Reason.SCHEDULED, 7).orElseThrow();
    InstanceBackup kept = provisioner.backUp(stays.ref(), "k", Reason.SCHEDULED, 7).orElseThrow();
    String ns = provisioner.namespaceOf(owner);

    provisioner.deprovision(gone.ref());

    assertThat(snapshots(ns, gone.instanceId())).isEmpty();
    assertThat(provisioner.backups(gone.ref())).isEmpty();
    assertThat(provisioner.backups(stays.ref())).containsExactly(kept);
  }

  @Test
  void backUp_instanceWithoutVolume_hasNothingToBackUp() {
    InstanceSpec gone = n8n(owner());

    assertThat(provisioner.backUp(gone.ref(), "k", Reason.SCHEDULED, 7)).isEmpty();
  }

  @Test
  void backUp_keepBelowOne_isRefused() {
    InstanceSpec spec = n8n(owner());

    assertThatThrownBy(() -> provisioner.backUp(spec.ref(), "k", Reason.SCHEDULED, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keep must be at least 1");
  }

  @Test
  void backUp_serverErrorsOutlastTheRetries_failRetryableWithoutTheClustersWords() {
    InstanceSpec spec = provisioned(n8n(owner()));
    String ns = provisioner.namespaceOf(spec.ownerId());
    k8s.server
        .expect()
        .post()
        .withPath("/apis/snapshot.storage.k8s.io/v1/namespaces/" + ns + "/volumesnapshots")
        .andReturn(
            503, ApiFailureIT.status(503, "ServiceUnavailable", "etcd cluster is unavailable"))
        .times(3);

    assertThatThrownBy(() -> provisioner.backUp(spec.ref(), "k", Reason.SCHEDULED, 7))
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              Failures.failed(FailureReason.CLUSTER_ERROR, true).accept(e);
              assertThat(e.getMessage()).doesNotContain("etcd");
            })
        .extracting(Failures::platformDetail, STRING)
        .contains("writing VolumeSnapshot " + ns + "/", "HTTP 503: etcd cluster is unavailable");
    assertThat(provisioner.backups(spec.ref())).isEmpty();
  }

  @Test
  void clusterWithoutSnapshotApi_supportsNoBackupsListsNoneAndStillDeprovisions() {
    try (MockKubernetes bare = MockKubernetes.start()) {
      bare.server
          .expect()
          .get()
          .withPath("/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses")
          .andReturn(404, ApiFailureIT.status(404, "NotFound", "the server could not find it"))
          .always();
      InstanceSpec spec = n8n(owner());
      String ns = "minispod-" + Names.ownerKey(spec.ownerId());
      bare.server
          .expect()
          .withPath(
              "/apis/snapshot.storage.k8s.io/v1/namespaces/"
                  + ns
                  + "/volumesnapshots?labelSelector=minispod.io%2Finstance%3D"
                  + spec.instanceId())
          .andReturn(404, ApiFailureIT.status(404, "NotFound", "the server could not find it"))
          .always();
      KubernetesProvisioner without;
      try (LogCapture log = LogCapture.of(VolumeSnapshots.class)) {
        without = bare.open(bare.provisioner());
        assertThat(log.lines())
            .anyMatch(line -> line.startsWith("WARN The cluster serves no VolumeSnapshot API"));
      }
      without.provision(spec);

      assertThat(without.supportsBackups()).isFalse();
      assertThat(without.backups(spec.ref())).isEmpty();
      without.deprovision(spec.ref());
      assertThat(bare.labelled(spec.instanceId())).isEmpty();
    }
  }

  @Test
  void backups_snapshotsOfOthersOrWithoutADate_areNotListed() {
    InstanceSpec spec = provisioned(n8n(owner()));
    String ns = provisioner.namespaceOf(spec.ownerId());
    InstanceBackup ours = provisioner.backUp(spec.ref(), "k", Reason.SCHEDULED, 7).orElseThrow();
    for (Map<String, String> annotations :
        List.of(Map.<String, String>of(), Map.of(KubernetesLabels.TAKEN_AT_ANNOTATION, "never"))) {
      k8s.client
          .genericKubernetesResources(SNAPSHOTS)
          .inNamespace(ns)
          .resource(
              new GenericKubernetesResourceBuilder()
                  .withApiVersion("snapshot.storage.k8s.io/v1")
                  .withKind("VolumeSnapshot")
                  .withNewMetadata()
                  .withName("by-hand-" + annotations.size())
                  .withNamespace(ns)
                  .addToLabels(KubernetesLabels.INSTANCE, spec.instanceId().toString())
                  .addToLabels(KubernetesLabels.BACKUP, "by-hand")
                  .withAnnotations(annotations)
                  .endMetadata()
                  .build())
          .create();
    }

    assertThat(provisioner.backups(spec.ref())).containsExactly(ours);
  }

  @Test
  void supportsBackups_clusterUnreachableAtBuild_countsAsSupportedAndAsksAgain() {
    try (LogCapture log = LogCapture.of(VolumeSnapshots.class)) {
      KubernetesProvisioner unreachable = RenderedManifests.provisioner().build();

      assertThat(unreachable.supportsBackups()).isTrue();
      assertThat(log.lines())
          .filteredOn(line -> line.startsWith("WARN Could not read whether the cluster serves"))
          .hasSize(2);
    }
  }

  private static List<GenericKubernetesResource> snapshots(String ns, UUID instanceId) {
    return k8s.client
        .genericKubernetesResources(SNAPSHOTS)
        .inNamespace(ns)
        .withLabel(KubernetesLabels.INSTANCE, instanceId.toString())
        .list()
        .getItems();
  }

  private static InstanceSpec n8n(String owner) {
    return KubernetesProvisionerIT.n8n(owner, BASIC);
  }

  private static String owner() {
    return KubernetesProvisionerIT.owner();
  }

  private static InstanceSpec provisioned(InstanceSpec spec) {
    provisioner.provision(spec);
    return spec;
  }
}
