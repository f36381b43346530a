package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.ProvisioningException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, by watching, until an instance's Deployments are available, and otherwise explains why
 * not: image pulls, crash loops, unschedulable pods, quota refusals, each a {@link FailureReason}
 * for users and the cluster's own words for operators.
 */
final class ReadinessWaiter {

  private static final Logger log = LoggerFactory.getLogger(ReadinessWaiter.class);

  private static final Set<String> IMAGE_PULL =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
  private static final Set<String> CONFIG =
      Set.of("CreateContainerConfigError", "CreateContainerError");

  private final KubernetesClient client;
  private final ApiRetrier retrier;
  private final DeploymentWatch watch;
  private final Duration timeout;
  private final Duration pollInterval;

  ReadinessWaiter(
      KubernetesClient client,
      ApiRetrier retrier,
      DeploymentWatch watch,
      Duration timeout,
      Duration pollInterval) {
    this.client = client;
    this.retrier = retrier;
    this.watch = watch;
    this.timeout = timeout;
    this.pollInterval = pollInterval;
  }

  /**
   * Whether a Deployment has rolled out its current spec: observed, updated and available, with no
   * old pod left.
   */
  static boolean isAvailable(Deployment d) {
    if (d == null || d.getStatus() == null || d.getSpec() == null) {
      return false;
    }
    DeploymentStatus status = d.getStatus();
    Long generation = d.getMetadata().getGeneration();
    if (generation != null
        && (status.getObservedGeneration() == null
            || status.getObservedGeneration() < generation)) {
      return false;
    }
    int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    return orZero(status.getUpdatedReplicas()) >= wanted
        && orZero(status.getAvailableReplicas()) >= wanted
        && (status.getReplicas() == null || status.getReplicas() <= wanted);
  }

  /**
   * Waits for the Deployments in order (companions before the app) within one overall timeout, in
   * slices of the poll interval; between slices it reads pod status and fails at once when the
   * reason is conclusive.
   *
   * @param generations the generation of each Deployment as written, which must be rolled out
   * @throws ProvisioningException naming the reason when the timeout passes or waiting cannot help
   */
  void await(
      UUID instanceId, String namespace, List<String> deployments, Map<String, Long> generations) {
    long slices = Math.max(1, ceilDiv(timeout.toMillis(), pollInterval.toMillis()));
    long used = 0;
    for (String name : deployments) {
      long generation = generations.getOrDefault(name, 0L);
      while (!waitSlice(instanceId, namespace, name, generation)) {
        used++;
        Optional<Diagnosis> diagnosis = diagnose(instanceId, namespace, deployments);
        if (diagnosis.isPresent() && diagnosis.get().conclusive()) {
          Diagnosis why = diagnosis.get();
          throw ProvisioningException.of(
              instanceId, why.reason(), why.retryable(), "not ready: " + why.detail(), null);
        }
        if (used >= slices) {
          Diagnosis why =
              diagnosis.orElse(
                  new Diagnosis(
                      "Deployment "
                          + name
                          + " is not available and no pod status or event says why",
                      FailureReason.TIMEOUT,
                      true,
                      false));
          throw ProvisioningException.of(
              instanceId,
              why.reason(),
              why.retryable(),
              "not ready after " + timeout + ": " + why.detail(),
              null);
        }
        log.debug("Instance {}: Deployment {}/{} not yet available", instanceId, namespace, name);
      }
    }
  }

  private boolean waitSlice(UUID instanceId, String namespace, String name, long generation) {
    String what = "watching Deployment " + namespace + "/" + name;
    return retrier.call(
        instanceId,
        what,
        () -> {
          try {
            return watch.awaitAvailable(namespace, name, generation, pollInterval);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiRetrier.interrupted(instanceId, what, e);
          }
        });
  }

