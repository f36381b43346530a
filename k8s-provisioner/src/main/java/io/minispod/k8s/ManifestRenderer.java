package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.minispod.provisioner.ContainerSpec;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProbeSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an {@link InstanceSpec} into the Kubernetes objects that run it: the same objects for
 * provisioning and for {@link KubernetesProvisioner#render}. Pure: no API calls.
 */
final class ManifestRenderer {

  static final String QUOTA = "minispod-quota";
  static final String LIMIT_RANGE = "minispod-defaults";
  static final String DEFAULT_DENY = "minispod-default-deny";
  static final String ALLOW_DNS = "minispod-allow-dns";
  static final String ALLOW_HTTPS = "minispod-allow-https-egress";
  static final String ALLOW_ACME = "minispod-allow-acme-solver";

  /** The directory every container may write to, whatever its spec says. */
  static final String TMP = "/tmp";

  /**
   * Egress to these is never allowed: the private ranges (where the cluster's pods, services and
   * nodes live), carrier-grade NAT (which some clouds and CNIs use for pods) and link-local
   * addresses (cloud metadata services such as 169.254.169.254). The policy opens IPv4 only; no
   * rule allows IPv6 egress.
   */
  static final List<String> PRIVATE_RANGES =
      List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16");

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{(host|url|scheme|companion:([a-z0-9]([-a-z0-9]*[a-z0-9])?))}}");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern ENV_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private final Settings settings;

  ManifestRenderer(Settings settings) {
    this.settings = settings;
  }

  // ---------------------------------------------------------------- shapes of a spec

  static List<ContainerSpec> components(InstanceSpec spec) {
    List<ContainerSpec> all = new ArrayList<>();
    all.add(spec.app());
    all.addAll(spec.companions());
    return all;
  }

  static boolean hasVolume(ContainerSpec c) {
    return c.volumePath() != null && c.resources().storageGiB() > 0;
  }

  static boolean isApp(InstanceSpec spec, ContainerSpec c) {
    return c.name().equals(spec.app().name());
  }

  /** Deployments in readiness order: companions (such as a database) first, the app last. */
  static List<String> deploymentNames(InstanceSpec spec) {
    List<String> names = new ArrayList<>();
    spec.companions().forEach(c -> names.add(Names.deployment(spec.subdomain(), c.name())));
    names.add(Names.deployment(spec.subdomain(), spec.app().name()));
    return names;
  }

  /**
   * Checks what the SPI's validation cannot: environment keys usable in a ConfigMap and
   * placeholders that name declared companions.
   *
   * @return the problem, or {@code null} when the spec can be rendered
   */
  String problem(InstanceSpec spec) {
    if (spec.customDomain() != null && settings.inBaseDomain(spec.customDomain())) {
      return "custom domain "
          + spec.customDomain()
          + " lies in the base domain "
          + settings.baseDomain()
          + ", where it could take another instance's host";
    }
    for (ContainerSpec c : components(spec)) {
      for (String key : c.env().keySet()) {
        if (!ENV_KEY.matcher(key).matches()) {
          return "environment variable '" + key + "' of " + c.name() + " is not a valid name";
        }
      }
      try {
        resolvedEnv(spec, c);
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- namespace level

  Namespace namespace(String namespace, String ownerId) {
    Map<String, String> labels = ownerLabels(ownerId);
    for (String mode : List.of("enforce", "warn", "audit")) {
      labels.put("pod-security.kubernetes.io/" + mode, "restricted");
      labels.put("pod-security.kubernetes.io/" + mode + "-version", "latest");
    }
    return new NamespaceBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(namespace)
                .withLabels(labels)
                .withAnnotations(sorted(Map.of(KubernetesLabels.OWNER_ID_ANNOTATION, ownerId)))
                .build())
        .build();
  }

  /**
   * The namespace's quota: the sum of its instances' shares (kept as annotations), plus room for a
   * certificate solver when cert-manager issues certificates; never a LoadBalancer or NodePort.
   */
  ResourceQuota quota(String namespace, String ownerId, Map<String, String> shares) {
    List<Footprint> footprints = new ArrayList<>();
    shares.forEach(
        (key, value) -> {
          if (key.startsWith(KubernetesLabels.QUOTA_SHARE_PREFIX)) {
            Footprint.decode(value, defaultEphemeralStorageMiB()).ifPresent(footprints::add);
          }
        });
    Footprint total = Footprint.sum(footprints);
    if (settings.clusterIssuer() != null) {
      total = total.plus(acmeHeadroom());
    }
    Map<String, Quantity> hard = new TreeMap<>();
    hard.put("requests.cpu", new Quantity(total.cpuMillicores() + "m"));
    hard.put("limits.cpu", new Quantity(total.cpuMillicores() + "m"));
    hard.put("requests.memory", new Quantity(total.memoryMiB() + "Mi"));
    hard.put("limits.memory", new Quantity(total.memoryMiB() + "Mi"));
    hard.put("requests.storage", new Quantity(total.storageGiB() + "Gi"));
    hard.put("requests.ephemeral-storage", new Quantity(total.ephemeralMiB() + "Mi"));
    hard.put("limits.ephemeral-storage", new Quantity(total.ephemeralMiB() + "Mi"));
    hard.put("persistentvolumeclaims", new Quantity(Long.toString(total.volumes())));
    hard.put("pods", new Quantity(Long.toString(total.pods())));
    hard.put("services.loadbalancers", new Quantity("0"));
    hard.put("services.nodeports", new Quantity("0"));
    return new ResourceQuotaBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(QUOTA)
                .withNamespace(namespace)
                .withLabels(ownerLabels(ownerId))
                .withAnnotations(sorted(shares))
                .build())
        .withNewSpec()
        .withHard(new LinkedHashMap<>(hard))
        .endSpec()
        .build();
  }

  /**
   * Room in the quota for cert-manager's HTTP-01 solver pod (its default requests and limits are at
   * most 100m CPU and 64Mi; its scratch space is the LimitRange's default), which runs in the
   * namespace while a certificate is issued.
   */
  Footprint acmeHeadroom() {
    return new Footprint(100, 64, 0, defaultEphemeralStorageMiB(), 1, 0);
  }

  /** The scratch space of a container whose spec names none. */
  int defaultEphemeralStorageMiB() {
    return settings.ephemeralStorageMiB();
  }

  /** A container's scratch space: requests, limits and each emptyDir's size limit. */
  int ephemeralStorageMiB(ContainerSpec c) {
    return settings.ephemeralStorageMiB(c);
  }

  /**
   * The directories a container writes to besides its volume, each an emptyDir: {@code /tmp}, those
   * its spec names and those configured for its image, sorted.
   */
  List<String> writablePaths(ContainerSpec c) {
    Set<String> paths = new TreeSet<>();
    paths.add(TMP);
    paths.addAll(c.writablePaths());
    paths.addAll(settings.writablePathsOfImage(c));
    if (c.volumePath() != null) {
      paths.remove(c.volumePath());
    }
    return List.copyOf(paths);
  }

  /** Defaults for any container without resources (ours always have them). */
  LimitRange limitRange(String namespace, String ownerId) {
    int ephemeral = defaultEphemeralStorageMiB();
    return new LimitRangeBuilder()
        .withMetadata(meta(LIMIT_RANGE, namespace, ownerLabels(ownerId)))
        .withNewSpec()
        .addNewLimit()
        .withType("Container")
        .withDefault(quantities(250, 256, ephemeral))
        .withDefaultRequest(quantities(100, 128, ephemeral))
        .endLimit()
        .endSpec()
        .build();
  }

  /**
   * Default deny in both directions; DNS to the cluster DNS and HTTPS to public IPv4 addresses out.
   */
  List<NetworkPolicy> namespacePolicies(String namespace, String ownerId) {
    Map<String, String> labels = ownerLabels(ownerId);
    List<NetworkPolicy> policies = new ArrayList<>();
    policies.add(
        new NetworkPolicyBuilder()
            .withMetadata(meta(DEFAULT_DENY, namespace, labels))
            .withNewSpec()
            .withNewPodSelector()
            .endPodSelector()
            .withPolicyTypes("Ingress", "Egress")
            .endSpec()
            .build());
    policies.add(
        new NetworkPolicyBuilder()
            .withMetadata(meta(ALLOW_DNS, namespace, labels))
            .withNewSpec()
            .withNewPodSelector()
            .endPodSelector()
            .withPolicyTypes("Egress")
            .addNewEgress()
            .addNewTo()
            .withNewNamespaceSelector()
            .addToMatchLabels("kubernetes.io/metadata.name", settings.dnsNamespace())
            .endNamespaceSelector()
            .withNewPodSelector()
            .withMatchLabels(sorted(settings.dnsPodLabels()))
            .endPodSelector()
            .endTo()
            .withPorts(port("UDP", 53), port("TCP", 53))
            .endEgress()
            .endSpec()
            .build());
    policies.add(
        new NetworkPolicyBuilder()
            .withMetadata(meta(ALLOW_HTTPS, namespace, labels))
            .withNewSpec()
            .withNewPodSelector()
            .endPodSelector()
            .withPolicyTypes("Egress")
            .addNewEgress()
            .addNewTo()
            .withNewIpBlock()
            .withCidr("0.0.0.0/0")
            .withExcept(PRIVATE_RANGES)
            .endIpBlock()
            .endTo()
            .withPorts(port("TCP", 443))
            .endEgress()
            .endSpec()
            .build());
    if (settings.clusterIssuer() != null) {
      policies.add(
          new NetworkPolicyBuilder()
              .withMetadata(meta(ALLOW_ACME, namespace, labels))
              .withNewSpec()
              .withNewPodSelector()
              .addToMatchLabels("acme.cert-manager.io/http01-solver", "true")
              .endPodSelector()
              .withPolicyTypes("Ingress")
              .addNewIngress()
              .withFrom(fromIngressController())
              .withPorts(port("TCP", 8089))
              .endIngress()
              .endSpec()
              .build());
    }
    return policies;
  }

  // ---------------------------------------------------------------- instance level

  /**
   * The instance's Secret of generated values.
   *
   * @param values secret key to value (every key of the spec)
   */
  Secret secret(String namespace, InstanceSpec spec, Map<String, String> values) {
    Map<String, String> data = new TreeMap<>();
    values.forEach(
        (key, value) ->
            data.put(
                key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withMetadata(meta(Names.secret(spec.subdomain()), namespace, instanceLabels(spec)))
        .withType("Opaque")
        .withData(new LinkedHashMap<>(data))
        .build();
  }

  /** Everything of the instance but its Secret, in the order it is written. */
  List<HasMetadata> instanceObjects(String namespace, InstanceSpec spec) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(ingressPolicy(namespace, spec));
    objects.add(internalPolicy(namespace, spec));
    for (ContainerSpec c : components(spec)) {
      objects.add(configMap(namespace, spec, c));
    }
    for (ContainerSpec c : components(spec)) {
      if (hasVolume(c)) {
        objects.add(volume(namespace, spec, c));
      }
    }
    for (ContainerSpec c : components(spec)) {
      objects.add(deployment(namespace, spec, c));
    }
    for (ContainerSpec c : components(spec)) {
      objects.add(service(namespace, spec, c));
    }
    objects.add(ingress(namespace, spec));
    return objects;
  }

  private NetworkPolicy ingressPolicy(String namespace, InstanceSpec spec) {
    return new NetworkPolicyBuilder()
        .withMetadata(meta(Names.ingressPolicy(spec.subdomain()), namespace, instanceLabels(spec)))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(selector(spec, spec.app()))
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .withFrom(fromIngressController())
        .withPorts(port("TCP", spec.app().port()))
        .endIngress()
        .endSpec()
        .build();
  }

  private NetworkPolicy internalPolicy(String namespace, InstanceSpec spec) {
    Map<String, String> instance =
        sorted(Map.of(KubernetesLabels.INSTANCE, spec.instanceId().toString()));
    NetworkPolicyPeer sameInstance =
        new NetworkPolicyPeerBuilder()
            .withNewPodSelector()
            .withMatchLabels(instance)
            .endPodSelector()
            .build();
    return new NetworkPolicyBuilder()
        .withMetadata(meta(Names.internalPolicy(spec.subdomain()), namespace, instanceLabels(spec)))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(instance)
        .endPodSelector()
        .withPolicyTypes("Ingress", "Egress")
        .addNewIngress()
        .withFrom(sameInstance)
        .endIngress()
        .addNewEgress()
        .withTo(sameInstance)
        .endEgress()
        .endSpec()
        .build();
  }

  private ConfigMap configMap(String namespace, InstanceSpec spec, ContainerSpec c) {
    return new ConfigMapBuilder()
        .withMetadata(
            meta(Names.env(spec.subdomain(), c.name()), namespace, componentLabels(spec, c)))
        .withData(new LinkedHashMap<>(plainEnv(spec, c)))
        .build();
  }

  private PersistentVolumeClaim volume(String namespace, InstanceSpec spec, ContainerSpec c) {
    return new PersistentVolumeClaimBuilder()
        .withMetadata(
            meta(Names.volume(spec.subdomain(), c.name()), namespace, componentLabels(spec, c)))
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(settings.storageClass())
        .withNewResources()
        .addToRequests("storage", new Quantity(c.resources().storageGiB() + "Gi"))
        .endResources()
        .endSpec()
        .build();
  }

  private Deployment deployment(String namespace, InstanceSpec spec, ContainerSpec c) {
    Map<String, String> labels = componentLabels(spec, c);
    // Without the plan: an upgrade restarts a companion only if its own spec changes.
    Map<String, String> podLabels = new LinkedHashMap<>(labels);
    podLabels.remove(KubernetesLabels.PLAN);
    List<Volume> volumes = new ArrayList<>();
    if (hasVolume(c)) {
      volumes.add(
          new VolumeBuilder()
              .withName("data")
              .withNewPersistentVolumeClaim()
              .withClaimName(Names.volume(spec.subdomain(), c.name()))
              .endPersistentVolumeClaim()
              .build());
    } else if (c.volumePath() != null) {
      volumes.add(scratch("data", c));
    }
    scratchVolumes(c).forEach((path, name) -> volumes.add(scratch(name, c)));
    return new DeploymentBuilder()
        .withMetadata(meta(Names.deployment(spec.subdomain(), c.name()), namespace, labels))
        .withNewSpec()
        .withReplicas(1)
        .withRevisionHistoryLimit(3)
        .withNewStrategy()
        .withType("Recreate")
        .endStrategy()
        .withNewSelector()
        .withMatchLabels(selector(spec, c))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(
            sorted(Map.of(KubernetesLabels.CONFIG_HASH_ANNOTATION, configHash(spec, c))))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(c.runAsUser())
        .withRunAsGroup(c.runAsGroup())
        .withFsGroup(c.runAsGroup())
        .withFsGroupChangePolicy(c.runAsGroup() == null ? null : "OnRootMismatch")
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(spec, c))
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private Container container(InstanceSpec spec, ContainerSpec c) {
    List<EnvVar> secretEnv = new ArrayList<>();
    new TreeMap<>(c.secretEnv())
        .forEach(
            (variable, key) ->
                secretEnv.add(
                    new EnvVarBuilder()
                        .withName(variable)
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName(Names.secret(spec.subdomain()))
                        .withKey(key)
                        .endSecretKeyRef()
                        .endValueFrom()
                        .build()));
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(c.name())
            .withImage(c.image())
            .withImagePullPolicy("IfNotPresent")
            .addNewPort()
            .withName(portName(spec, c))
            .withContainerPort(c.port())
            .withProtocol("TCP")
            .endPort()
            .addNewEnvFrom()
            .withNewConfigMapRef()
            .withName(Names.env(spec.subdomain(), c.name()))
            .endConfigMapRef()
            .endEnvFrom()
            .withEnv(secretEnv)
            .withNewResources()
            .withRequests(resources(c))
            .withLimits(resources(c))
            .endResources()
            .withReadinessProbe(
                c.readiness() == null ? tcpProbe(c.port()) : httpProbe(c.readiness(), c.port()))
            .withLivenessProbe(c.liveness() == null ? null : httpProbe(c.liveness(), c.port()))
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withPrivileged(false)
            .withReadOnlyRootFilesystem(true)
            .withRunAsNonRoot(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext();
    List<VolumeMount> mounts = new ArrayList<>();
    if (c.volumePath() != null) {
      mounts.add(mount("data", c.volumePath()));
    }
    scratchVolumes(c).forEach((path, name) -> mounts.add(mount(name, path)));
    return container.withVolumeMounts(mounts).build();
  }

  /** Each writable directory of a container with the name of its volume, in path order. */
  private Map<String, String> scratchVolumes(ContainerSpec c) {
    Map<String, String> names = new LinkedHashMap<>();
    Set<String> taken = new HashSet<>(Set.of("data"));
    for (String path : writablePaths(c)) {
      String name = Names.scratchVolume(path);
      if (!taken.add(name)) {
        // Two paths that differ only in characters a name cannot hold: the hash tells them apart.
        name = Names.join(name, Names.sha256(path).substring(0, 8));
        taken.add(name);
      }
      names.put(path, name);
    }
    return names;
  }

  /** An emptyDir no larger than the container's scratch space. */
  private Volume scratch(String name, ContainerSpec c) {
    return new VolumeBuilder()
        .withName(name)
        .withNewEmptyDir()
        .withSizeLimit(new Quantity(ephemeralStorageMiB(c) + "Mi"))
        .endEmptyDir()
        .build();
  }

  private static VolumeMount mount(String name, String path) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).build();
  }

  private Map<String, Quantity> resources(ContainerSpec c) {
    return quantities(
        c.resources().cpuMillicores(), c.resources().memoryMiB(), ephemeralStorageMiB(c));
  }

  private Service service(String namespace, InstanceSpec spec, ContainerSpec c) {
    return new ServiceBuilder()
        .withMetadata(
            meta(
                Names.service(spec.subdomain(), c.name(), isApp(spec, c)),
                namespace,
                componentLabels(spec, c)))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector(spec, c))
        .addNewPort()
        .withName(portName(spec, c))
        .withPort(c.port())
        .withTargetPort(new IntOrString(c.port()))
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  /**
   * The instance's Ingress: a rule for its host and, when it has one, a rule for its custom domain,
   * both to the app's Service. With an issuer each host has a TLS entry with a certificate of its
   * own, so that a custom domain whose DNS does not point here yet (and so gets no certificate)
   * leaves the instance's own certificate alone.
   */
  private Ingress ingress(String namespace, InstanceSpec spec) {
    ObjectMeta meta =
        meta(Names.ingress(spec.subdomain()), namespace, componentLabels(spec, spec.app()));
    if (settings.clusterIssuer() != null) {
      meta.setAnnotations(
          sorted(Map.of("cert-manager.io/cluster-issuer", settings.clusterIssuer())));
    }
    List<String> hosts = new ArrayList<>(List.of(settings.host(spec)));
    List<String> tlsSecrets = new ArrayList<>(List.of(Names.tlsSecret(spec.subdomain())));
    if (spec.customDomain() != null) {
      hosts.add(spec.customDomain());
      tlsSecrets.add(Names.domainTlsSecret(spec.subdomain()));
    }
    IngressBuilder ingress =
        new IngressBuilder()
            .withMetadata(meta)
            .withNewSpec()
            .withIngressClassName(settings.ingressClass())
            .endSpec();
    for (int i = 0; i < hosts.size(); i++) {
      ingress.editSpec().addToRules(rule(spec, hosts.get(i))).endSpec();
      if (settings.clusterIssuer() != null) {
        ingress
            .editSpec()
            .addNewTl()
            .withHosts(hosts.get(i))
            .withSecretName(tlsSecrets.get(i))
            .endTl()
            .endSpec();
      }
    }
    return ingress.build();
  }

  private IngressRule rule(InstanceSpec spec, String host) {
    return new IngressRuleBuilder()
        .withHost(host)
        .withNewHttp()
        .addNewPath()
        .withPath("/")
        .withPathType("Prefix")
        .withNewBackend()
        .withNewService()
        .withName(Names.service(spec.subdomain(), spec.app().name(), true))
        .withNewPort()
        .withNumber(spec.app().port())
        .endPort()
        .endService()
        .endBackend()
        .endPath()
        .endHttp()
        .build();
  }

  // ---------------------------------------------------------------- environment

  /** A component's environment with placeholders filled in, secret variables left out. */
  Map<String, String> plainEnv(InstanceSpec spec, ContainerSpec c) {
    Map<String, String> env = resolvedEnv(spec, c);
    env.keySet().removeAll(c.secretEnv().keySet());
    return env;
  }

  private Map<String, String> resolvedEnv(InstanceSpec spec, ContainerSpec c) {
    Set<String> companions = new HashSet<>();
    spec.companions().forEach(companion -> companions.add(companion.name()));
    Map<String, String> resolved = new TreeMap<>();
    c.env()
        .forEach(
            (key, value) -> {
              Matcher m = PLACEHOLDER.matcher(value == null ? "" : value);
              StringBuilder out = new StringBuilder();
              while (m.find()) {
                String replacement;
                if (m.group(1).equals("host")) {
                  replacement = settings.publicHost(spec);
                } else if (m.group(1).equals("url")) {
                  replacement = settings.publicUrl(spec);
                } else if (m.group(1).equals("scheme")) {
                  replacement = settings.scheme();
                } else if (companions.contains(m.group(2))) {
                  replacement = Names.service(spec.subdomain(), m.group(2), false);
                } else {
                  throw new IllegalArgumentException(
                      "environment variable '"
                          + key
                          + "' of "
                          + c.name()
                          + " refers to companion '"
                          + m.group(2)
                          + "', which the instance does not have");
                }
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
              }
              m.appendTail(out);
              resolved.put(key, out.toString());
            });
    return resolved;
  }

  /** Changes whenever the environment does, so that pods restart with the new one. */
  private String configHash(InstanceSpec spec, ContainerSpec c) {
    return Names.sha256(plainEnv(spec, c) + "|" + new TreeMap<>(c.secretEnv())).substring(0, 16);
  }

  // ---------------------------------------------------------------- labels

  Map<String, String> ownerLabels(String ownerId) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(KubernetesLabels.MANAGED_BY, KubernetesLabels.MANAGED_BY_VALUE);
    labels.put(KubernetesLabels.OWNER, Names.ownerKey(ownerId));
    return labels;
  }

  Map<String, String> instanceLabels(InstanceSpec spec) {
    Map<String, String> labels = ownerLabels(spec.ownerId());
    labels.put(KubernetesLabels.INSTANCE, spec.instanceId().toString());
    labels.put(KubernetesLabels.APP_INSTANCE, spec.subdomain());
    putIfValid(labels, KubernetesLabels.NAME, spec.serviceSlug());
    putIfValid(labels, KubernetesLabels.PLAN, spec.planSlug());
    return labels;
  }

  private Map<String, String> componentLabels(InstanceSpec spec, ContainerSpec c) {
    Map<String, String> labels = instanceLabels(spec);
    labels.put(KubernetesLabels.COMPONENT, c.name());
    return new LinkedHashMap<>(labels);
  }

  private static Map<String, String> selector(InstanceSpec spec, ContainerSpec c) {
    Map<String, String> selector = new TreeMap<>();
    selector.put(KubernetesLabels.INSTANCE, spec.instanceId().toString());
    selector.put(KubernetesLabels.COMPONENT, c.name());
    return new LinkedHashMap<>(selector);
  }

  private static void putIfValid(Map<String, String> labels, String key, String value) {
    if (value != null
        && value.length() <= Names.MAX_LABEL
        && LABEL_VALUE.matcher(value).matches()) {
      labels.put(key, value);
    }
  }

  // ---------------------------------------------------------------- small pieces

  private NetworkPolicyPeer fromIngressController() {
    return new NetworkPolicyPeerBuilder()
        .withNewNamespaceSelector()
        .addToMatchLabels("kubernetes.io/metadata.name", settings.ingressNamespace())
        .endNamespaceSelector()
        .build();
  }

  private static NetworkPolicyPort port(String protocol, int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol(protocol)
        .withPort(new IntOrString(port))
        .build();
  }

  private static String portName(InstanceSpec spec, ContainerSpec c) {
    return isApp(spec, c) ? "http" : "tcp";
  }

  private static Probe httpProbe(ProbeSpec probe, int port) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(probe.path())
        .withPort(new IntOrString(port))
        .endHttpGet()
        .withInitialDelaySeconds((int) probe.initialDelay().toSeconds())
        .withPeriodSeconds((int) Math.max(1, probe.period().toSeconds()))
        .withTimeoutSeconds(5)
        .withFailureThreshold(probe.failureThreshold())
        .build();
  }

  private static Probe tcpProbe(int port) {
    return new ProbeBuilder()
        .withNewTcpSocket()
        .withPort(new IntOrString(port))
        .endTcpSocket()
        .withPeriodSeconds(10)
        .build();
  }

  private static Map<String, Quantity> quantities(
      long cpuMillicores, long memoryMiB, long ephemeralMiB) {
    Map<String, Quantity> q = new LinkedHashMap<>();
    q.put("cpu", new Quantity(cpuMillicores + "m"));
    q.put("ephemeral-storage", new Quantity(ephemeralMiB + "Mi"));
    q.put("memory", new Quantity(memoryMiB + "Mi"));
    return q;
  }

  private static ObjectMeta meta(String name, String namespace, Map<String, String> labels) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(new LinkedHashMap<>(labels))
        .build();
  }

  private static Map<String, String> sorted(Map<String, String> map) {
    return new LinkedHashMap<>(new TreeMap<>(map));
  }
}
