package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.minispod.provisioner.FailureReason;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ReadinessWaiterTest {

  @Test
  void isAvailable_rolledOut_isTrue() {
    assertThat(ReadinessWaiter.isAvailable(deployment(2L, 2L, 1, 1, 1))).isTrue();
    assertThat(ReadinessWaiter.isAvailable(deployment(null, null, 1, 1, null))).isTrue();
  }

  @Test
  void isAvailable_notYetRolledOut_isFalse() {
    assertThat(ReadinessWaiter.isAvailable(null)).isFalse();
    assertThat(ReadinessWaiter.isAvailable(new Deployment())).isFalse();
    // The controller has not seen the new spec yet.
    assertThat(ReadinessWaiter.isAvailable(deployment(3L, 2L, 1, 1, 1))).isFalse();
    assertThat(ReadinessWaiter.isAvailable(deployment(3L, null, 1, 1, 1))).isFalse();
    // The old pod still serves, the new one is not up.
    assertThat(ReadinessWaiter.isAvailable(deployment(2L, 2L, 0, 1, 1))).isFalse();
    assertThat(ReadinessWaiter.isAvailable(deployment(2L, 2L, 1, 0, 1))).isFalse();
    // Recreate has not removed the old pod yet.
    assertThat(ReadinessWaiter.isAvailable(deployment(2L, 2L, 1, 1, 2))).isFalse();
  }

  @Test
  void fromPods_rateLimitedPull_isConclusiveButRetryable() {
    Diagnosis d =
        ReadinessWaiter.fromPods(
                List.of(
                    waiting(
                        "ErrImagePull", "toomanyrequests: You have reached your pull rate limit")))
            .orElseThrow();

    assertThat(d.conclusive()).isTrue();
    assertThat(d.retryable()).isTrue();
    assertThat(d.reason()).isEqualTo(FailureReason.IMAGE_PULL);
    assertThat(d.detail()).contains("image pull failed for container app (ghost:6.3.0-alpine)");
  }

  @Test
  void fromPods_missingConfig_isConclusiveAndFinal() {
    Diagnosis d =
        ReadinessWaiter.fromPods(
                List.of(waiting("CreateContainerConfigError", "secret \"x\" not found")))
            .orElseThrow();

    assertThat(d.conclusive()).isTrue();
    assertThat(d.retryable()).isFalse();
    assertThat(d.reason()).isEqualTo(FailureReason.CONFIGURATION);
    assertThat(d.detail())
        .isEqualTo(
            "container app cannot be created: CreateContainerConfigError: secret \"x\" not found");
  }

  @Test
  void fromPods_startingOrNoStatus_explainsNothing() {
    assertThat(
            ReadinessWaiter.fromPods(
                List.of(new PodBuilder().withNewMetadata().withName("p").endMetadata().build())))
        .isEmpty();
    assertThat(ReadinessWaiter.fromPods(List.of(waiting(null, null)))).isEmpty();
    assertThat(ReadinessWaiter.fromPods(List.of(waiting("ContainerCreating", null)))).isEmpty();
  }

  @Test
  void fromMessage_eachKindOfWarning_hasItsCategory() {
    assertThat(ReadinessWaiter.fromMessage("rs", "FailedCreate", "exceeded quota: minispod-quota"))
        .extracting(Diagnosis::reason, Diagnosis::retryable)
        .containsExactly(FailureReason.QUOTA, false);
    assertThat(ReadinessWaiter.fromMessage("pod", "FailedScheduling", "0/3 nodes are available"))
        .extracting(Diagnosis::reason, Diagnosis::retryable)
        .containsExactly(FailureReason.UNSCHEDULABLE, true);
    assertThat(
            ReadinessWaiter.fromMessage("rs", "FailedCreate", "pods is forbidden: PodSecurity")
                .reason())
        .isEqualTo(FailureReason.REFUSED);
    assertThat(
            ReadinessWaiter.fromMessage("d", "ProgressDeadlineExceeded", "timed out progressing")
                .reason())
        .isEqualTo(FailureReason.TIMEOUT);
    assertThat(ReadinessWaiter.fromMessage("pod", "FailedMount", null))
        .extracting(Diagnosis::detail, Diagnosis::reason)
        .containsExactly("pod: FailedMount: ", FailureReason.TIMEOUT);
  }

  private static Pod waiting(String reason, String message) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("ghost-app-5d9c7b8f4-x7k2p")
        .endMetadata()
        .withNewStatus()
        .addNewContainerStatus()
        .withName("app")
        .withImage("ghost:6.3.0-alpine")
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  private static Deployment deployment(
      Long generation, Long observed, Integer updated, Integer available, Integer replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("d")
        .withGeneration(generation)
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(observed)
        .withUpdatedReplicas(updated)
        .withAvailableReplicas(available)
        .withReplicas(replicas)
        .endStatus()
        .build();
  }
}
