package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * kube-linter's checks that are enabled by default and apply to what we render (Deployments,
 * Services, and the objects around them), written from its documented check list ({@code
 * docs/generated/checks.md} of stackrox/kube-linter, with the parameters given there). Checks for
 * kinds we never render (PodDisruptionBudgets, HorizontalPodAutoscalers, Roles) are left out.
 * kube-linter itself cannot run in the build: see {@link PodSecurityRestricted}.
 */
final class KubeLinterDefaultChecks {

  private static final List<Pattern> LATEST_TAG_BLOCK_LIST =
      List.of(
          Pattern.compile(".*:(latest)$"),
          Pattern.compile("^[^:]*$"),
          Pattern.compile("(.*/[^:]+)$"));
  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*secret.*");
  private static final List<Pattern> SENSITIVE_HOST_DIRS =
      List.of(
          Pattern.compile("^/$"),
          Pattern.compile("^/boot$"),
          Pattern.compile("^/dev$"),
          Pattern.compile("^/etc$"),
          Pattern.compile("^/lib$"),
          Pattern.compile("^/proc$"),
          Pattern.compile("^/sys$"),
          Pattern.compile("^/usr$"));
  private static final List<String> UNSAFE_SYSCTLS =
      List.of("kernel.msg", "kernel.sem", "kernel.shm", "fs.mqueue.", "net.");

  /** An IANA service name: at most 15 of a-z, 0-9 and -, a letter, no hyphen at an end or twice. */
  private static final Pattern PORT_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*");

  private KubeLinterDefaultChecks() {}

  /**
   * The default checks the objects fail.
   *
   * @return each as {@code check: object}, empty when kube-linter would report nothing
   */
  static List<String> violations(List<HasMetadata> objects) {
    List<String> found = new ArrayList<>();
    List<Deployment> deployments = RenderedManifests.all(objects, Deployment.class);
    for (HasMetadata o : objects) {
      if (o.getApiVersion() != null && o.getApiVersion().matches("extensions/v1beta.+")) {
        found.add("no-extensions-v1beta: " + o.getMetadata().getName());
      }
    }
    for (Deployment d : deployments) {
      deployment(d, found);
    }
    for (Service s : RenderedManifests.all(objects, Service.class)) {
      Map<String, String> selector = s.getSpec().getSelector();
      boolean matched =
          deployments.stream()
              .anyMatch(
                  d ->
                      d.getSpec()
                          .getTemplate()
                          .getMetadata()
                          .getLabels()
                          .entrySet()
                          .containsAll(selector.entrySet()));
      if (selector.isEmpty() || !matched) {
        found.add("dangling-service: " + s.getMetadata().getName());
      }
      for (ServicePort port : s.getSpec().getPorts()) {
        IntOrString target = port.getTargetPort();
        if (target != null && target.getStrVal() != null && !validPortName(target.getStrVal())) {
          found.add("invalid-target-ports: " + s.getMetadata().getName());
        }
      }
    }
    return found;
  }

