package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ResourceLimits;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The readiness watch holds an entry only while a wait runs: however many instances are provisioned
 * and deprovisioned, it does not grow.
 */
final class DeploymentWatchIT {

  private static MockKubernetes k8s;

  @BeforeAll
  static void startCluster() {
    k8s = MockKubernetes.start();
    k8s.storageClass("standard", true, true);
  }

  @AfterAll
  static void stopCluster() {
    k8s.close();
  }

  @Test
  void provisionAndDeprovision_manyCycles_leaveNoEntryInTheWatch() {
    KubernetesProvisioner provisioner = k8s.open(k8s.provisioner());

    for (int cycle = 0; cycle < 4; cycle++) {
      InstanceSpec spec =
          AppTemplates.ghost(
              UUID.randomUUID(),
              KubernetesProvisionerIT.owner(),
              KubernetesProvisionerIT.subdomain("ghost"),
              "basic",
              new ResourceLimits(500, 512, 5));
      provisioner.provision(spec);
      assertThat(provisioner.deploymentWatch().waitedDeployments()).isZero();
      provisioner.deprovision(spec.ref());
      assertThat(provisioner.deploymentWatch().waitedDeployments()).isZero();
    }
  }

  @Test
  void awaitAvailable_waitEndsWithoutTheDeployment_leavesNoEntry() throws InterruptedException {
    try (DeploymentWatch watch = new DeploymentWatch(k8s.client)) {
      boolean available = watch.awaitAvailable("nowhere", "missing", 1, Duration.ofMillis(1));

      assertThat(available).isFalse();
      assertThat(watch.waitedDeployments()).isZero();
    }
  }
}
