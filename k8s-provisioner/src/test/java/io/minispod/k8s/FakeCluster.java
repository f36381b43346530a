package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the deployment controller and the kubelet for the mock server, which has neither: it
 * watches Deployments and, per instance, marks them available (the default), leaves them pending,
 * or creates pods and events that tell why they cannot run.
 */
final class FakeCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FakeCluster.class);

  /** What the cluster does with a Deployment that is not yet available. */
  @FunctionalInterface
  interface Behaviour {
    void react(KubernetesClient client, Deployment deployment);
  }

  static final Behaviour READY = FakeCluster::markAvailable;
  static final Behaviour HOLD = (client, deployment) -> {};

  private final KubernetesClient client;
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fake-cluster");
            t.setDaemon(true);
            return t;
          });
  private final SharedIndexInformer<Deployment> informer;

  FakeCluster(KubernetesClient client) {
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
                    react(d);
                  }

                  @Override
                  public void onUpdate(Deployment old, Deployment d) {
                    react(d);
                  }

                  @Override
                  public void onDelete(Deployment d, boolean unknown) {}
                },
                0);
  }

  /** Sets what happens to an instance's Deployments from now on, and applies it to current ones. */
  void behave(UUID instanceId, Behaviour behaviour) {
    behaviours.put(instanceId.toString(), behaviour);
    informer.getStore().list().stream()
        .filter(d -> instanceId.toString().equals(labels(d).get(KubernetesLabels.INSTANCE)))
        .forEach(this::react);
  }

  /** Pods whose container waits with this reason, as the kubelet reports image pulls. */
  static Behaviour waiting(String reason, String message) {
    return (client, d) ->
        createPod(
            client,
            d,
            new PodBuilder()
                .withNewStatus()
                .withPhase("Pending")
                .addNewContainerStatus()
                .withName(container(d))
                .withImage(image(d))
                .withReady(false)
                .withRestartCount(0)
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus());
  }

  /** Pods in a crash loop that last exited with this code. */
  static Behaviour crashLoop(int exitCode) {
    return (client, d) ->
        createPod(
            client,
            d,
            new PodBuilder()
                .withNewStatus()
                .withPhase("Running")
                .addNewContainerStatus()
                .withName(container(d))
                .withImage(image(d))
                .withReady(false)
                .withRestartCount(4)
                .withNewState()
                .withNewWaiting()
                .withReason("CrashLoopBackOff")
                .withMessage("back-off 40s restarting failed container")
                .endWaiting()
                .endState()
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason("Error")
                .endTerminated()
                .endLastState()
                .endContainerStatus()
                .endStatus());
  }

  /** Pods the scheduler cannot place. */
  static Behaviour unschedulable(String message) {
    return (client, d) ->
        createPod(
            client,
            d,
            new PodBuilder()
                .withNewStatus()
                .withPhase("Pending")
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage(message)
                .endCondition()
                .endStatus());
  }

  /** No pod at all: the ReplicaSet's pod creation is refused, as a ResourceQuota refuses it. */
  static Behaviour quotaRefusal() {
    return (client, d) -> {
      String replicaSet = d.getMetadata().getName() + "-5d9c7b8f4";
      client
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(replicaSet + ".quota")
                  .withNamespace(d.getMetadata().getNamespace())
                  .endMetadata()
                  .withType("Warning")
                  .withReason("FailedCreate")
                  .withMessage(
                      "Error creating: pods \""
                          + replicaSet
                          + "-x7k2p\" is forbidden: exceeded quota: minispod-quota, requested:"
                          + " limits.cpu=500m, used: limits.cpu=0, limited: limits.cpu=100m")
                  .withLastTimestamp(Instant.now().toString())
                  .withNewInvolvedObject()
                  .withKind("ReplicaSet")
                  .withName(replicaSet)
                  .withNamespace(d.getMetadata().getNamespace())
                  .endInvolvedObject()
                  .build())
          .createOr(NonDeletingOperation::update);
    };
  }

  /**
   * Warning events about the Deployment's ReplicaSet, each {@code reason: message} dated {@code
   * secondsAgo} before now (event times as the API server writes them).
   */
  static Behaviour warnings(Object... reasonMessageSecondsAgo) {
    return (client, d) -> {
      for (int i = 0; i < reasonMessageSecondsAgo.length; i += 3) {
        String reason = (String) reasonMessageSecondsAgo[i];
        String message = (String) reasonMessageSecondsAgo[i + 1];
        Instant when = Instant.now().minusSeconds((Integer) reasonMessageSecondsAgo[i + 2]);
        String replicaSet = d.getMetadata().getName() + "-5d9c7b8f4";
        EventBuilder event =
            new EventBuilder()
                .withNewMetadata()
                .withName(replicaSet + "." + i)
                .withNamespace(d.getMetadata().getNamespace())
                .endMetadata()
                .withType("Warning")
                .withReason(reason)
                .withMessage(message)
                .withNewInvolvedObject()
                .withKind("ReplicaSet")
                .withName(replicaSet)
                .endInvolvedObject();
        // Newer events carry only an eventTime; older ones lastTimestamp.
        if (i == 0) {
          event.withLastTimestamp(when.toString());
        } else {
          event.withNewEventTime(when.toString());
        }
        client.resource(event.build()).createOr(NonDeletingOperation::update);
      }
    };
  }

  /** The controller gave up: the Deployment's Progressing condition says the deadline passed. */
  static Behaviour progressDeadlineExceeded() {
    return (client, stale) -> {
      Deployment d =
          client
              .apps()
              .deployments()
              .inNamespace(stale.getMetadata().getNamespace())
              .withName(stale.getMetadata().getName())
              .get();
      if (d.getStatus() != null && !d.getStatus().getConditions().isEmpty()) {
        return;
      }
      Deployment stuck =
          new DeploymentBuilder(d)
              .withNewStatus()
              .withObservedGeneration(d.getMetadata().getGeneration())
              .withReplicas(1)
              .withUnavailableReplicas(1)
              .addNewCondition()
              .withType("Progressing")
              .withStatus("False")
              .withReason("ProgressDeadlineExceeded")
              .withMessage(
                  "ReplicaSet \""
                      + d.getMetadata().getName()
                      + "-5d9c7b8f4\" has timed out progressing.")
              .endCondition()
              .endStatus()
              .build();
      client.resource(stuck).updateStatus();
    };
  }

  private void react(Deployment d) {
    if (ReadinessWaiter.isAvailable(d)) {
      return;
    }
    Behaviour behaviour = behaviours.getOrDefault(labels(d).get(KubernetesLabels.INSTANCE), READY);
    worker.execute(
        () -> {
          try {
            behaviour.react(client, d);
          } catch (RuntimeException e) {
            log.warn(
                "Fake cluster could not react to {}: {}", d.getMetadata().getName(), e.toString());
          }
        });
  }

  private static void markAvailable(KubernetesClient client, Deployment stale) {
    Deployment d =
        client
            .apps()
            .deployments()
            .inNamespace(stale.getMetadata().getNamespace())
            .withName(stale.getMetadata().getName())
            .get();
    if (d == null || ReadinessWaiter.isAvailable(d)) {
      return;
    }
    Deployment available =
        new DeploymentBuilder(d)
            .withNewStatus()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(1)
            .withUpdatedReplicas(1)
            .withReadyReplicas(1)
            .withAvailableReplicas(1)
            .addNewCondition()
            .withType("Available")
            .withStatus("True")
            .withReason("MinimumReplicasAvailable")
            .endCondition()
            .endStatus()
            .build();
    try {
      client
          .resource(available)
          .lockResourceVersion(d.getMetadata().getResourceVersion())
          .updateStatus();
    } catch (KubernetesClientException e) {
      // A newer version exists: its own event brings it back here.
      log.debug("Fake cluster lost a race on {}: {}", d.getMetadata().getName(), e.getCode());
    }
  }

  private static void createPod(KubernetesClient client, Deployment d, PodBuilder pod) {
    Pod built =
        pod.withNewMetadata()
            .withName(d.getMetadata().getName() + "-5d9c7b8f4-x7k2p")
            .withNamespace(d.getMetadata().getNamespace())
            .withLabels(d.getSpec().getTemplate().getMetadata().getLabels())
            .endMetadata()
            .build();
    client.resource(built).createOr(NonDeletingOperation::update);
  }

  private static String container(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
  }

  private static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static Map<String, String> labels(Deployment d) {
    Map<String, String> labels = d.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  @Override
  public void close() {
    informer.close();
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
