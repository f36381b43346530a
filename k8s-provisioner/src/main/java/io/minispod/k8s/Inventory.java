package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.ObservedInstance;
import io.minispod.provisioner.ObservedInstance.State;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.provisioner.ResourceLimits;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes stock of what a provisioner has on the cluster, for {@link
 * KubernetesProvisioner#instances()}: five listings of the objects labelled as ours in all
 * namespaces, each read page by page (at most {@link Settings#listPageSize()} objects per response)
 * through the {@link ApiRetrier}, each object reduced to a few facts about its instance at once.
 *
 * <ul>
 *   <li>Namespaces name their owner (annotation {@code minispod.io/owner-id}). Only a namespace
 *       whose name is this provisioner's namespace for that owner counts, so instances of a
 *       provisioner with another prefix on the same cluster are not ours; a namespace that is being
 *       deleted takes its instances with it.
 *   <li>Deployments: the workload of each component, with its container's CPU and memory limits.
 *   <li>Ingresses: an instance's route to its app, labelled with the app's component: that is how
 *       the app's Deployment is told from its companions'.
 *   <li>PersistentVolumeClaims: the size of each component's volume, and data left behind.
 *   <li>ResourceQuotas: each instance's recorded share, which counts its components (one pod each)
 *       and outlives Deployments deleted by hand.
 * </ul>
 *
 * Secrets are never listed: taking stock needs none of their values.
 */
final class Inventory {

  private static final Logger log = LoggerFactory.getLogger(Inventory.class);

  /** How often a listing starts over when the server expired its continue token (HTTP 410). */
  static final int MAX_RESTARTS = 3;

  private static final long MIB = 1024L * 1024L;
  private static final String MANAGED_BY = KubernetesLabels.MANAGED_BY;
  private static final String OURS = KubernetesLabels.MANAGED_BY_VALUE;

  private final KubernetesClient client;
  private final ApiRetrier retrier;
  private final Settings settings;

  Inventory(KubernetesClient client, ApiRetrier retrier, Settings settings) {
    this.client = client;
    this.retrier = retrier;
    this.settings = settings;
  }

  /** An owner namespace of this provisioner. */
  private record Home(String ownerId, boolean deleting) {}

  /** A Deployment of an instance: its component and what its container is limited to. */
  private record Workload(String component, int cpuMillicores, int memoryMiB) {}

  /** Everything seen of one instance; noting the same object twice changes nothing. */
  private static final class Sighting {
    final String namespace;
    boolean deleting;
    String appComponent;
    final Map<String, Workload> workloads = new HashMap<>();
    final Map<String, Long> volumeGiB = new HashMap<>();
    Long components;

    Sighting(String namespace) {
      this.namespace = namespace;
    }

    /** The app's resources, or null when its Ingress or Deployment is missing or unreadable. */
    ResourceLimits app() {
      Workload app =
          appComponent == null
              ? null
              : workloads.values().stream()
                  .filter(w -> appComponent.equals(w.component()))
                  .findFirst()
                  .orElse(null);
      if (app == null || app.cpuMillicores() <= 0 || app.memoryMiB() <= 0) {
        return null;
      }
      long storage = volumeGiB.getOrDefault(appComponent, 0L);
      return new ResourceLimits(
          app.cpuMillicores(), app.memoryMiB(), (int) Math.min(storage, Integer.MAX_VALUE));
    }
  }

  /**
   * Every instance of this provisioner of which something is left on the cluster.
   *
   * @throws ProvisioningException naming the listing that failed
   */
  List<ObservedInstance> instances() {
    long started = System.nanoTime();
    Map<String, Home> homes = new HashMap<>();
    list(
        "Namespaces",
        options -> client.namespaces().withLabel(MANAGED_BY, OURS).list(options),
        ns -> home(ns, homes));
    Map<UUID, Sighting> seen = new TreeMap<>();
    sight(
        "Deployments",
        options ->
            client.apps().deployments().inAnyNamespace().withLabel(MANAGED_BY, OURS).list(options),
        homes,
        seen,
        (d, s) -> s.workloads.put(d.getMetadata().getName(), workload(d)));
    sight(
        "Ingresses",
        options ->
            client
                .network()
                .v1()
                .ingresses()
                .inAnyNamespace()
                .withLabel(MANAGED_BY, OURS)
                .list(options),
        homes,
        seen,
        (ingress, s) -> s.appComponent = label(ingress, KubernetesLabels.COMPONENT));
    sight(
        "PersistentVolumeClaims",
        options ->
            client
                .persistentVolumeClaims()
                .inAnyNamespace()
                .withLabel(MANAGED_BY, OURS)
                .list(options),
        homes,
        seen,
        (claim, s) ->
            s.volumeGiB.put(
                label(claim, KubernetesLabels.COMPONENT), KubernetesProvisioner.gib(claim)));
    list(
        "ResourceQuotas",
        options ->
            client.resourceQuotas().inAnyNamespace().withLabel(MANAGED_BY, OURS).list(options),
        quota -> shares(quota, homes, seen));
    List<ObservedInstance> observed = new ArrayList<>();
    seen.forEach((id, s) -> observed.add(observe(id, s, homes.get(s.namespace))));
    log.debug(
        "Observed {} instance(s) in {} namespace(s) ({} ms)",
        observed.size(),
        homes.size(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return observed;
  }

  private static ObservedInstance observe(UUID id, Sighting s, Home home) {
    if (home.deleting() || s.deleting) {
      return new ObservedInstance(id, home.ownerId(), State.DELETING, null);
    }
    ResourceLimits app = s.app();
    // Every component has a Deployment: as many as its quota share counts pods, when it has one.
    boolean whole = app != null && (s.components == null || s.workloads.size() >= s.components);
    return whole
        ? new ObservedInstance(id, home.ownerId(), State.COMPLETE, app)
        : new ObservedInstance(id, home.ownerId(), State.INCOMPLETE, null);
  }

  // ---------------------------------------------------------------- facts of one object

  private void home(Namespace namespace, Map<String, Home> homes) {
    String name = namespace.getMetadata().getName();
    Map<String, String> annotations = namespace.getMetadata().getAnnotations();
    String ownerId =
        annotations == null ? null : annotations.get(KubernetesLabels.OWNER_ID_ANNOTATION);
    if (ownerId == null || !settings.namespace(ownerId).equals(name)) {
      log.debug("Namespace {} is not one of this provisioner's owner namespaces", name);
      return;
    }
    homes.put(name, new Home(ownerId, deleting(namespace)));
  }

  /** Notes what an object labelled with an instance in one of our namespaces says of it. */
  private <T extends HasMetadata> void sight(
      String kinds,
      Function<ListOptions, KubernetesResourceList<T>> page,
      Map<String, Home> homes,
      Map<UUID, Sighting> seen,
      BiConsumer<T, Sighting> note) {
    list(
        kinds,
        page,
        object -> {
          String namespace = object.getMetadata().getNamespace();
          UUID id = uuid(label(object, KubernetesLabels.INSTANCE));
          if (id == null || !homes.containsKey(namespace)) {
            return;
          }
          Sighting s = seen.computeIfAbsent(id, k -> new Sighting(namespace));
          s.deleting |= deleting(object);
          note.accept(object, s);
        });
  }

  /** Notes each instance's share recorded on a namespace's quota. */
  private static void shares(
      ResourceQuota quota, Map<String, Home> homes, Map<UUID, Sighting> seen) {
    String namespace = quota.getMetadata().getNamespace();
    Map<String, String> annotations = quota.getMetadata().getAnnotations();
    if (!ManifestRenderer.QUOTA.equals(quota.getMetadata().getName())
        || !homes.containsKey(namespace)
        || annotations == null) {
      return;
    }
    annotations.forEach(
        (key, value) -> {
          UUID id =
              key.startsWith(KubernetesLabels.QUOTA_SHARE_PREFIX)
                  ? uuid(key.substring(KubernetesLabels.QUOTA_SHARE_PREFIX.length()))
                  : null;
          if (id != null) {
            Sighting s = seen.computeIfAbsent(id, k -> new Sighting(namespace));
            // Only the pod count is read here, so scratch space needs no default.
            Footprint.decode(value, 0).ifPresent(share -> s.components = share.pods());
          }
        });
  }

  private static Workload workload(Deployment d) {
    String component = label(d, KubernetesLabels.COMPONENT);
    List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
    Container container =
        containers.stream()
            .filter(c -> c.getName().equals(component))
            .findFirst()
            .orElse(containers.isEmpty() ? null : containers.get(0));
    Map<String, Quantity> limits =
        container == null
                || container.getResources() == null
                || container.getResources().getLimits() == null
            ? Map.of()
            : container.getResources().getLimits();
    return new Workload(
        component,
        rounded(limits.get("cpu"), BigDecimal.ONE.movePointLeft(3)),
        rounded(limits.get("memory"), BigDecimal.valueOf(MIB)));
  }

  /** A quantity in whole units, rounded up; 0 when absent or not a usable figure. */
  private static int rounded(Quantity quantity, BigDecimal unit) {
    if (quantity == null) {
      return 0;
    }
    try {
      return Quantity.getAmountInBytes(quantity)
          .divide(unit, 0, RoundingMode.CEILING)
          .intValueExact();
    } catch (ArithmeticException | IllegalArgumentException e) {
      return 0;
    }
  }

  // ---------------------------------------------------------------- paging

  /**
   * Reads every page of a listing, handing each object to {@code each}. When the server has expired
   * the continue token (it keeps one for a few minutes), the listing starts over: the objects
   * handed over already are handed over again, which the callers' notes tolerate.
   */
  private <T extends HasMetadata> void list(
      String kinds, Function<ListOptions, KubernetesResourceList<T>> page, Consumer<T> each) {
    String what = "listing " + kinds + " labelled " + MANAGED_BY + "=" + OURS;
    String token = null;
    int restarts = 0;
    while (true) {
      ListOptions options =
          new ListOptionsBuilder()
              .withLimit((long) settings.listPageSize())
              .withContinue(token)
              .build();
      KubernetesResourceList<T> items;
      boolean continuing = token != null;
      try {
        items = retrier.call(what, () -> page.apply(options), e -> continuing && expired(e));
      } catch (KubernetesClientException e) {
        if (restarts++ == MAX_RESTARTS) {
          throw ProvisioningException.of(
              null,
              FailureReason.CLUSTER_ERROR,
              true,
              what + ": the server expired the continue token " + restarts + " times",
              e);
        }
        log.info("{}: the server expired the continue token; starting over", what);
        token = null;
        continue;
      }
      items.getItems().forEach(each);
      token = items.getMetadata() == null ? null : items.getMetadata().getContinue();
      if (token == null || token.isEmpty()) {
        return;
      }
    }
  }

  private static boolean expired(KubernetesClientException e) {
    return e.getCode() == 410;
  }

  // ---------------------------------------------------------------- small pieces

  private static String label(HasMetadata object, String key) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  private static boolean deleting(HasMetadata object) {
    return object.getMetadata().getDeletionTimestamp() != null;
  }

  private static UUID uuid(String text) {
    if (text == null) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
