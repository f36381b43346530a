package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsList;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.minispod.provisioner.ContainerSpec;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.InstanceBackup;
import io.minispod.provisioner.InstanceHealth;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ObservedInstance;
import io.minispod.provisioner.ProvisionedInstance;
import io.minispod.provisioner.Provisioner;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.provisioner.ResourceLimits;
import io.minispod.provisioner.ResourceUsage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Provisioner} that runs each instance on Kubernetes, isolated in its owner's namespace.
 * Thread-safe; one per cluster.
 *
 * <p>Per owner: one namespace labelled as ours with Pod Security Admission {@code restricted}
 * (enforce, warn, audit), a ResourceQuota that is the sum of the owner's instances (CPU, memory,
 * storage, scratch space, pods, claims; no LoadBalancer or NodePort Service), a LimitRange, and
 * NetworkPolicies that deny everything but DNS to the cluster DNS and HTTPS to public addresses
 * out. Per instance: a Secret of generated values (created once, kept across upgrades and
 * restarts), and for the app and each companion a ConfigMap of its environment, a
 * PersistentVolumeClaim sized by the plan, a Deployment (one replica, Recreate, requests = limits
 * for CPU, memory and ephemeral storage, the template's probes, non-root, read-only root file
 * system with size-limited scratch directories, all capabilities dropped, RuntimeDefault seccomp,
 * no service-account token) and a Service; an Ingress for its host and its custom domain, if it has
 * one (each with TLS from cert-manager when an issuer is configured; the app is told the custom
 * domain as its host); and NetworkPolicies letting the ingress controller reach the app port and
 * the instance's components reach each other.
 *
 * <p>Backups ({@link #backUp}) are CSI VolumeSnapshots of every volume of the instance, labelled
 * like its other objects and deleted with it.
 *
 * <p>Failures are {@link ProvisioningException}s of a {@link FailureReason} category; what the
 * cluster said is in their platform detail and in the log under their reference, never in what
 * users see. {@link #health} reports an unhealthy instance the same way.
 *
 * <p>Every write is create-or-update under optimistic locking with retries on conflicts, 5xx,
 * throttling and timeouts, so each method may be called again after any failure. An instance that
 * never became ready is removed again when provisioning fails; a running one is left as it was.
 *
 * <p>Environment values may use {@code {{host}}}, {@code {{url}}} and, beyond the SPI, {@code
 * {{scheme}}}: the scheme the instance is served on and its URL has ({@code https} with a
 * cert-manager issuer or external TLS, {@code http} otherwise), and {@code {{companion:NAME}}}: the
 * host name of companion NAME's Service ({@code <subdomain>-NAME}).
 */
public final class KubernetesProvisioner implements Provisioner, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KubernetesProvisioner.class);

  private static final long MIB = 1024L * 1024L;

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final Settings settings;
  private final SecretGenerator secretGenerator;
  private final ApiRetrier retrier;
  private final ManifestRenderer renderer;
  private final ClusterWriter writer;
  private final QuotaBook quotas;
  private final DeploymentWatch watch;
  private final ReadinessWaiter readiness;
  private final Inventory inventory;
  private final VolumeSnapshots snapshots;

  /** Whether the volumes' StorageClass allows expansion; null until it could be read. */
  private volatile Boolean storageCanGrow;

  /** Whether the cluster serves VolumeSnapshots; null until it could be read. */
  private volatile Boolean snapshotsServed;

  KubernetesProvisioner(
      KubernetesClient client,
      boolean ownsClient,
      Settings settings,
      SecretGenerator secretGenerator,
      ApiRetrier retrier) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.settings = settings;
    this.secretGenerator = secretGenerator;
    this.retrier = retrier;
    this.renderer = new ManifestRenderer(settings);
    this.writer = new ClusterWriter(client, retrier);
    this.quotas = new QuotaBook(client, retrier, writer, renderer);
    this.watch = new DeploymentWatch(client);
    this.readiness =
        new ReadinessWaiter(
            client, retrier, watch, settings.readinessTimeout(), settings.readinessPollInterval());
    this.inventory = new Inventory(client, retrier, settings);
    this.snapshots = new VolumeSnapshots(client, retrier, settings);
  }

  /** The validated configuration, for tests that check what a builder or a binding made. */
  Settings settings() {
    return settings;
  }

  /** The readiness watch, for tests that check what it keeps. */
  DeploymentWatch deploymentWatch() {
    return watch;
  }

  /** The retry policy of API calls, for tests that check what a builder or a binding made. */
  ApiRetrier retrier() {
    return retrier;
  }

  /**
   * Starts configuring a provisioner.
   *
   * @return a builder
   */
  public static KubernetesProvisionerBuilder builder() {
    return new KubernetesProvisionerBuilder();
  }

  /**
   * The namespace that holds every instance of an owner.
   *
   * @param ownerId the owner's id
   * @return the namespace name: the configured prefix and a hash of the id
   */
  public String namespaceOf(String ownerId) {
    return settings.namespace(Objects.requireNonNull(ownerId, "ownerId"));
  }

  /**
   * The manifests provisioning writes for a new instance of an owner with no other instance, as
   * multi-document YAML in write order (what an operator would {@code kubectl apply}). The Secret
   * holds freshly generated values, never those of a running instance.
   *
   * @param spec the instance
   * @return the YAML documents, each starting with {@code ---}
   * @throws ProvisioningException when the spec cannot be rendered (an undeclared companion in a
   *     placeholder, a bad environment key)
   */
  public String render(InstanceSpec spec) {
    check(spec);
    String namespace = namespaceOf(spec.ownerId());
    Map<String, String> values = new TreeMap<>();
    spec.generatedSecrets().forEach(key -> values.put(key, secretGenerator.generate(key)));
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(renderer.namespace(namespace, spec.ownerId()));
    objects.add(
        renderer.quota(
            namespace,
            spec.ownerId(),
            Map.of(QuotaBook.key(spec.instanceId()), footprint(spec, Map.of()).encode())));
    objects.add(renderer.limitRange(namespace, spec.ownerId()));
    objects.addAll(renderer.namespacePolicies(namespace, spec.ownerId()));
    objects.add(renderer.secret(namespace, spec, values));
    objects.addAll(renderer.instanceObjects(namespace, spec));
    StringBuilder yaml = new StringBuilder();
    for (HasMetadata object : objects) {
      yaml.append(client.getKubernetesSerialization().asYaml(object));
    }
    return yaml.toString();
  }

  // ---------------------------------------------------------------- the SPI

  /**
   * Writes the owner's namespace (with its quota, limits and policies) and every object of the
   * instance, then waits until its Deployments are available. Calling it again for an existing
   * instance changes nothing; its generated secrets are kept.
   *
   * @param spec what to run
   * @return the instance's URL and namespace
   * @throws ProvisioningException naming the reason (an API error after retries, an image that
   *     cannot be pulled, an unschedulable pod, …); an instance that was never ready is removed
   *     again first
   */
  @Override
  public ProvisionedInstance provision(InstanceSpec spec) {
    check(spec);
    UUID id = spec.instanceId();
    String namespace = namespaceOf(spec.ownerId());
    long started = System.nanoTime();
    log.info(
        "Provisioning instance {} ({} {}) of owner {} in namespace {}",
        id,
        spec.serviceSlug(),
        spec.planSlug(),
        spec.ownerId(),
        namespace);
    // Read before writing anything: only an instance that was never ready may be removed on
    // failure.
    boolean established = wasReady(readSecret(spec, namespace));
    try {
      Map<String, Long> generations = applyInstance(spec, namespace);
      readiness.await(id, namespace, ManifestRenderer.deploymentNames(spec), generations);
      markReady(spec, namespace);
    } catch (ProvisioningException e) {
      if (!established) {
        log.warn(
            "Instance {} never became ready; removing what was created: {}", id, e.getMessage());
        discard(spec.ref(), e);
      }
      throw e;
    }
    log.info("Instance {} is ready at {} ({} ms)", id, settings.url(spec), elapsedMillis(started));
    return new ProvisionedInstance(settings.url(spec), namespace);
  }

  /**
   * Applies new resources: the quota first, then volumes and Deployments, and waits until the
   * instance is available again. Storage never shrinks. An instance the cluster lost entirely (no
   * quota share and no secret left) is provisioned again with the new resources.
   *
   * @param spec the instance with its new resources
   * @throws ProvisioningException when storage would shrink or cannot grow on its storage class
   *     (both before anything changes), or when the new size does not become ready (CPU, memory and
   *     quota are then rolled back)
   */
  @Override
  public void resize(InstanceSpec spec) {
    check(spec);
    UUID id = spec.instanceId();
    String namespace = namespaceOf(spec.ownerId());
    long started = System.nanoTime();
    if (quotas.share(id, namespace).isEmpty() && readSecret(spec, namespace) == null) {
      // The cluster lost the instance (its namespace deleted by hand, say): made so again.
      log.warn("Instance {} is missing from the cluster; creating it with the new resources", id);
      provision(spec);
      return;
    }
    Map<String, PersistentVolumeClaim> volumes = volumesOf(id, namespace);
    checkStorage(spec, volumes);
    Optional<InstanceSpec> previous = previousSize(spec, namespace);
    log.info(
        "Resizing instance {} to plan {} ({}m CPU, {}Mi memory, {}Gi storage)",
        id,
        spec.planSlug(),
        spec.app().resources().cpuMillicores(),
        spec.app().resources().memoryMiB(),
        spec.app().resources().storageGiB());
    try {
      Map<String, Long> generations = applyInstance(spec, namespace);
      readiness.await(id, namespace, ManifestRenderer.deploymentNames(spec), generations);
      markReady(spec, namespace);
    } catch (ProvisioningException e) {
      rollBack(spec, namespace, previous, e);
      throw e;
    }
    log.info("Instance {} resized ({} ms)", id, elapsedMillis(started));
  }

  /**
   * Deletes every object labelled with the instance (its VolumeSnapshots included: a backup
   * outlives neither its instance nor its subscription), removes its share of the namespace's quota
   * and deletes the namespace with the owner's last instance. Succeeds when nothing is left.
   *
   * @param instance which instance
   * @throws ProvisioningException when the API server keeps failing or refuses
   */
  @Override
  public void deprovision(InstanceRef instance) {
    String namespace = namespaceOf(instance.ownerId());
    long started = System.nanoTime();
    removeInstance(instance, namespace);
    log.info(
        "Instance {} of owner {} deprovisioned ({} ms)",
        instance.instanceId(),
        instance.ownerId(),
        elapsedMillis(started));
  }

  /**
   * Scales every Deployment of the instance (its app's and its companions') to zero replicas. Its
   * volumes, Secrets, ConfigMaps, Service and Ingress stay, and so does its share of the
   * namespace's quota; {@link #start} scales them back.
   *
   * @param instance which instance
   * @throws ProvisioningException when the API server keeps failing or refuses
   */
  @Override
  public void stop(InstanceRef instance) {
    scale(instance, 0);
  }

  /**
   * Scales every Deployment of a {@link #stop stopped} instance back to its one replica. It does
   * not wait for readiness: the health monitor sees the instance come up.
   *
   * @param instance which instance
   * @throws ProvisioningException when the API server keeps failing or refuses
   */
  @Override
  public void start(InstanceRef instance) {
    scale(instance, 1);
  }

  private void scale(InstanceRef instance, int replicas) {
    UUID id = instance.instanceId();
    String namespace = namespaceOf(instance.ownerId());
    for (Deployment deployment : deploymentsOf(id, namespace)) {
      String name = deployment.getMetadata().getName();
      retrier.call(
          id,
          "scaling Deployment " + namespace + "/" + name + " to " + replicas,
          () ->
              client
                  .apps()
                  .deployments()
                  .inNamespace(namespace)
                  .withName(name)
                  // A merge patch names no resourceVersion: the controllers' status updates never
                  // make it conflict.
                  .patch(
                      PatchContext.of(PatchType.JSON_MERGE),
                      "{\"spec\":{\"replicas\":" + replicas + "}}"));
    }
    log.info(
        "Instance {} of owner {} {}",
        id,
        instance.ownerId(),
        replicas == 0 ? "stopped (scaled to zero)" : "started");
  }

  private List<Deployment> deploymentsOf(UUID id, String namespace) {
    return retrier.call(
        id,
        "listing Deployments of " + namespace,
        () ->
            client
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withLabel(KubernetesLabels.INSTANCE, id.toString())
                .list()
                .getItems());
  }

  /**
   * Whether every Deployment of the instance is available; otherwise the reason read from pod
   * status, Deployment conditions and events.
   *
   * @param instance which instance
   * @return up, or down with a reason users may read: {@code instance does not exist} when it has
   *     no objects, {@code the app is not available} when nothing says why, otherwise the message
   *     of a {@link ProvisioningException} of the diagnosed category, whose reference the log has
   *     with the cluster's words
   * @throws ProvisioningException when the API server cannot be read
   */
  @Override
  public InstanceHealth health(InstanceRef instance) {
    UUID id = instance.instanceId();
    String namespace = namespaceOf(instance.ownerId());
    List<Deployment> deployments = deploymentsOf(id, namespace);
    if (deployments.isEmpty()) {
      return InstanceHealth.down("instance does not exist");
    }
    List<String> names = new ArrayList<>();
    String unavailable = null;
    for (Deployment d : deployments) {
      names.add(d.getMetadata().getName());
      if (unavailable == null && !ReadinessWaiter.isAvailable(d)) {
        unavailable = d.getMetadata().getName();
      }
    }
    if (unavailable == null) {
      return InstanceHealth.up();
    }
    Optional<Diagnosis> why = readiness.diagnose(id, namespace, names);
    if (why.isEmpty()) {
      return InstanceHealth.down("the app is not available");
    }
    // The failure's message is what a user may read; making it logs the cluster's words under its
    // reference, for the operator the user quotes it to.
    ProvisioningException failure =
        ProvisioningException.of(
            id,
            why.get().reason(),
            why.get().retryable(),
            "Deployment " + unavailable + " is not available: " + why.get().detail(),
            null);
    return InstanceHealth.down(failure.getMessage());
  }

  /**
   * The CPU and memory the instance's pods use, from the metrics API (metrics-server). Volume usage
   * is not measured and reported as 0.
   *
   * @param instance which instance
   * @return the usage, or empty when the cluster has no metrics API or no figures for the pods
   * @throws ProvisioningException when the metrics API keeps failing
   */
  @Override
  public Optional<ResourceUsage> usage(InstanceRef instance) {
    UUID id = instance.instanceId();
    String namespace = namespaceOf(instance.ownerId());
    PodMetricsList metrics;
    try {
      metrics =
          retrier.call(
              id,
              "reading pod metrics of " + namespace,
              () ->
                  client
                      .top()
                      .pods()
                      .inNamespace(namespace)
                      .withLabels(Map.of(KubernetesLabels.INSTANCE, id.toString()))
                      .metrics(),
              KubernetesProvisioner::noMetricsApi);
    } catch (KubernetesClientException noMetrics) {
      log.debug("Instance {}: no metrics API ({})", id, ApiRetrier.describe(noMetrics));
      return Optional.empty();
    }
    if (metrics == null || metrics.getItems().isEmpty()) {
      return Optional.empty();
    }
    BigDecimal cpuCores = BigDecimal.ZERO;
    BigDecimal memoryBytes = BigDecimal.ZERO;
    for (PodMetrics pod : metrics.getItems()) {
      for (ContainerMetrics container : pod.getContainers()) {
        Quantity cpu = container.getUsage().get("cpu");
        Quantity memory = container.getUsage().get("memory");
        if (cpu != null) {
          cpuCores = cpuCores.add(cpu.getNumericalAmount());
        }
        if (memory != null) {
          memoryBytes = memoryBytes.add(Quantity.getAmountInBytes(memory));
        }
      }
    }
    // The metrics API has no volume usage; storage is reported as 0 (not measured).
    return Optional.of(
        new ResourceUsage(
            cpuCores.movePointRight(3).longValue(),
            memoryBytes.divideToIntegralValue(BigDecimal.valueOf(MIB)).longValue(),
            0.0));
  }

  /**
   * Every instance this provisioner has on the cluster, read from the objects labelled {@code
   * app.kubernetes.io/managed-by=minispod} in all namespaces, page by page. The owner is read from
   * the namespace's {@code minispod.io/owner-id} annotation; only namespaces that this provisioner
   * would name for that owner count (a provisioner with another prefix has its own), and objects of
   * other applications (without the label) are never read. Secrets are not listed.
   *
   * <p>An instance is {@code COMPLETE} when its Ingress and every Deployment (as many as its quota
   * share counts components) are there: the resources are the CPU and memory limits of its app's
   * container and the requested size of its app's volume. It is {@code INCOMPLETE} when only other
   * objects are left: its Ingress, its app's Deployment or a companion's is missing (or has no
   * readable limits), yet it still has a Deployment, a volume or a share of its namespace's quota.
   * It is {@code DELETING} when its namespace, or one of its Deployments, Ingresses or volumes, is
   * marked for deletion (a volume still mounted by a pod stays so until the pod is gone).
   *
   * @return the instances, ordered by id
   * @throws ProvisioningException when a listing keeps failing (after retries, retryable) or is
   *     refused (such as without RBAC permission to list in all namespaces)
   */
  @Override
  public List<ObservedInstance> instances() {
    return inventory.instances();
  }

  /**
   * Whether the cluster serves VolumeSnapshots ({@code snapshot.storage.k8s.io/v1}), as read when
   * the provisioner was built; read again when it could not be read then. Unknown (the cluster
   * unreachable) counts as {@code true}: a backup then fails as any call would.
   */
  @Override
  public boolean supportsBackups() {
    Boolean known = snapshotsServed;
    if (known == null) {
      known = snapshots.readSupport();
      snapshotsServed = known;
    }
    return known == null || known;
  }

  /** Reads and logs, once at start-up, whether the cluster serves VolumeSnapshots. */
  void reportSnapshotSupport() {
    snapshotsServed = snapshots.readSupport();
  }

  /**
   * Takes a VolumeSnapshot of each PersistentVolumeClaim of the instance, named {@code
   * <claim>-<backup id>} and labelled like the claim plus {@code minispod.io/backup=<backup id>},
   * unless the key's snapshots exist; then deletes the snapshots of the backups beyond the newest
   * {@code keep}. The snapshots use the configured VolumeSnapshotClass (or the cluster's default);
   * they are requested, not awaited: the CSI driver copies the data in the background.
   *
   * @return the backup; empty when the instance has no PersistentVolumeClaim (none in its spec, or
   *     nothing of it left)
   * @throws ProvisioningException as any API call fails (a cluster without the snapshot API is
   *     {@link FailureReason#REFUSED})
   */
  @Override
  public Optional<InstanceBackup> backUp(
      InstanceRef instance, String key, InstanceBackup.Reason reason, int keep) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(reason, "reason");
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, was " + keep);
    }
    String namespace = namespaceOf(instance.ownerId());
    return snapshots.backUp(
        instance, namespace, volumesOf(instance.instanceId(), namespace), key, reason, keep);
  }

  /**
   * The instance's backups, read from its VolumeSnapshots, newest first (by the time each was
   * taken, annotation {@code minispod.io/taken-at}). None on a cluster without the snapshot API.
   */
  @Override
  public List<InstanceBackup> backups(InstanceRef instance) {
    return snapshots.list(instance.instanceId(), namespaceOf(instance.ownerId()));
  }

  /**
   * Stops the provisioner's watch of Deployments, and closes the client if the provisioner built
   * it; a client handed in stays open.
   */
  @Override
  public void close() {
    watch.close();
    if (ownsClient) {
      client.close();
    }
  }

  // ---------------------------------------------------------------- provisioning

  private void check(InstanceSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String problem = renderer.problem(spec);
    if (problem != null) {
      throw ProvisioningException.of(
          spec.instanceId(), FailureReason.CONFIGURATION, false, problem, null);
    }
  }

  /**
   * Writes every object of the instance (and its namespace), creating or updating each.
   *
   * @return the generation of each Deployment as written, by name
   */
  private Map<String, Long> applyInstance(InstanceSpec spec, String namespace) {
    UUID id = spec.instanceId();
    Map<String, PersistentVolumeClaim> volumes = volumesOf(id, namespace);
    Map<String, Long> sizes = new LinkedHashMap<>();
    volumes.forEach((name, claim) -> sizes.put(name, gib(claim)));
    ensureNamespace(spec, namespace);
    // The quota grows before the pods that need it are written.
    quotas.record(id, namespace, spec.ownerId(), footprint(spec, sizes));
    writer.apply(id, renderer.limitRange(namespace, spec.ownerId()));
    for (NetworkPolicy policy : renderer.namespacePolicies(namespace, spec.ownerId())) {
      writer.apply(id, policy);
    }
    writeSecret(spec, namespace);
    Map<String, Long> generations = new LinkedHashMap<>();
    for (HasMetadata object : renderer.instanceObjects(namespace, spec)) {
      HasMetadata written = writer.apply(id, object);
      if (written instanceof Deployment d) {
        Long generation = d.getMetadata().getGeneration();
        generations.put(d.getMetadata().getName(), generation == null ? 0L : generation);
      }
    }
    return generations;
  }

  private void ensureNamespace(InstanceSpec spec, String namespace) {
    UUID id = spec.instanceId();
    Namespace existing =
        retrier.call(
            id,
            "reading Namespace " + namespace,
            () -> client.namespaces().withName(namespace).get());
    if (existing != null && existing.getMetadata().getDeletionTimestamp() != null) {
      log.info("Instance {}: namespace {} is being deleted; waiting for it to go", id, namespace);
      try {
        client
            .namespaces()
            .withName(namespace)
            .waitUntilCondition(
                Objects::isNull, settings.readinessTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (KubernetesClientTimeoutException e) {
        throw ProvisioningException.of(
            id,
            FailureReason.BUSY,
            true,
            "namespace "
                + namespace
                + " is still being deleted after "
                + settings.readinessTimeout(),
            e);
      }
    }
    writer.apply(id, renderer.namespace(namespace, spec.ownerId()));
  }

  private void writeSecret(InstanceSpec spec, String namespace) {
    Map<String, String> fresh = new TreeMap<>();
    spec.generatedSecrets().forEach(key -> fresh.put(key, secretGenerator.generate(key)));
    writer.modify(
        spec.instanceId(),
        renderer.secret(namespace, spec, fresh),
        existing -> {
          Map<String, String> values = decode(existing);
          int before = values.size();
          spec.generatedSecrets()
              .forEach(key -> values.computeIfAbsent(key, secretGenerator::generate));
          if (values.size() > before) {
            log.info(
                "Instance {}: generated {} new secret value(s)",
                spec.instanceId(),
                values.size() - before);
          }
          return writer.merge(existing, renderer.secret(namespace, spec, values));
        });
  }

  private Secret readSecret(InstanceSpec spec, String namespace) {
    Secret locator = secretLocator(spec.subdomain(), namespace);
    return retrier.call(
        spec.instanceId(),
        "reading Secret " + namespace + "/" + locator.getMetadata().getName(),
        () -> client.resource(locator).get());
  }

  private static boolean wasReady(Secret secret) {
    return secret != null
        && secret.getMetadata().getAnnotations() != null
        && secret
            .getMetadata()
            .getAnnotations()
            .containsKey(KubernetesLabels.FIRST_READY_ANNOTATION);
  }

  private void markReady(InstanceSpec spec, String namespace) {
    writer.update(
        spec.instanceId(),
        secretLocator(spec.subdomain(), namespace),
        secret -> {
          if (!wasReady(secret)) {
            Map<String, String> annotations = new LinkedHashMap<>();
            if (secret.getMetadata().getAnnotations() != null) {
              annotations.putAll(secret.getMetadata().getAnnotations());
            }
            annotations.put(
                KubernetesLabels.FIRST_READY_ANNOTATION, settings.clock().instant().toString());
            secret.getMetadata().setAnnotations(annotations);
          }
          return secret;
        });
  }

  private Footprint footprint(InstanceSpec spec, Map<String, Long> existingGiB) {
    return Footprint.of(
        spec,
        existingGiB,
        c -> Names.volume(spec.subdomain(), c.name()),
        renderer::ephemeralStorageMiB);
  }

  // ---------------------------------------------------------------- resizing

  private Map<String, PersistentVolumeClaim> volumesOf(UUID id, String namespace) {
    List<PersistentVolumeClaim> claims =
        retrier.call(
            id,
            "listing PersistentVolumeClaims of " + namespace,
            () ->
                client
                    .persistentVolumeClaims()
                    .inNamespace(namespace)
                    .withLabel(KubernetesLabels.INSTANCE, id.toString())
                    .list()
                    .getItems());
    Map<String, PersistentVolumeClaim> byName = new TreeMap<>();
    claims.forEach(c -> byName.put(c.getMetadata().getName(), c));
    return byName;
  }

  /** Refuses, before anything changes, storage that would shrink or cannot grow. */
  private void checkStorage(InstanceSpec spec, Map<String, PersistentVolumeClaim> volumes) {
    for (ContainerSpec c : ManifestRenderer.components(spec)) {
      PersistentVolumeClaim claim = volumes.get(Names.volume(spec.subdomain(), c.name()));
      if (!ManifestRenderer.hasVolume(c) || claim == null) {
        continue;
      }
      long current = gib(claim);
      long wanted = c.resources().storageGiB();
      if (wanted < current) {
        throw ProvisioningException.of(
            spec.instanceId(),
            FailureReason.STORAGE,
            false,
            "storage cannot shrink: volume of "
                + c.name()
                + " has "
                + current
                + "Gi, the plan asks for "
                + wanted
                + "Gi",
            null);
      }
      if (wanted > current) {
        String className = claim.getSpec().getStorageClassName();
        StorageClass storageClass = storageClass(spec.instanceId(), className);
        if (storageClass == null || !Boolean.TRUE.equals(storageClass.getAllowVolumeExpansion())) {
          String name =
              storageClass == null
                  ? (className == null ? "(no default class)" : className + " (not found)")
                  : storageClass.getMetadata().getName();
          throw ProvisioningException.of(
              spec.instanceId(),
              FailureReason.STORAGE,
              false,
              "storage of "
                  + c.name()
                  + " cannot grow from "
                  + current
                  + "Gi to "
                  + wanted
                  + "Gi: storage class "
                  + name
                  + " does not allow volume expansion; nothing was changed",
              null);
        }
      }
    }
  }

  private StorageClass storageClass(UUID id, String name) {
    return select(
        retrier.call(
            id,
            "listing StorageClasses",
            () -> client.storage().v1().storageClasses().list().getItems()),
        name);
  }

  /**
   * Whether the volumes' StorageClass (the configured one, or the cluster's default) allows volume
   * expansion, as read when the provisioner was built; read again when it could not be read then.
   * Unknown (the cluster unreachable) counts as {@code true}, and {@link #resize} refuses a volume
   * that cannot grow itself.
   */
  @Override
  public boolean canGrowStorage() {
    Boolean known = storageCanGrow;
    if (known == null) {
      known = readStorageExpansion();
      storageCanGrow = known;
    }
    return known == null || known;
  }

  /** Reads and logs, once at start-up, whether new volumes can grow. */
  void reportStorageExpansion() {
    storageCanGrow = readStorageExpansion();
  }

  /** Whether the volumes' StorageClass allows expansion, or null when it cannot be read. */
  private Boolean readStorageExpansion() {
    String wanted = settings.storageClass();
    List<StorageClass> classes;
    try {
      // One attempt: this runs at start-up, where a missing cluster must not hold the host up.
      classes = client.storage().v1().storageClasses().list().getItems();
    } catch (KubernetesClientException e) {
      log.warn(
          "Could not read the StorageClasses to know whether volumes can grow; asking again at the"
              + " next upgrade: {}",
          e.getMessage());
      return null;
    }
    StorageClass chosen = select(classes, wanted);
    String name =
        chosen != null
            ? chosen.getMetadata().getName()
            : wanted == null ? "(no default class)" : wanted + " (not found)";
    boolean expandable = chosen != null && Boolean.TRUE.equals(chosen.getAllowVolumeExpansion());
    if (expandable) {
      log.info("StorageClass {} allows volume expansion: upgrades may grow storage", name);
    } else {
      log.warn(
          "StorageClass {} does not allow volume expansion: upgrades that grow storage are"
              + " refused",
          name);
    }
    return expandable;
  }

  /** The class of that name, or the cluster's default class when {@code name} is null. */
  private static StorageClass select(List<StorageClass> classes, String name) {
    for (StorageClass sc : classes) {
      Map<String, String> annotations = sc.getMetadata().getAnnotations();
      boolean isDefault =
          annotations != null
              && "true".equals(annotations.get("storageclass.kubernetes.io/is-default-class"));
      if (name == null ? isDefault : name.equals(sc.getMetadata().getName())) {
        return sc;
      }
    }
    return null;
  }

  /** The instance at its current CPU and memory (and the new storage), read from its Deployment. */
  private Optional<InstanceSpec> previousSize(InstanceSpec spec, String namespace) {
    String name = Names.deployment(spec.subdomain(), spec.app().name());
    Deployment current =
        retrier.call(
            spec.instanceId(),
            "reading Deployment " + namespace + "/" + name,
            () -> client.apps().deployments().inNamespace(namespace).withName(name).get());
    if (current == null) {
      return Optional.empty();
    }
    try {
      Map<String, Quantity> limits =
          current
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0)
              .getResources()
              .getLimits();
      int cpu = limits.get("cpu").getNumericalAmount().movePointRight(3).intValueExact();
      int memory =
          Quantity.getAmountInBytes(limits.get("memory"))
              .divideToIntegralValue(BigDecimal.valueOf(MIB))
              .intValueExact();
      String plan = current.getMetadata().getLabels().get(KubernetesLabels.PLAN);
      return Optional.of(
          spec.resizedTo(
              plan == null ? spec.planSlug() : plan,
              new ResourceLimits(cpu, memory, spec.app().resources().storageGiB())));
    } catch (RuntimeException e) {
      log.warn(
          "Instance {}: cannot read its current size, no rollback possible", spec.instanceId());
      return Optional.empty();
    }
  }

  /**
   * Puts CPU and memory back to what the Deployment had, where they changed; the log links the
   * rollback to the failure's reference.
   */
  private void rollBack(
      InstanceSpec spec,
      String namespace,
      Optional<InstanceSpec> previous,
      ProvisioningException e) {
    if (previous.isEmpty() || previous.get().app().resources().equals(spec.app().resources())) {
      return;
    }
    ResourceLimits old = previous.get().app().resources();
    try {
      applyInstance(previous.get(), namespace);
    } catch (RuntimeException rollbackFailure) {
      e.addSuppressed(rollbackFailure);
      log.error(
          "Instance {}: rolling back the resize (reference {}) failed too",
          spec.instanceId(),
          e.reference().orElse("none"),
          rollbackFailure);
      return;
    }
    log.warn(
        "Instance {}: resize failed (reference {}), rolled back to {}m CPU and {}Mi memory"
            + " (volumes keep their new size)",
        spec.instanceId(),
        e.reference().orElse("none"),
        old.cpuMillicores(),
        old.memoryMiB());
  }

  // ---------------------------------------------------------------- removal

  private void discard(InstanceRef instance, ProvisioningException cause) {
    try {
      removeInstance(instance, namespaceOf(instance.ownerId()));
    } catch (RuntimeException cleanupFailure) {
      log.error(
          "Instance {}: removing the half-made instance failed; deprovision it again",
          instance.instanceId(),
          cleanupFailure);
      cause.addSuppressed(cleanupFailure);
    }
  }

  private void removeInstance(InstanceRef instance, String namespace) {
    UUID id = instance.instanceId();
    Namespace existing =
        retrier.call(
            id,
            "reading Namespace " + namespace,
            () -> client.namespaces().withName(namespace).get());
    if (existing == null) {
      log.debug("Instance {}: namespace {} does not exist, nothing to remove", id, namespace);
      return;
    }
    String label = id.toString();
    snapshots.deleteAll(id, namespace);
    List<String> tlsSecrets = new ArrayList<>();
    for (Ingress ingress :
        retrier.call(
            id,
            "listing Ingresses of " + namespace,
            () ->
                client
                    .network()
                    .v1()
                    .ingresses()
                    .inNamespace(namespace)
                    .withLabel(KubernetesLabels.INSTANCE, label)
                    .list()
                    .getItems())) {
      for (IngressTLS tls : ingress.getSpec().getTls()) {
        if (tls.getSecretName() != null && !tlsSecrets.contains(tls.getSecretName())) {
          tlsSecrets.add(tls.getSecretName());
        }
      }
      // A custom domain removed earlier leaves its certificate behind (cert-manager keeps the
      // Secrets it wrote): removed with the instance.
      String domainTls = Names.domainTlsSecret(ingress.getMetadata().getName());
      if (settings.clusterIssuer() != null && !tlsSecrets.contains(domainTls)) {
        tlsSecrets.add(domainTls);
      }
    }
    for (Class<? extends HasMetadata> kind : InstanceKinds.ALL) {
      retrier.run(
          id,
          "deleting " + kind.getSimpleName() + "s of instance in " + namespace,
          () ->
              client
                  .resources(kind)
                  .inNamespace(namespace)
                  .withLabel(KubernetesLabels.INSTANCE, label)
                  .delete());
    }
    for (String secret : tlsSecrets) {
      retrier.run(
          id,
          "deleting Secret " + namespace + "/" + secret,
          () -> client.secrets().inNamespace(namespace).withName(secret).delete());
    }
    int remaining = quotas.release(id, namespace, instance.ownerId());
    if (remaining > 0) {
      log.debug("Instance {}: namespace {} keeps {} other instance(s)", id, namespace, remaining);
      return;
    }
    List<Deployment> others =
        retrier.call(
            id,
            "listing Deployments of " + namespace,
            () ->
                client
                    .apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withLabel(KubernetesLabels.MANAGED_BY, KubernetesLabels.MANAGED_BY_VALUE)
                    .list()
                    .getItems());
    if (!others.isEmpty()) {
      log.warn(
          "Instance {}: namespace {} has no quota share left but {} Deployment(s); keeping it",
          id,
          namespace,
          others.size());
      return;
    }
    retrier.run(
        id,
        "deleting Namespace " + namespace,
        () -> client.namespaces().withName(namespace).delete());
    log.info(
        "Instance {} was the last of owner {}: namespace {} deleted",
        id,
        instance.ownerId(),
        namespace);
  }

  // ---------------------------------------------------------------- helpers

  private static Secret secretLocator(String subdomain, String namespace) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(Names.secret(subdomain))
        .withNamespace(namespace)
        .endMetadata()
        .build();
  }

  private static Map<String, String> decode(Secret secret) {
    Map<String, String> values = new TreeMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (key, value) ->
                  values.put(
                      key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
    }
    return values;
  }

  static long gib(PersistentVolumeClaim claim) {
    Quantity size = claim.getSpec().getResources().getRequests().get("storage");
    return Quantity.getAmountInBytes(size)
        .divideToIntegralValue(BigDecimal.valueOf(1024L * MIB))
        .longValue();
  }

  /** A metrics API that is not installed (404) or not serving (503): no usage, no failure. */
  private static boolean noMetricsApi(KubernetesClientException e) {
    return e.getCode() == 404 || e.getCode() == 503;
  }

  private static long elapsedMillis(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }
}
