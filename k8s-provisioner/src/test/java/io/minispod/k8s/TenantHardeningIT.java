package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.minispod.provisioner.ContainerSpec;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ResourceLimits;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits and isolation a tenant's pods get, one rule per test, as the mock API server stores
 * the objects: scratch space (ephemeral storage) requested, limited and counted by the namespace's
 * quota, every {@code emptyDir} size-limited, a read-only root file system with writable scratch
 * directories, DNS only to the cluster DNS, HTTPS only to public IPv4 addresses.
 */
final class TenantHardeningIT {

  private static final ResourceLimits BASIC = new ResourceLimits(500, 512, 5);

  private static MockKubernetes k8s;
  private static KubernetesProvisioner provisioner;

  @BeforeAll
  static void start() {
    k8s = MockKubernetes.start();
    provisioner = k8s.open(k8s.provisioner());
  }

  @AfterAll
  static void stop() {
    k8s.close();
  }

  @Test
  void provision_everyContainer_requestsAndLimitsItsScratchSpace() {
    InstanceSpec ghost = KubernetesProvisionerIT.ghost(KubernetesProvisionerIT.owner(), BASIC);
    InstanceSpec sized =
        withAppScratch(KubernetesProvisionerIT.n8n(KubernetesProvisionerIT.owner(), BASIC), 300);

    provisioner.provision(ghost);
    provisioner.provision(sized);

    for (Container c : containers(ghost)) {
      assertThat(c.getResources().getRequests())
          .as(c.getName())
          .containsEntry("ephemeral-storage", new Quantity("1024Mi"));
      assertThat(c.getResources().getLimits())
          .as(c.getName())
          .containsEntry("ephemeral-storage", new Quantity("1024Mi"));
    }
    Container app = containers(sized).get(0);
    assertThat(app.getResources().getRequests())
        .containsEntry("ephemeral-storage", new Quantity("300Mi"));
    assertThat(app.getResources().getLimits())
        .containsEntry("ephemeral-storage", new Quantity("300Mi"));
  }

