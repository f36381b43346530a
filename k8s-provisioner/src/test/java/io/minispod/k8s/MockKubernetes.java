package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;

/**
 * fabric8's mock API server in CRUD mode (with expectations taking precedence, for injected errors,
 * and list calls with a limit served page by page by a {@link PagingDispatcher}), a client without
 * fabric8's own retries, and a {@link FakeCluster} that makes Deployments available.
 */
final class MockKubernetes implements AutoCloseable {

  static final String BASE_DOMAIN = "apps.test";

  /** The mock server logs every request through java.util.logging; held so the level sticks. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");

  final KubernetesMockServer server;
  final KubernetesClient client;
  final FakeCluster cluster;
  final PagingDispatcher paging;

  private MockKubernetes() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    paging = new PagingDispatcher(new KubernetesMixedDispatcher(responses));
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, paging, false);
    server.init();
    client = newClient();
    cluster = new FakeCluster(client);
  }

  /** Another client, as another node (or a restarted one) would have. */
  KubernetesClient newClient() {
    return server.createClient(
        b ->
            b.editOrNewConfig()
                .withRequestRetryBackoffLimit(0)
                // Generous: the mock server stalls its event loop for a while when a client with an
                // open watch is closed, as the crash tests do; a real timeout is tested elsewhere.
                .withRequestTimeout(30_000)
                .endConfig());
  }

  static MockKubernetes start() {
    return new MockKubernetes();
  }

  private final List<KubernetesProvisioner> opened =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Builds a provisioner that is closed (its watch stopped) with the mock server. */
  KubernetesProvisioner open(KubernetesProvisionerBuilder builder) {
    KubernetesProvisioner provisioner = builder.build();
    opened.add(provisioner);
    return provisioner;
  }

  /** A provisioner for tests: short readiness waits, fast retries, a fixed clock. */
  KubernetesProvisionerBuilder provisioner() {
    return KubernetesProvisioner.builder()
        .client(client)
        .baseDomain(BASE_DOMAIN)
        .clusterIssuer("letsencrypt")
        .readinessTimeout(Duration.ofSeconds(5))
        .readinessPollInterval(Duration.ofMillis(100))
        .retries(3, Duration.ofMillis(1), Duration.ofMillis(4))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** Adds a StorageClass, the cluster default when {@code isDefault}. */
  void storageClass(String name, boolean expandable, boolean isDefault) {
    client
        .resource(
            new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder()
                .withNewMetadata()
                .withName(name)
                .addToAnnotations(
                    "storageclass.kubernetes.io/is-default-class", Boolean.toString(isDefault))
                .endMetadata()
                .withProvisioner("rancher.io/local-path")
                .withAllowVolumeExpansion(expandable)
                .build())
        .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
  }

  /** Kind/name to resource version of every object in a namespace that we write. */
  Map<String, String> versions(String ns) {
    Map<String, String> versions = new TreeMap<>();
    List<Class<? extends HasMetadata>> kinds = new ArrayList<>(InstanceKinds.ALL);
    kinds.add(ResourceQuota.class);
    kinds.add(LimitRange.class);
    for (Class<? extends HasMetadata> kind : kinds) {
      client
          .resources(kind)
          .inNamespace(ns)
          .list()
          .getItems()
          .forEach(
              o ->
                  versions.put(
                      o.getKind() + "/" + o.getMetadata().getName(),
                      o.getMetadata().getResourceVersion()));
    }
    Namespace namespace = client.namespaces().withName(ns).get();
    versions.put("Namespace/" + ns, namespace.getMetadata().getResourceVersion());
    return versions;
  }

  /** Every object in any namespace that carries the instance's label. */
  List<HasMetadata> labelled(UUID instanceId) {
    List<HasMetadata> found = new ArrayList<>();
    for (Class<? extends HasMetadata> kind : InstanceKinds.ALL) {
      found.addAll(
          client
              .resources(kind)
              .inAnyNamespace()
              .withLabel(KubernetesLabels.INSTANCE, instanceId.toString())
              .list()
              .getItems());
    }
    return found;
  }

  @Override
  public void close() {
    opened.forEach(KubernetesProvisioner::close);
    cluster.close();
    client.close();
    try {
      server.destroy();
    } catch (RuntimeException slowShutdown) {
      // The server's event loop can take longer to stop than its own shutdown timeout on a busy
      // machine; the test has finished by then, and the next test starts a server of its own.
      MOCK_SERVER_LOG.warning("The mock API server did not stop in time: " + slowShutdown);
    }
  }
}
