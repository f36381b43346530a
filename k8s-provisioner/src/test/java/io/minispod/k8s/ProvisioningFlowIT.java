package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProvisionedInstance;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.provisioner.ResourceLimits;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One instance driven through provision → resize → deprovision the way catalog-core's subscribe,
 * upgrade and cancel workflows will call the provisioner: each step retried after a node dies in
 * the middle of it, on another node with its own client, until it completes. (The catalog-driven
 * flow itself arrives with subscriptions, issue 5.)
 */
final class ProvisioningFlowIT {

  private static final ResourceLimits BASIC = new ResourceLimits(500, 512, 5);
  private static final ResourceLimits PRO = new ResourceLimits(1000, 1024, 10);

  private static MockKubernetes k8s;
  private static ExecutorService nodes;

  @BeforeAll
  static void start() {
    k8s = MockKubernetes.start();
    k8s.storageClass("standard", true, true);
    nodes = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() {
    nodes.shutdownNow();
    k8s.close();
  }

  @Test
  void subscribeUpgradeCancel_withNodesDyingMidStep_endsWithNothingLeft() throws Exception {
    InstanceSpec basic =
        AppTemplates.ghost(
            UUID.randomUUID(),
            KubernetesProvisionerIT.owner(),
            KubernetesProvisionerIT.subdomain("ghost"),
            "basic",
            BASIC);
    UUID id = basic.instanceId();
    String ns = k8s.open(k8s.provisioner()).namespaceOf(basic.ownerId());
    String sub = basic.subdomain();

    // Subscribe: node A writes everything, then dies while the cluster is still starting pods.
    k8s.cluster.behave(id, FakeCluster.HOLD);
    crashWhile(
        nodeA -> nodeA.provision(basic),
        () -> k8s.client.network().v1().ingresses().inNamespace(ns).withName(sub).get() != null);
    Map<String, String> secretsOfA = secrets(ns, sub);
    assertThat(secretsOfA).containsOnlyKeys("mysql-password", "mysql-root-password");
    assertThat(k8s.labelled(id)).as("a crash leaves the half-made instance").hasSize(12);

    // The workflow retries the step on node B, and the cluster has caught up.
    k8s.cluster.behave(id, FakeCluster.READY);
    KubernetesProvisioner nodeB = k8s.open(k8s.provisioner());
    ProvisionedInstance running = nodeB.provision(basic);

    assertThat(running.url()).isEqualTo("https://" + sub + ".apps.test");
    assertThat(running.namespace()).isEqualTo(ns);
    assertThat(secrets(ns, sub)).as("secrets created once").isEqualTo(secretsOfA);
    assertThat(k8s.labelled(id)).hasSize(12);
    assertThat(nodeB.health(basic.ref()).healthy()).isTrue();

    // Upgrade: node C applies the new size and dies waiting; node B retries the step.
    InstanceSpec pro = basic.resizedTo("pro", PRO);
    k8s.cluster.behave(id, FakeCluster.HOLD);
    crashWhile(
        nodeC -> nodeC.resize(pro), () -> "1000m".equals(cpuLimit(deployment(ns, sub + "-app"))));
    k8s.cluster.behave(id, FakeCluster.READY);
    nodeB.resize(pro);
    Map<String, String> afterUpgrade = k8s.versions(ns);
    nodeB.resize(pro); // the workflow may repeat a step that had already completed

    assertThat(k8s.versions(ns)).isEqualTo(afterUpgrade);
    assertThat(cpuLimit(deployment(ns, sub + "-app"))).isEqualTo("1000m");
    assertThat(cpuLimit(deployment(ns, sub + "-mysql"))).isEqualTo("250m");
    assertThat(
            k8s.client
                .persistentVolumeClaims()
                .inNamespace(ns)
                .withName(sub + "-app-data")
                .get()
                .getSpec()
                .getResources()
                .getRequests())
        .containsEntry("storage", new Quantity("10Gi"));
    assertThat(
            k8s.client
                .resourceQuotas()
                .inNamespace(ns)
                .withName("minispod-quota")
                .get()
                .getSpec()
                .getHard()
                .get("requests.cpu")
                .toString())
        .isEqualTo("1350m");
    assertThat(secrets(ns, sub)).as("secrets kept across the upgrade").isEqualTo(secretsOfA);
    assertThat(nodeB.health(pro.ref()).healthy()).isTrue();

    // Cancel: deprovisioning fails half-way on node B, the retry finishes it, a repeat is a no-op.
    k8s.server
        .expect()
        .delete()
        .withPath(
            "/api/v1/namespaces/"
                + ns
                + "/persistentvolumeclaims?labelSelector="
                + URLEncoder.encode(KubernetesLabels.INSTANCE + "=" + id, StandardCharsets.UTF_8))
        .andReturn(500, new StatusBuilder().withCode(500).withMessage("etcd timeout").build())
        .times(3);
    assertThatThrownBy(() -> nodeB.deprovision(pro.ref()))
        .isInstanceOfSatisfying(
            ProvisioningException.class, e -> assertThat(e.retryable()).isTrue())
        .extracting(Failures::platformDetail, STRING)
        .contains("deleting PersistentVolumeClaims");
    nodeB.deprovision(pro.ref());
    nodeB.deprovision(pro.ref());

    assertThat(k8s.labelled(id)).isEmpty();
    assertThat(k8s.client.namespaces().withName(ns).get()).isNull();
    assertThat(nodeB.health(pro.ref()).detail()).isEqualTo("instance does not exist");
  }

  /** Runs a step on a node with its own client and kills the client once {@code until} holds. */
  private static void crashWhile(Step step, java.util.concurrent.Callable<Boolean> until)
      throws Exception {
    KubernetesClient doomed = k8s.newClient();
    KubernetesProvisioner node =
        k8s.open(k8s.provisioner().client(doomed).readinessTimeout(Duration.ofSeconds(30)));
    Future<?> running = nodes.submit(() -> step.run(node));
    await().atMost(Duration.ofSeconds(10)).until(until);
    doomed.close();
    assertThatThrownBy(() -> running.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
  }

  @FunctionalInterface
  private interface Step {
    void run(KubernetesProvisioner node);
  }

  private static Deployment deployment(String ns, String name) {
    return k8s.client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private static String cpuLimit(Deployment d) {
    return d == null
        ? null
        : d.getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getResources()
            .getLimits()
            .get("cpu")
            .toString();
  }

  private static Map<String, String> secrets(String ns, String sub) {
    Secret secret = k8s.client.secrets().inNamespace(ns).withName(sub + "-secrets").get();
    Map<String, String> values = new TreeMap<>();
    secret
        .getData()
        .forEach(
            (k, v) ->
                values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return values;
  }
}
