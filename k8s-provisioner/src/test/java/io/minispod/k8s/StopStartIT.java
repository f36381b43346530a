package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ResourceLimits;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stopping and starting an instance (a suspended subscription's) against fabric8's mock API server
 * in CRUD mode: every Deployment scaled to zero and back, nothing else of the instance touched.
 */
final class StopStartIT {

  private static final ResourceLimits BASIC = new ResourceLimits(500, 512, 5);

  private static MockKubernetes k8s;
  private static KubernetesProvisioner provisioner;

  @BeforeAll
  static void start() {
    k8s = MockKubernetes.start();
    k8s.storageClass("standard", true, true);
    provisioner = k8s.open(k8s.provisioner());
  }

  @AfterAll
  static void stop() {
    k8s.close();
  }

  @Test
  void stop_ghost_scalesTheAppAndItsDatabaseToZero_keepingVolumesAndSecrets_andStartScalesBack() {
    InstanceSpec spec = KubernetesProvisionerIT.ghost(KubernetesProvisionerIT.owner(), BASIC);
    provisioner.provision(spec);
    String ns = provisioner.namespaceOf(spec.ownerId());
    int volumes = k8s.client.persistentVolumeClaims().inNamespace(ns).list().getItems().size();
    int secrets = k8s.client.secrets().inNamespace(ns).list().getItems().size();

    provisioner.stop(spec.ref());

    assertThat(deployments(ns, spec)).hasSize(2).allMatch(d -> d.getSpec().getReplicas() == 0);
    assertThat(k8s.client.persistentVolumeClaims().inNamespace(ns).list().getItems())
        .hasSize(volumes);
    assertThat(k8s.client.secrets().inNamespace(ns).list().getItems()).hasSize(secrets);

    provisioner.stop(spec.ref());
    provisioner.start(spec.ref());

    assertThat(deployments(ns, spec)).hasSize(2).allMatch(d -> d.getSpec().getReplicas() == 1);
  }

  private static List<Deployment> deployments(String ns, InstanceSpec spec) {
    return k8s.client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withLabel(KubernetesLabels.INSTANCE, spec.instanceId().toString())
        .list()
        .getItems();
  }
}
