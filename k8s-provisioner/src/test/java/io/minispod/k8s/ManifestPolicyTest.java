package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.SysctlBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.minispod.provisioner.ResourceLimits;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests of the seed templates (n8n with a cert-manager issuer, Ghost with MySQL without)
 * pass the Pod Security {@code restricted} profile and kube-linter's default checks, as {@link
 * PodSecurityRestricted} and {@link KubeLinterDefaultChecks} write them out; and each of those
 * checks does fail a manifest that breaks its rule, so that passing means something.
 */
final class ManifestPolicyTest {

  static Stream<Arguments> seedTemplates() {
    return Stream.of(Arguments.of("n8n", n8n()), Arguments.of("ghost with mysql", ghost()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("seedTemplates")
  void podSecurityRestricted_everyPodTemplate_isAdmitted(String app, List<HasMetadata> objects) {
    List<Deployment> deployments = RenderedManifests.all(objects, Deployment.class);

    assertThat(deployments).isNotEmpty();
    for (Deployment d : deployments) {
      assertThat(
              PodSecurityRestricted.violations(
                  d.getSpec().getTemplate().getSpec(),
                  d.getSpec().getTemplate().getMetadata().getAnnotations()))
          .as(d.getMetadata().getName())
          .isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("seedTemplates")
  void podSecurityRestricted_isEnforcedOnTheNamespace(String app, List<HasMetadata> objects) {
    Namespace namespace = RenderedManifests.all(objects, Namespace.class).get(0);

    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
        .containsEntry("pod-security.kubernetes.io/enforce-version", "latest");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("seedTemplates")
  void kubeLinterDefaultChecks_reportNothing(String app, List<HasMetadata> objects) {
    assertThat(KubeLinterDefaultChecks.violations(objects)).isEmpty();
  }

  static Stream<Arguments> podsBreakingARule() {
    return Stream.of(
        breaking("Host Namespaces", p -> p.setHostNetwork(true)),
        breaking("Host Namespaces", p -> p.setHostPID(true)),
        breaking("Host Namespaces", p -> p.setHostIPC(true)),
        breaking(
            "HostPath Volumes",
            p ->
                p.getVolumes()
                    .add(new VolumeBuilder().withName("h").withNewHostPath("/", null).build())),
        breaking("Privileged Containers", p -> app(p).getSecurityContext().setPrivileged(true)),
        breaking(
            "Capabilities (baseline)",
            p ->
                app(p)
                    .getSecurityContext()
                    .setCapabilities(
                        new CapabilitiesBuilder().withAdd("SYS_ADMIN").withDrop("ALL").build())),
        breaking(
            "Capabilities: app does not drop ALL",
            p -> app(p).getSecurityContext().setCapabilities(null)),
        breaking("Host Ports", p -> app(p).getPorts().get(0).setHostPort(8080)),
        breaking("/proc Mount Type", p -> app(p).getSecurityContext().setProcMount("Unmasked")),
        breaking(
            "Sysctls",
            p ->
                p.getSecurityContext()
                    .getSysctls()
                    .add(new SysctlBuilder().withName("kernel.msgmax").withValue("1").build())),
        breaking(
            "Seccomp (baseline)",
            p ->
                p.getSecurityContext()
                    .setSeccompProfile(new SeccompProfileBuilder().withType("Unconfined").build())),
        breaking(
            "Seccomp: app",
            p -> {
              p.getSecurityContext().setSeccompProfile(null);
              app(p).getSecurityContext().setSeccompProfile(null);
            }),
        breaking(
            "Volume Types",
            p ->
                p.getVolumes()
                    .add(
                        new VolumeBuilder()
                            .withName("nfs")
                            .withNewNfs()
                            .withServer("x")
                            .withPath("/")
                            .endNfs()
                            .build())),
        breaking(
            "Privilege Escalation",
            p -> app(p).getSecurityContext().setAllowPrivilegeEscalation(null)),
        breaking(
            "Running as Non-root: app", p -> app(p).getSecurityContext().setRunAsNonRoot(false)),
        breaking("Running as Non-root user", p -> p.getSecurityContext().setRunAsUser(0L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("podsBreakingARule")
  void podSecurityRestricted_podBreakingARule_isRefused(String rule, Consumer<PodSpec> breakIt) {
    Deployment d = appDeployment(n8n());
    breakIt.accept(d.getSpec().getTemplate().getSpec());

    assertThat(PodSecurityRestricted.violations(d.getSpec().getTemplate().getSpec(), Map.of()))
        .anySatisfy(v -> assertThat(v).startsWith(rule));
  }

  static Stream<Arguments> manifestsFailingACheck() {
    return Stream.of(
        failing("latest-tag", d -> app(pod(d)).setImage("n8nio/n8n:latest")),
        failing("latest-tag", d -> app(pod(d)).setImage("n8nio/n8n")),
        failing(
            "no-read-only-root-fs",
            d -> app(pod(d)).getSecurityContext().setReadOnlyRootFilesystem(null)),
        failing("run-as-non-root", d -> app(pod(d)).getSecurityContext().setRunAsNonRoot(null)),
        failing("privileged-container", d -> app(pod(d)).getSecurityContext().setPrivileged(true)),
        failing(
            "privilege-escalation-container",
            d -> app(pod(d)).getSecurityContext().setAllowPrivilegeEscalation(true)),
        failing(
            "drop-net-raw-capability", d -> app(pod(d)).getSecurityContext().setCapabilities(null)),
        failing(
            "unset-cpu-requirements", d -> app(pod(d)).getResources().getLimits().remove("cpu")),
        failing(
            "unset-memory-requirements",
            d -> app(pod(d)).getResources().getRequests().put("memory", new Quantity("0"))),
        failing("host-network", d -> pod(d).setHostNetwork(true)),
        failing(
            "env-var-secret",
            d -> app(pod(d)).getEnv().add(new EnvVar("MY_SECRET", "hunter2", null))),
        failing("duplicate-env-var", d -> app(pod(d)).getEnv().add(app(pod(d)).getEnv().get(0))),
        failing(
            "readiness-port",
            d -> app(pod(d)).getReadinessProbe().getHttpGet().setPort(new IntOrString(1))),
        failing(
            "liveness-port",
            d -> app(pod(d)).getLivenessProbe().getHttpGet().setPort(new IntOrString(1))),
        failing("invalid-target-ports", d -> app(pod(d)).getPorts().get(0).setName("http_port")),
        failing("ssh-port", d -> app(pod(d)).getPorts().get(0).setContainerPort(22)),
        failing(
            "mismatching-selector",
            d -> d.getSpec().getSelector().getMatchLabels().put("extra", "label")),
        failing("no-anti-affinity", d -> d.getSpec().setReplicas(2)),
        failing("non-existent-service-account", d -> pod(d).setServiceAccountName("robot")),
        failing(
            "sensitive-host-mounts",
            d ->
                pod(d)
                    .getVolumes()
                    .add(new VolumeBuilder().withName("h").withNewHostPath("/etc", null).build())),
        failing(
            "dangling-service",
            d ->
                d.getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getLabels()
                    .put(KubernetesLabels.COMPONENT, "x")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("manifestsFailingACheck")
  void kubeLinterDefaultChecks_manifestFailingACheck_isReported(
      String check, Consumer<Deployment> breakIt) {
    List<HasMetadata> objects = n8n();
    breakIt.accept(appDeployment(objects));

    assertThat(KubeLinterDefaultChecks.violations(objects))
        .anySatisfy(v -> assertThat(v).startsWith(check + ": "));
  }

  // ---------------------------------------------------------------- the seed templates

  private static List<HasMetadata> n8n() {
    return RenderedManifests.render(
        RenderedManifests.provisioner().clusterIssuer("letsencrypt").build(),
        AppTemplates.n8n(
            RenderedManifests.N8N_ID,
            "user-42",
            "n8n-k3x9q2mt",
            "pro",
            new ResourceLimits(1000, 1024, 10)));
  }

  private static List<HasMetadata> ghost() {
    return RenderedManifests.render(
        RenderedManifests.provisioner().build(),
        AppTemplates.ghost(
            RenderedManifests.GHOST_ID,
            "user-42",
            "ghost-p7w2r5vb",
            "basic",
            new ResourceLimits(500, 512, 5)));
  }

  private static Deployment appDeployment(List<HasMetadata> objects) {
    // The Service selects the app's pods: changing these labels leaves the Service dangling.
    assertThat(RenderedManifests.all(objects, Service.class)).isNotEmpty();
    return RenderedManifests.only(objects, Deployment.class, "n8n-k3x9q2mt-app");
  }

  private static PodSpec pod(Deployment d) {
    return d.getSpec().getTemplate().getSpec();
  }

  private static Container app(PodSpec pod) {
    return pod.getContainers().get(0);
  }

  private static Arguments breaking(String rule, Consumer<PodSpec> breakIt) {
    return Arguments.of(rule, breakIt);
  }

  private static Arguments failing(String check, Consumer<Deployment> breakIt) {
    return Arguments.of(check, breakIt);
  }
}
