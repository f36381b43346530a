package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Pod Security Standards' {@code restricted} profile (version {@code latest}, which includes
 * every {@code baseline} control) as checks over a pod spec, written from the controls' list in the
 * Kubernetes documentation ("Pod Security Standards"), for the pod templates we render. Each
 * violation is named after its control.
 *
 * <p>Written out here because no checker of the profile can run in the build: the build machines
 * have a JDK and Maven only, and neither Maven Central, Debian nor npm has kube-linter, kubeconform
 * or the Pod Security admission library.
 */
final class PodSecurityRestricted {

  /** Capabilities the baseline profile lets a container add. */
  private static final Set<String> BASELINE_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");

  private static final Set<String> SELINUX_TYPES =
      Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

  private static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");

  private PodSecurityRestricted() {}

  /**
   * The controls a pod spec (with the annotations of its template) breaks.
   *
   * @return each violation as {@code control: what}, empty when the pod is admitted
   */
  static List<String> violations(PodSpec pod, Map<String, String> annotations) {
    List<String> found = new ArrayList<>();
    PodSecurityContext podContext =
        pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
    List<Container> containers = new ArrayList<>(pod.getInitContainers());
    containers.addAll(pod.getContainers());

    // ---------------------------------------------------------------- baseline
    if (hostProcess(podContext.getWindowsOptions())) {
      found.add("HostProcess: pod");
    }
    if (isTrue(pod.getHostNetwork()) || isTrue(pod.getHostPID()) || isTrue(pod.getHostIPC())) {
      found.add("Host Namespaces: hostNetwork, hostPID or hostIPC");
    }
    for (Volume v : pod.getVolumes()) {
      if (v.getHostPath() != null) {
        found.add("HostPath Volumes: " + v.getName());
      }
    }
    annotations.forEach(
        (key, value) -> {
          if (key.startsWith("container.apparmor.security.beta.kubernetes.io/")
              && !value.equals("runtime/default")
              && !value.startsWith("localhost/")) {
            found.add("AppArmor: " + key + "=" + value);
          }
        });
    if (podContext.getAppArmorProfile() != null
        && "Unconfined".equals(podContext.getAppArmorProfile().getType())) {
      found.add("AppArmor: pod Unconfined");
    }
    seLinux("pod", podContext.getSeLinuxOptions(), found);
    for (Sysctl sysctl : podContext.getSysctls()) {
      if (!SAFE_SYSCTLS.contains(sysctl.getName())) {
        found.add("Sysctls: " + sysctl.getName());
      }
    }
    for (Container c : containers) {
      SecurityContext sc =
          c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
      String name = c.getName();
      if (hostProcess(sc.getWindowsOptions())) {
        found.add("HostProcess: " + name);
      }
      if (isTrue(sc.getPrivileged())) {
        found.add("Privileged Containers: " + name);
      }
      for (String added : added(sc.getCapabilities())) {
        if (!BASELINE_CAPABILITIES.contains(added)) {
          found.add("Capabilities (baseline): " + name + " adds " + added);
        }
      }
      for (ContainerPort port : c.getPorts()) {
        if (port.getHostPort() != null && port.getHostPort() != 0) {
          found.add("Host Ports: " + name + " " + port.getHostPort());
        }
      }
      if (sc.getAppArmorProfile() != null
          && "Unconfined".equals(sc.getAppArmorProfile().getType())) {
        found.add("AppArmor: " + name + " Unconfined");
      }
      seLinux(name, sc.getSeLinuxOptions(), found);
      if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
        found.add("/proc Mount Type: " + name + " " + sc.getProcMount());
      }
      if (sc.getSeccompProfile() != null && "Unconfined".equals(sc.getSeccompProfile().getType())) {
        found.add("Seccomp (baseline): " + name + " Unconfined");
      }
    }
    if (podContext.getSeccompProfile() != null
        && "Unconfined".equals(podContext.getSeccompProfile().getType())) {
      found.add("Seccomp (baseline): pod Unconfined");
    }

    // ---------------------------------------------------------------- restricted
    for (Volume v : pod.getVolumes()) {
      if (v.getConfigMap() == null
          && v.getCsi() == null
          && v.getDownwardAPI() == null
          && v.getEmptyDir() == null
          && v.getEphemeral() == null
          && v.getPersistentVolumeClaim() == null
          && v.getProjected() == null
          && v.getSecret() == null) {
        found.add("Volume Types: " + v.getName());
      }
    }
    boolean podNonRoot = isTrue(podContext.getRunAsNonRoot());
    boolean podSeccomp = confined(podContext.getSeccompProfile());
    if (Long.valueOf(0).equals(podContext.getRunAsUser())) {
      found.add("Running as Non-root user: pod runAsUser 0");
    }
    for (Container c : containers) {
      SecurityContext sc =
          c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
      String name = c.getName();
      if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        found.add("Privilege Escalation: " + name);
      }
      if (Boolean.FALSE.equals(sc.getRunAsNonRoot())
          || (!podNonRoot && !isTrue(sc.getRunAsNonRoot()))) {
        found.add("Running as Non-root: " + name);
      }
      if (Long.valueOf(0).equals(sc.getRunAsUser())) {
        found.add("Running as Non-root user: " + name + " runAsUser 0");
      }
      if (sc.getSeccompProfile() == null ? !podSeccomp : !confined(sc.getSeccompProfile())) {
        found.add("Seccomp: " + name);
      }
      Capabilities caps = sc.getCapabilities();
      if (caps == null || !caps.getDrop().contains("ALL")) {
        found.add("Capabilities: " + name + " does not drop ALL");
      }
      for (String added : added(caps)) {
        if (!added.equals("NET_BIND_SERVICE")) {
          found.add("Capabilities: " + name + " adds " + added);
        }
      }
    }
    return found;
  }

  private static boolean confined(SeccompProfile profile) {
    return profile != null
        && ("RuntimeDefault".equals(profile.getType()) || "Localhost".equals(profile.getType()));
  }

  private static void seLinux(String where, SELinuxOptions options, List<String> found) {
    if (options == null) {
      return;
    }
    if ((options.getType() != null && !SELINUX_TYPES.contains(options.getType()))
        || options.getUser() != null
        || options.getRole() != null) {
      found.add("SELinux: " + where);
    }
  }

  private static boolean hostProcess(WindowsSecurityContextOptions options) {
    return options != null && isTrue(options.getHostProcess());
  }

  private static List<String> added(Capabilities caps) {
    return caps == null ? List.of() : caps.getAdd();
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }
}