  private static void deployment(Deployment d, List<String> found) {
    String name = d.getMetadata().getName();
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
    if (!podLabels.entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet())) {
      found.add("mismatching-selector: " + name);
    }
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    if (replicas >= 2
        && (pod.getAffinity() == null || pod.getAffinity().getPodAntiAffinity() == null)) {
      found.add("no-anti-affinity: " + name);
    }
    if (pod.getServiceAccount() != null
        && !pod.getServiceAccount().equals(pod.getServiceAccountName())) {
      found.add("deprecated-service-account-field: " + name);
    }
    if (pod.getServiceAccountName() != null && !pod.getServiceAccountName().equals("default")) {
      // We render no ServiceAccount, so any other name would not exist.
      found.add("non-existent-service-account: " + name);
    }
    if (Boolean.TRUE.equals(pod.getHostNetwork())) {
      found.add("host-network: " + name);
    }
    if (Boolean.TRUE.equals(pod.getHostPID())) {
      found.add("host-pid: " + name);
    }
    if (Boolean.TRUE.equals(pod.getHostIPC())) {
      found.add("host-ipc: " + name);
    }
    if (pod.getSecurityContext() != null) {
      pod.getSecurityContext()
          .getSysctls()
          .forEach(
              sysctl -> {
                if (UNSAFE_SYSCTLS.stream().anyMatch(sysctl.getName()::startsWith)) {
                  found.add("unsafe-sysctls: " + name + " " + sysctl.getName());
                }
              });
    }
    for (Volume v : pod.getVolumes()) {
      if (v.getHostPath() == null) {
        continue;
      }
      String path = v.getHostPath().getPath();
      if (path.endsWith("docker.sock")) {
        found.add("docker-sock: " + name);
      }
      if (SENSITIVE_HOST_DIRS.stream().anyMatch(p -> p.matcher(path).matches())) {
        found.add("sensitive-host-mounts: " + name + " " + path);
      }
    }
    List<Container> containers = new ArrayList<>(pod.getInitContainers());
    containers.addAll(pod.getContainers());
    for (Container c : containers) {
      container(name + "/" + c.getName(), c, found);
    }
  }

  private static void container(String where, Container c, List<String> found) {
    if (LATEST_TAG_BLOCK_LIST.stream().anyMatch(p -> p.matcher(c.getImage()).matches())) {
      found.add("latest-tag: " + where + " " + c.getImage());
    }
    SecurityContext sc =
        c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
    if (!Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
      found.add("no-read-only-root-fs: " + where);
    }
    if (Boolean.TRUE.equals(sc.getPrivileged())) {
      found.add("privileged-container: " + where);
    }
    List<String> added = sc.getCapabilities() == null ? List.of() : sc.getCapabilities().getAdd();
    List<String> dropped =
        sc.getCapabilities() == null ? List.of() : sc.getCapabilities().getDrop();
    if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())
        || Boolean.TRUE.equals(sc.getPrivileged())
        || added.contains("SYS_ADMIN")) {
      found.add("privilege-escalation-container: " + where);
    }
    if (!(dropped.contains("NET_RAW") || dropped.contains("ALL")) || added.contains("NET_RAW")) {
      found.add("drop-net-raw-capability: " + where);
    }
    if (!Boolean.TRUE.equals(sc.getRunAsNonRoot())
        && (sc.getRunAsUser() == null || sc.getRunAsUser() == 0)) {
      // The pod's context counts too; ours sets both levels, which is what is checked here.
      found.add("run-as-non-root: " + where);
    }
    if (!positive(c, "cpu")) {
      found.add("unset-cpu-requirements: " + where);
    }
    if (!positive(c, "memory")) {
      found.add("unset-memory-requirements: " + where);
    }
    Set<String> names = new HashSet<>();
    for (EnvVar env : c.getEnv()) {
      if (!names.add(env.getName())) {
        found.add("duplicate-env-var: " + where + " " + env.getName());
      }
      if (SECRET_NAME.matcher(env.getName()).matches()
          && env.getValue() != null
          && !env.getValue().isEmpty()) {
        found.add("env-var-secret: " + where + " " + env.getName());
      }
    }
    Set<Integer> ports = new HashSet<>();
    Set<String> portNames = new HashSet<>();
    for (ContainerPort port : c.getPorts()) {
      ports.add(port.getContainerPort());
      if (port.getName() != null) {
        portNames.add(port.getName());
        if (!validPortName(port.getName())) {
          found.add("invalid-target-ports: " + where + " " + port.getName());
        }
      }
      if (port.getContainerPort() == 22 && !"UDP".equals(port.getProtocol())) {
        found.add("ssh-port: " + where);
      }
    }
    probePort("liveness-port", where, c.getLivenessProbe(), ports, portNames, found);
    probePort("readiness-port", where, c.getReadinessProbe(), ports, portNames, found);
    probePort("startup-port", where, c.getStartupProbe(), ports, portNames, found);
  }

  private static void probePort(
      String check,
      String where,
      Probe probe,
      Set<Integer> ports,
      Set<String> portNames,
      List<String> found) {
    if (probe == null) {
      return;
    }
    IntOrString port =
        probe.getHttpGet() != null
            ? probe.getHttpGet().getPort()
            : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
    if (port == null) {
      return;
    }
    boolean exposed =
        port.getIntVal() != null
            ? ports.contains(port.getIntVal())
            : portNames.contains(port.getStrVal());
    if (!exposed) {
      found.add(check + ": " + where);
    }
  }

  private static boolean positive(Container c, String resource) {
    if (c.getResources() == null) {
      return false;
    }
    Quantity request = c.getResources().getRequests().get(resource);
    Quantity limit = c.getResources().getLimits().get(resource);
    return request != null
        && limit != null
        && request.getNumericalAmount().signum() > 0
        && limit.getNumericalAmount().signum() > 0;
  }

  private static boolean validPortName(String name) {
    return name.length() <= 15 && PORT_NAME.matcher(name).matches();
  }
}
