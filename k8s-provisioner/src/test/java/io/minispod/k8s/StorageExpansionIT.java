package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provisioner reads at build time whether its StorageClass allows volume expansion, logs it,
 * and reports it through {@code canGrowStorage()}, so the catalog can refuse upgrades that grow
 * storage before anything is charged. The cluster here is kind's: a default class without
 * expansion.
 */
final class StorageExpansionIT {

  private static MockKubernetes k8s;

  @BeforeAll
  static void startCluster() {
    k8s = MockKubernetes.start();
    k8s.storageClass("standard", false, true);
    k8s.storageClass("expandable", true, false);
  }

  @AfterAll
  static void stopCluster() {
    k8s.close();
  }

  @Test
  void build_defaultClassWithoutExpansion_reportsThatStorageCannotGrow() {
    try (LogCapture log = LogCapture.of(KubernetesProvisioner.class)) {
      KubernetesProvisioner provisioner = k8s.open(k8s.provisioner());

      assertThat(log.lines())
          .contains(
              "WARN StorageClass standard does not allow volume expansion: upgrades that grow"
                  + " storage are refused");
      assertThat(provisioner.canGrowStorage()).isFalse();
    }
  }

  @Test
  void build_configuredClassWithExpansion_reportsThatStorageCanGrow() {
    try (LogCapture log = LogCapture.of(KubernetesProvisioner.class)) {
      KubernetesProvisioner provisioner = k8s.open(k8s.provisioner().storageClass("expandable"));

      assertThat(log.lines())
          .contains(
              "INFO StorageClass expandable allows volume expansion: upgrades may grow storage");
      assertThat(provisioner.canGrowStorage()).isTrue();
    }
  }

  @Test
  void build_configuredClassMissing_reportsThatStorageCannotGrow() {
    KubernetesProvisioner provisioner = k8s.open(k8s.provisioner().storageClass("gone"));

    assertThat(provisioner.canGrowStorage()).isFalse();
  }

  @Test
  void canGrowStorage_answersWhatWasReadAtBuild() {
    k8s.storageClass("changing", false, false);
    KubernetesProvisioner provisioner = k8s.open(k8s.provisioner().storageClass("changing"));
    k8s.storageClass("changing", true, false);

    assertThat(provisioner.canGrowStorage()).isFalse();
  }

  @Test
  void build_clusterUnreachable_startsAndAsksAgainLater() {
    try (LogCapture log = LogCapture.of(KubernetesProvisioner.class)) {
      KubernetesProvisioner provisioner = RenderedManifests.provisioner().build();

      assertThat(log.lines())
          .anyMatch(line -> line.startsWith("WARN Could not read the StorageClasses"));
      assertThat(provisioner.canGrowStorage()).isTrue();
      assertThat(log.lines())
          .filteredOn(line -> line.startsWith("WARN Could not read the StorageClasses"))
          .hasSize(2);
    }
  }
}