  @Test
  void provision_everyEmptyDir_hasTheContainersScratchSpaceAsSizeLimit() {
    InstanceSpec ghost = KubernetesProvisionerIT.ghost(KubernetesProvisionerIT.owner(), BASIC);

    provisioner.provision(ghost);

    List<Volume> emptyDirs =
        pods(ghost).stream()
            .flatMap(p -> p.getVolumes().stream())
            .filter(v -> v.getEmptyDir() != null)
            .toList();
    assertThat(emptyDirs).hasSize(3);
    assertThat(emptyDirs)
        .allSatisfy(
            v -> assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("1024Mi")));
  }

  @Test
  void provision_namespaceQuota_countsEveryContainersScratchSpaceAndTheSolvers() {
    String owner = KubernetesProvisionerIT.owner();
    String ns = provisioner.namespaceOf(owner);
    InstanceSpec n8n = KubernetesProvisionerIT.n8n(owner, BASIC);
    InstanceSpec ghost = KubernetesProvisionerIT.ghost(owner, BASIC);

    provisioner.provision(n8n);
    provisioner.provision(ghost);

    // n8n's container, Ghost's and MySQL's, and cert-manager's solver pod: 1024Mi each.
    assertThat(hard(ns))
        .containsEntry("requests.ephemeral-storage", "4096Mi")
        .containsEntry("limits.ephemeral-storage", "4096Mi");

    provisioner.deprovision(ghost.ref());

    assertThat(hard(ns))
        .containsEntry("requests.ephemeral-storage", "2048Mi")
        .containsEntry("limits.ephemeral-storage", "2048Mi");
  }

  @Test
  void provision_besideAShareWrittenBeforeScratchSpaceWasCounted_countsItsPodsAtTheDefault() {
    String owner = KubernetesProvisionerIT.owner();
    String ns = provisioner.namespaceOf(owner);
    k8s.client
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    k8s.client
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName(ManifestRenderer.QUOTA)
                .withNamespace(ns)
                .addToAnnotations(
                    QuotaBook.key(UUID.randomUUID()),
                    "cpu=750m,memory=1024Mi,storage=7Gi,pods=2,volumes=2")
                .endMetadata()
                .build())
        .create();

    provisioner.provision(KubernetesProvisionerIT.n8n(owner, BASIC));

    // The older instance's two pods get the LimitRange's default: 2 × 1024Mi, then n8n and the
    // solver's 1024Mi each.
    assertThat(hard(ns)).containsEntry("requests.ephemeral-storage", "4096Mi");
    assertThat(
            k8s.client
                .resources(io.fabric8.kubernetes.api.model.LimitRange.class)
                .inNamespace(ns)
                .withName(ManifestRenderer.LIMIT_RANGE)
                .get()
                .getSpec()
                .getLimits()
                .get(0)
                .getDefault())
        .containsEntry("ephemeral-storage", new Quantity("1024Mi"));
  }

  @Test
  void provision_rootFileSystem_isReadOnly_withTheVolumeTmpAndTheTemplatesPathsWritable() {
    InstanceSpec ghost = KubernetesProvisionerIT.ghost(KubernetesProvisionerIT.owner(), BASIC);

    provisioner.provision(ghost);

    Map<String, Map<String, String>> writable = new TreeMap<>();
    for (PodSpec pod : pods(ghost)) {
      Container c = pod.getContainers().get(0);
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
      Map<String, String> mounts = new TreeMap<>();
      for (VolumeMount m : c.getVolumeMounts()) {
        Volume v =
            pod.getVolumes().stream()
                .filter(x -> x.getName().equals(m.getName()))
                .findFirst()
                .orElseThrow();
        assertThat(m.getReadOnly()).as(m.getMountPath()).isNotEqualTo(Boolean.TRUE);
        mounts.put(
            m.getMountPath(), v.getEmptyDir() != null ? "emptyDir" : "persistentVolumeClaim");
      }
      writable.put(c.getName(), mounts);
    }
    assertThat(writable)
        .containsOnly(
            Map.entry(
                "app",
                Map.of("/var/lib/ghost/content", "persistentVolumeClaim", "/tmp", "emptyDir")),
            Map.entry(
                "mysql",
                Map.of(
                    "/var/lib/mysql", "persistentVolumeClaim",
                    "/tmp", "emptyDir",
                    "/var/run/mysqld", "emptyDir")));
  }

  @Test
  void provision_dnsEgress_goesOnlyToTheClusterDns() {
    String owner = KubernetesProvisionerIT.owner();
    KubernetesProvisioner custom =
        k8s.open(k8s.provisioner().clusterDns("dns-system", Map.of("app", "coredns")));

    provisioner.provision(KubernetesProvisionerIT.n8n(owner, BASIC));
    NetworkPolicy byDefault = policy(provisioner.namespaceOf(owner), ManifestRenderer.ALLOW_DNS);
    String other = KubernetesProvisionerIT.owner();
    custom.provision(KubernetesProvisionerIT.n8n(other, BASIC));
    NetworkPolicy configured = policy(custom.namespaceOf(other), ManifestRenderer.ALLOW_DNS);

    for (NetworkPolicy dns : List.of(byDefault, configured)) {
      assertThat(dns.getSpec().getPolicyTypes()).containsExactly("Egress");
      assertThat(dns.getSpec().getIngress()).isEmpty();
      NetworkPolicyEgressRule rule = dns.getSpec().getEgress().get(0);
      assertThat(dns.getSpec().getEgress()).hasSize(1);
      assertThat(rule.getPorts())
          .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
          .containsExactly("UDP/53", "TCP/53");
      assertThat(rule.getTo()).hasSize(1);
      assertThat(rule.getTo().get(0).getIpBlock()).isNull();
    }
    NetworkPolicyPeer kubeDns = byDefault.getSpec().getEgress().get(0).getTo().get(0);
    assertThat(kubeDns.getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.entry("kubernetes.io/metadata.name", "kube-system"));
    assertThat(kubeDns.getPodSelector().getMatchLabels())
        .containsExactly(Map.entry("k8s-app", "kube-dns"));
    NetworkPolicyPeer coreDns = configured.getSpec().getEgress().get(0).getTo().get(0);
    assertThat(coreDns.getNamespaceSelector().getMatchLabels())
        .containsExactly(Map.entry("kubernetes.io/metadata.name", "dns-system"));
    assertThat(coreDns.getPodSelector().getMatchLabels())
        .containsExactly(Map.entry("app", "coredns"));
  }

  @Test
  void provision_httpsEgress_skipsPrivateCarrierGradeNatAndLinkLocalRanges() {
    String owner = KubernetesProvisionerIT.owner();

    provisioner.provision(KubernetesProvisionerIT.n8n(owner, BASIC));

    NetworkPolicy https = policy(provisioner.namespaceOf(owner), ManifestRenderer.ALLOW_HTTPS);
    assertThat(https.getSpec().getEgress()).hasSize(1);
    NetworkPolicyEgressRule rule = https.getSpec().getEgress().get(0);
    assertThat(rule.getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("TCP/443");
    assertThat(rule.getTo()).hasSize(1);
    assertThat(rule.getTo().get(0).getIpBlock().getCidr()).isEqualTo("0.0.0.0/0");
    assertThat(rule.getTo().get(0).getIpBlock().getExcept())
        .containsExactlyInAnyOrder(
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16");
    // No rule of any policy in the namespace opens IPv6 egress.
    assertThat(
            k8s.client
                .network()
                .v1()
                .networkPolicies()
                .inNamespace(provisioner.namespaceOf(owner))
                .list()
                .getItems())
        .flatExtracting(p -> p.getSpec().getEgress())
        .flatExtracting(NetworkPolicyEgressRule::getTo)
        .filteredOn(peer -> peer.getIpBlock() != null)
        .allSatisfy(peer -> assertThat(peer.getIpBlock().getCidr()).doesNotContain(":"));
  }

  // ---------------------------------------------------------------- helpers

  /** The instance with its app's scratch space set by the spec. */
  private static InstanceSpec withAppScratch(InstanceSpec spec, int mib) {
    ContainerSpec a = spec.app();
    ContainerSpec app =
        new ContainerSpec(
            a.name(),
            a.image(),
            a.port(),
            a.env(),
            a.secretEnv(),
            a.volumePath(),
            a.readiness(),
            a.liveness(),
            a.runAsUser(),
            a.runAsGroup(),
            a.resources(),
            mib,
            a.writablePaths());
    return new InstanceSpec(
        spec.instanceId(),
        spec.ownerId(),
        spec.subdomain(),
        spec.serviceSlug(),
        spec.planSlug(),
        app,
        spec.companions(),
        spec.generatedSecrets());
  }

  private static List<PodSpec> pods(InstanceSpec spec) {
    return k8s
        .client
        .apps()
        .deployments()
        .inNamespace(provisioner.namespaceOf(spec.ownerId()))
        .withLabel(KubernetesLabels.INSTANCE, spec.instanceId().toString())
        .list()
        .getItems()
        .stream()
        .sorted(java.util.Comparator.comparing(d -> d.getMetadata().getName()))
        .map(Deployment::getSpec)
        .map(d -> d.getTemplate().getSpec())
        .toList();
  }

  private static List<Container> containers(InstanceSpec spec) {
    return pods(spec).stream().flatMap(p -> p.getContainers().stream()).toList();
  }

  private static NetworkPolicy policy(String ns, String name) {
    return k8s.client.network().v1().networkPolicies().inNamespace(ns).withName(name).get();
  }

  private static Map<String, String> hard(String ns) {
    ResourceQuota quota =
        k8s.client.resourceQuotas().inNamespace(ns).withName(ManifestRenderer.QUOTA).get();
    Map<String, String> hard = new TreeMap<>();
    quota.getSpec().getHard().forEach((k, v) -> hard.put(k, v.toString()));
    return hard;
  }
}