  /**
   * Explains why an instance is not ready, from the most telling evidence: a container that cannot
   * start, a pod that cannot be scheduled, a crash loop, a Deployment that cannot create pods, the
   * latest warning event about the instance's objects.
   *
   * @return the reason, or empty when nothing says why
   */
  Optional<Diagnosis> diagnose(UUID instanceId, String namespace, List<String> deployments) {
    String selector = KubernetesLabels.INSTANCE + "=" + instanceId;
    List<Pod> pods =
        retrier.call(
            instanceId,
            "listing pods of " + namespace,
            () ->
                client
                    .pods()
                    .inNamespace(namespace)
                    .withLabel(KubernetesLabels.INSTANCE, instanceId.toString())
                    .list()
                    .getItems());
    List<Pod> sorted = new ArrayList<>(pods);
    sorted.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    Optional<Diagnosis> fromPods = fromPods(sorted);
    if (fromPods.isPresent()) {
      return fromPods;
    }
    List<Deployment> ours =
        retrier.call(
            instanceId,
            "listing Deployments of " + namespace,
            () ->
                client
                    .apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withLabel(KubernetesLabels.INSTANCE, instanceId.toString())
                    .list()
                    .getItems());
    for (Deployment d : ours) {
      if (d.getStatus() == null) {
        continue;
      }
      for (DeploymentCondition c : d.getStatus().getConditions()) {
        if (("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
            || ("Progressing".equals(c.getType())
                && "False".equals(c.getStatus())
                && "ProgressDeadlineExceeded".equals(c.getReason()))) {
          return Optional.of(fromMessage(d.getMetadata().getName(), c.getReason(), c.getMessage()));
        }
      }
    }
    log.debug("Instance {}: no pod explains readiness ({}), reading events", instanceId, selector);
    return fromEvents(instanceId, namespace, deployments);
  }

  static Optional<Diagnosis> fromPods(List<Pod> pods) {
    Diagnosis unschedulable = null;
    Diagnosis crashing = null;
    for (Pod pod : pods) {
      if (pod.getStatus() == null) {
        continue;
      }
      List<ContainerStatus> statuses = new ArrayList<>(pod.getStatus().getInitContainerStatuses());
      statuses.addAll(pod.getStatus().getContainerStatuses());
      for (ContainerStatus cs : statuses) {
        ContainerStateWaiting waiting = cs.getState() == null ? null : cs.getState().getWaiting();
        if (waiting == null || waiting.getReason() == null) {
          continue;
        }
        String reason = waiting.getReason();
        String message = waiting.getMessage() == null ? "" : ": " + waiting.getMessage();
        if (IMAGE_PULL.contains(reason)) {
          String lower = message.toLowerCase(Locale.ROOT);
          boolean rateLimited = lower.contains("toomanyrequests") || lower.contains("rate limit");
          return Optional.of(
              new Diagnosis(
                  "image pull failed for container "
                      + cs.getName()
                      + " ("
                      + cs.getImage()
                      + "): "
                      + reason
                      + message,
                  FailureReason.IMAGE_PULL,
                  rateLimited,
                  true));
        }
        if (CONFIG.contains(reason)) {
          return Optional.of(
              new Diagnosis(
                  "container " + cs.getName() + " cannot be created: " + reason + message,
                  FailureReason.CONFIGURATION,
                  false,
                  true));
        }
        if ("CrashLoopBackOff".equals(reason) && crashing == null) {
          crashing = new Diagnosis(crashLoop(cs), FailureReason.CRASH_LOOP, false, false);
        }
      }
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("PodScheduled".equals(c.getType())
            && "False".equals(c.getStatus())
            && unschedulable == null) {
          unschedulable =
              new Diagnosis(
                  "pod "
                      + pod.getMetadata().getName()
                      + " is unschedulable: "
                      + (c.getMessage() == null ? c.getReason() : c.getMessage()),
                  FailureReason.UNSCHEDULABLE,
                  true,
                  false);
        }
      }
    }
    return Optional.ofNullable(unschedulable != null ? unschedulable : crashing);
  }

  private static String crashLoop(ContainerStatus cs) {
    StringBuilder text =
        new StringBuilder("container ")
            .append(cs.getName())
            .append(" is in a crash loop (")
            .append(orZero(cs.getRestartCount()))
            .append(" restarts");
    ContainerStateTerminated last =
        cs.getLastState() == null ? null : cs.getLastState().getTerminated();
    if (last != null) {
      text.append(", last exit code ").append(last.getExitCode());
      if (last.getReason() != null) {
        text.append(" ").append(last.getReason());
      }
    }
    return text.append(")").toString();
  }

  private Optional<Diagnosis> fromEvents(UUID instanceId, String namespace, List<String> names) {
    List<Event> events =
        retrier.call(
            instanceId,
            "listing events of " + namespace,
            () -> client.v1().events().inNamespace(namespace).list().getItems());
    return events.stream()
        .filter(e -> "Warning".equals(e.getType()))
        .filter(
            e ->
                e.getInvolvedObject() != null
                    && e.getInvolvedObject().getName() != null
                    && names.stream().anyMatch(n -> e.getInvolvedObject().getName().startsWith(n)))
        .max(Comparator.comparing(ReadinessWaiter::when))
        .map(e -> fromMessage(e.getInvolvedObject().getName(), e.getReason(), e.getMessage()));
  }

  /**
   * A Deployment condition or a warning event: a quota refusal, an unschedulable pod, a Deployment
   * past its progress deadline, a ReplicaSet refused its pods (admission, such as Pod Security), or
   * another warning, which explains a wait that ran out of time.
   */
  static Diagnosis fromMessage(String object, String reason, String message) {
    String text = message == null ? "" : message;
    if (text.contains("exceeded quota")) {
      return new Diagnosis(
          "quota exceeded for " + object + ": " + text, FailureReason.QUOTA, false, false);
    }
    if ("FailedScheduling".equals(reason)) {
      return new Diagnosis(
          object + " is unschedulable: " + text, FailureReason.UNSCHEDULABLE, true, false);
    }
    String detail = object + ": " + reason + ": " + text;
    if ("FailedCreate".equals(reason)) {
      return new Diagnosis(detail, FailureReason.REFUSED, false, false);
    }
    return new Diagnosis(detail, FailureReason.TIMEOUT, false, false);
  }

  private static Instant when(Event e) {
    for (String time :
        new String[] {
          e.getLastTimestamp(),
          e.getEventTime() == null ? null : e.getEventTime().getTime(),
          e.getFirstTimestamp(),
          e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp()
        }) {
      if (time != null) {
        try {
          return Instant.parse(time);
        } catch (DateTimeParseException ignored) {
          // try the next field
        }
      }
    }
    return Instant.EPOCH;
  }

  private static int orZero(Integer n) {
    return n == null ? 0 : n;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
