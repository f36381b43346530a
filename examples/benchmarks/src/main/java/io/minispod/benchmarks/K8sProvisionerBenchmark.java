package io.minispod.benchmarks;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.minispod.k8s.KubernetesLabels;
import io.minispod.k8s.KubernetesProvisioner;
import io.minispod.provisioner.ContainerSpec;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProbeSpec;
import io.minispod.provisioner.ResourceLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Provisions instances concurrently with {@link KubernetesProvisioner} against fabric8's mock API
 * server in CRUD mode, and prints the wall time and each instance's provisioning latency.
 *
 * <p>Half the instances are n8n (one Deployment), half Ghost with its MySQL companion (two), two
 * per owner, so owners' namespaces and quotas are shared by concurrent calls. The mock server has
 * no controllers: a watcher in this program marks each Deployment available as soon as it appears,
 * the way the deployment controller would once the pod is ready, so the figures are the
 * provisioner's own cost (some 35 to 45 API requests per instance and the shared readiness watch),
 * not a cluster's pod start-up time.
 *
 * <p>Options: {@code --instances 100} (all started at once), {@code --poll-ms 1000} (the readiness
 * poll interval).
 */
final class K8sProvisionerBenchmark {

  /** The mock server logs every request through java.util.logging; held so the level sticks. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private K8sProvisionerBenchmark() {}

  static void main(String[] args) throws Exception {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    int instances = intOption(args, "--instances", 100);
    int pollMillis = intOption(args, "--poll-ms", 1000);

    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init();
    ExecutorService callers = Executors.newFixedThreadPool(instances);
    try (KubernetesClient client =
            server.createClient(
                b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
        DeploymentController controller = new DeploymentController(client);
        KubernetesProvisioner provisioner =
            KubernetesProvisioner.builder()
                .client(client)
                .baseDomain("apps.example.com")
                .clusterIssuer("letsencrypt")
                .readinessTimeout(Duration.ofSeconds(60))
                .readinessPollInterval(Duration.ofMillis(pollMillis))
                .build()) {
      client
          .resource(
              new StorageClassBuilder()
                  .withNewMetadata()
                  .withName("standard")
                  .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true")
                  .endMetadata()
                  .withProvisioner("rancher.io/local-path")
                  .withAllowVolumeExpansion(true)
                  .build())
          .createOr(NonDeletingOperation::update);

      // Warm-up: one instance, so class loading and the first connections are not measured.
      InstanceSpec warmup = n8n("warmup");
      provisioner.provision(warmup);
      provisioner.deprovision(warmup.ref());

      List<InstanceSpec> specs = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        String owner = "owner-" + (i / 2);
        specs.add(i % 2 == 0 ? n8n(owner) : ghost(owner));
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Long>> latencies = new ArrayList<>();
      for (InstanceSpec spec : specs) {
        latencies.add(
            callers.submit(
                () -> {
                  start.await();
                  long began = System.nanoTime();
                  provisioner.provision(spec);
                  return System.nanoTime() - began;
                }));
      }
      long began = System.nanoTime();
      start.countDown();
      long[] nanos = new long[instances];
      int failed = 0;
      for (int i = 0; i < instances; i++) {
        try {
          nanos[i] = latencies.get(i).get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
          failed++;
          nanos[i] = Long.MAX_VALUE;
          System.err.println("instance " + specs.get(i).instanceId() + " failed: " + e.getCause());
        }
      }
      long wall = System.nanoTime() - began;

      int deployments =
          client
              .apps()
              .deployments()
              .inAnyNamespace()
              .withLabel(KubernetesLabels.MANAGED_BY, KubernetesLabels.MANAGED_BY_VALUE)
              .list()
              .getItems()
              .size();
      int namespaces =
          client
              .namespaces()
              .withLabel(KubernetesLabels.MANAGED_BY, KubernetesLabels.MANAGED_BY_VALUE)
              .list()
              .getItems()
              .size();
      Arrays.sort(nanos);
      System.out.printf(
          "k8s-provisioner: %d instances (%d n8n, %d Ghost + MySQL) for %d owners provisioned"
              + " concurrently against the fabric8 mock API server (CRUD mode), %d cores%n",
          instances,
          (instances + 1) / 2,
          instances / 2,
          (instances + 1) / 2,
          Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "succeeded %d, failed %d; %d namespaces and %d Deployments written%n",
          instances - failed, failed, namespaces, deployments);
      System.out.printf("wall time            %8.0f ms%n", wall / 1e6);
      System.out.printf("per instance  p50    %8.0f ms%n", percentile(nanos, 50) / 1e6);
      System.out.printf("per instance  p99    %8.0f ms%n", percentile(nanos, 99) / 1e6);
      System.out.printf("per instance  max    %8.0f ms%n", nanos[nanos.length - 1 - failed] / 1e6);
    } finally {
      callers.shutdownNow();
      server.destroy();
    }
  }

  /** Nearest-rank percentile of sorted values. */
  private static double percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static int intOption(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  private static InstanceSpec n8n(String owner) {
    UUID id = UUID.randomUUID();
    ContainerSpec app =
        new ContainerSpec(
            "app",
            "n8nio/n8n:2.10.2",
            5678,
            Map.of("N8N_HOST", "{{host}}", "N8N_PROTOCOL", "https", "WEBHOOK_URL", "{{url}}/"),
            Map.of("N8N_ENCRYPTION_KEY", "n8n-encryption-key"),
            "/home/node/.n8n",
            ProbeSpec.http("/healthz/readiness", Duration.ofSeconds(10)),
            ProbeSpec.http("/healthz", Duration.ofSeconds(30)),
            1000L,
            1000L,
            new ResourceLimits(500, 512, 5));
    return new InstanceSpec(
        id,
        owner,
        "n8n-" + id.toString().substring(0, 8),
        "n8n",
        "basic",
        app,
        List.of(),
        Set.of("n8n-encryption-key"));
  }

  private static InstanceSpec ghost(String owner) {
    UUID id = UUID.randomUUID();
    ContainerSpec app =
        new ContainerSpec(
            "app",
            "ghost:6.3.0-alpine",
            2368,
            Map.of(
                "url", "{{url}}",
                "database__client", "mysql",
                "database__connection__host", "{{companion:mysql}}",
                "database__connection__user", "ghost",
                "database__connection__database", "ghost"),
            Map.of("database__connection__password", "mysql-password"),
            "/var/lib/ghost/content",
            ProbeSpec.http("/ghost/api/admin/site/", Duration.ofSeconds(20)),
            null,
            1000L,
            1000L,
            new ResourceLimits(500, 512, 5));
    ContainerSpec mysql =
        new ContainerSpec(
            "mysql",
            "mysql:8.4.3",
            3306,
            Map.of("MYSQL_DATABASE", "ghost", "MYSQL_USER", "ghost"),
            Map.of(
                "MYSQL_PASSWORD", "mysql-password", "MYSQL_ROOT_PASSWORD", "mysql-root-password"),
            "/var/lib/mysql",
            null,
            null,
            999L,
            999L,
            new ResourceLimits(250, 512, 2));
    return new InstanceSpec(
        id,
        owner,
        "ghost-" + id.toString().substring(0, 8),
        "ghost",
        "basic",
        app,
        List.of(mysql),
        Set.of("mysql-password", "mysql-root-password"));
  }

  /**
   * Stands in for the deployment controller and the kubelet, which the mock server does not have:
   * marks every Deployment available for its current generation.
   */
  private static final class DeploymentController implements AutoCloseable {

    private final KubernetesClient client;
    private final ExecutorService worker = Executors.newFixedThreadPool(2);
    private final SharedIndexInformer<Deployment> informer;

    DeploymentController(KubernetesClient client) {
      this.client = client;
      this.informer =
          client
              .apps()
              .deployments()
              .inAnyNamespace()
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Deployment d) {
                      worker.execute(() -> markAvailable(d));
                    }

                    @Override
                    public void onUpdate(Deployment old, Deployment d) {
                      worker.execute(() -> markAvailable(d));
                    }

                    @Override
                    public void onDelete(Deployment d, boolean unknown) {}
                  },
                  0);
    }

    private void markAvailable(Deployment d) {
      Long generation = d.getMetadata().getGeneration();
      if (d.getStatus() != null
          && d.getStatus().getObservedGeneration() != null
          && d.getStatus().getObservedGeneration().equals(generation)) {
        return;
      }
      Deployment available =
          new DeploymentBuilder(d)
              .withNewStatus()
              .withObservedGeneration(generation)
              .withReplicas(1)
              .withUpdatedReplicas(1)
              .withReadyReplicas(1)
              .withAvailableReplicas(1)
              .endStatus()
              .build();
      try {
        client
            .resource(available)
            .lockResourceVersion(d.getMetadata().getResourceVersion())
            .updateStatus();
      } catch (KubernetesClientException e) {
        // A newer version exists; its own event brings it back here.
      }
    }

    @Override
    public void close() {
      informer.close();
      worker.shutdownNow();
    }
  }
}
