package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.ProvisioningException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class ApiRetrierTest {

  private static final UUID ID = UUID.fromString("11111111-2222-3333-4444-555555555555");

  private final List<Duration> pauses = new ArrayList<>();
  private final ApiRetrier retrier =
      new ApiRetrier(5, Duration.ofMillis(100), Duration.ofMillis(300), pauses::add);

  @Test
  void call_transientFailuresThenSuccess_retriesWithGrowingCappedBackoff() {
    AtomicInteger calls = new AtomicInteger();

    String result =
        retrier.call(
            ID,
            "reading x",
            () -> {
              if (calls.incrementAndGet() < 5) {
                throw http(calls.get() % 2 == 0 ? 409 : 503, "busy");
              }
              return "done";
            });

    assertThat(result).isEqualTo("done");
    assertThat(calls).hasValue(5);
    // Jittered within [half, full] of 100, 200, 300, 300 ms.
    assertThat(pauses).hasSize(4);
    assertThat(pauses.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(pauses.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(pauses.get(2)).isBetween(Duration.ofMillis(150), Duration.ofMillis(300));
    assertThat(pauses.get(3)).isBetween(Duration.ofMillis(150), Duration.ofMillis(300));
  }

  @Test
  void call_transientFailuresOutlastAttempts_failRetryableNamingTheCall() {
    KubernetesClientException last = http(500, "etcd leader changed");

    assertThatThrownBy(
            () ->
                retrier.call(
                    ID,
                    "writing Deployment ns/x",
                    () -> {
                      throw last;
                    }))
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.getCause()).isSameAs(last);
              assertThat(e.reason()).isEqualTo(FailureReason.CLUSTER_ERROR);
              assertThat(e.details()).containsEntry("instanceId", ID.toString());
              assertThat(e.platformDetail())
                  .contains(
                      "writing Deployment ns/x failed after 5 attempts: HTTP 500: etcd leader"
                          + " changed");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Instance "
                          + ID
                          + ": the platform is unavailable at the moment; try again later"
                          + " (reference "
                          + e.reference().orElseThrow()
                          + ")");
            });
    assertThat(pauses).hasSize(4);
  }

  @Test
  void call_clientError_isRefusedAtOnce() {
    assertThatThrownBy(
            () ->
                retrier.call(
                    ID,
                    "writing Ingress ns/x",
                    () -> {
                      throw http(422, "spec.rules[0].host: Invalid value");
                    }))
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.reason()).isEqualTo(FailureReason.CONFIGURATION);
              assertThat(e.platformDetail().orElseThrow())
                  .contains("writing Ingress ns/x was refused: HTTP 422: spec.rules[0].host");
            })
        .hasMessageNotContaining("spec.rules");
    assertThat(pauses).isEmpty();
  }

  @Test
  void call_namespaceTerminatingOrGone_failsAtOnceButRetryable() {
    KubernetesClientException terminating =
        new KubernetesClientException(
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage(
                    "deployments.apps \"x\" is forbidden: unable to create new content in namespace"
                        + " minispod-1 because it is being terminated")
                .build());
    KubernetesClientException gone =
        new KubernetesClientException(
            new StatusBuilder()
                .withCode(404)
                .withMessage("namespaces \"minispod-1\" not found")
                .withNewDetails()
                .withKind("namespaces")
                .withName("minispod-1")
                .endDetails()
                .build());

    for (KubernetesClientException refusal : new KubernetesClientException[] {terminating, gone}) {
      assertThatThrownBy(
              () ->
                  retrier.call(
                      ID,
                      "writing Deployment minispod-1/x",
                      () -> {
                        throw refusal;
                      }))
          .isInstanceOfSatisfying(
              ProvisioningException.class,
              e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.reason()).isEqualTo(FailureReason.BUSY);
                assertThat(e.platformDetail().orElseThrow()).contains("was refused");
              });
    }
    assertThat(pauses).isEmpty();
    assertThat(ApiRetrier.isNamespaceGone(http(404, "deployments.apps \"x\" not found"))).isFalse();
    assertThat(ApiRetrier.isNamespaceGone(http(403, "forbidden by RBAC"))).isFalse();
    assertThat(ApiRetrier.isNamespaceGone(new IllegalStateException())).isFalse();
  }

  @Test
  void call_provisioningExceptionInside_passesThrough() {
    ProvisioningException inner =
        ProvisioningException.of(ID, FailureReason.OTHER, false, "inner", null);

    assertThatThrownBy(
            () ->
                retrier.run(
                    ID,
                    "x",
                    () -> {
                      throw inner;
                    }))
        .isSameAs(inner);
  }

  @Test
  void call_interruptedWhileBackingOff_failsRetryableAndKeepsTheFlag() {
    ApiRetrier interrupted =
        new ApiRetrier(
            3,
            Duration.ofMillis(10),
            Duration.ofMillis(10),
            d -> {
              throw new InterruptedException("stop");
            });

    try {
      assertThatThrownBy(
              () ->
                  interrupted.call(
                      ID,
                      "reading y",
                      () -> {
                        throw new ApiRetrier.TransientException(
                            "Secret ns/y is still being deleted");
                      }))
          .isInstanceOfSatisfying(
              ProvisioningException.class,
              e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.reason()).isEqualTo(FailureReason.INTERRUPTED);
                assertThat(e.platformDetail().orElseThrow())
                    .contains(
                        "reading y was interrupted while retrying: Secret ns/y is still being"
                            + " deleted");
              });
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void call_clientInterruptedMidRequest_failsAtOnceRetryableAndKeepsTheFlag() {
    AtomicInteger calls = new AtomicInteger();
    // What fabric8 throws when the thread is interrupted while it waits for an answer: a client
    // error without an HTTP code, which alone would count as transient.
    KubernetesClientException interruptedRequest =
        new KubernetesClientException(
            "An error has occurred.",
            new InterruptedIOException().initCause(new InterruptedException()));

    try {
      assertThatThrownBy(
              () ->
                  retrier.call(
                      ID,
                      "watching Deployment ns/app",
                      () -> {
                        calls.incrementAndGet();
                        throw interruptedRequest;
                      }))
          .isInstanceOfSatisfying(
              ProvisioningException.class,
              e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.reason()).isEqualTo(FailureReason.INTERRUPTED);
                assertThat(e.platformDetail())
                    .contains("watching Deployment ns/app was interrupted");
              })
          .hasCause(interruptedRequest);
      assertThat(calls).as("not retried").hasValue(1);
      assertThat(pauses).isEmpty();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void call_requestsKeepTimingOut_failRetryableAsTimeoutAndKeepNoInterruptFlag() {
    KubernetesClientException timedOut =
        new KubernetesClientException("timeout", new SocketTimeoutException("read timed out"));

    assertThatThrownBy(
            () ->
                retrier.call(
                    ID,
                    "reading z",
                    () -> {
                      throw timedOut;
                    }))
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT);
            });
    assertThat(pauses).as("retried like any transient error").hasSize(4);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void call_errorTheCallerHandles_passesThroughAtOnceAsItIs() {
    KubernetesClientException notInstalled = http(404, "the server could not find the resource");
    KubernetesClientException unavailable = http(503, "service unavailable");

    for (KubernetesClientException absent : List.of(notInstalled, unavailable)) {
      assertThatThrownBy(
              () ->
                  retrier.call(
                      ID,
                      "reading pod metrics",
                      () -> {
                        throw absent;
                      },
                      e -> e.getCode() == 404 || e.getCode() == 503))
          .isSameAs(absent);
    }
    assertThat(pauses).isEmpty();
    assertThatThrownBy(
            () ->
                retrier.call(
                    "listing Deployments",
                    () -> {
                      throw http(410, "continue token expired");
                    },
                    e -> false))
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.instanceId()).isEmpty();
              assertThat(e.reason()).isEqualTo(FailureReason.REFUSED);
            });
  }

  @Test
  void refusal_categorisesWhatTheServerSaid() {
    assertThat(ApiRetrier.refusal(http(403, "deployments.apps is forbidden: User x")))
        .isEqualTo(FailureReason.REFUSED);
    assertThat(
            ApiRetrier.refusal(
                http(403, "persistentvolumeclaims is forbidden: exceeded quota: minispod-quota")))
        .isEqualTo(FailureReason.QUOTA);
    assertThat(ApiRetrier.refusal(http(422, "Invalid value")))
        .isEqualTo(FailureReason.CONFIGURATION);
    assertThat(ApiRetrier.refusal(http(400, "bad request"))).isEqualTo(FailureReason.CONFIGURATION);
    assertThat(ApiRetrier.refusal(http(404, "not found"))).isEqualTo(FailureReason.REFUSED);
    assertThat(ApiRetrier.refusal(new KubernetesClientException("no code")))
        .isEqualTo(FailureReason.CLUSTER_ERROR);
    assertThat(ApiRetrier.refusal(new IllegalStateException("client closed")))
        .isEqualTo(FailureReason.CLUSTER_ERROR);
  }

  @Test
  void exhaustion_categorisesTheLastTransientError() {
    assertThat(ApiRetrier.exhaustion(http(409, "conflict"))).isEqualTo(FailureReason.BUSY);
    assertThat(ApiRetrier.exhaustion(new ApiRetrier.TransientException("still being deleted")))
        .isEqualTo(FailureReason.BUSY);
    assertThat(
            ApiRetrier.exhaustion(
                new KubernetesClientException(
                    "x", new java.util.concurrent.TimeoutException("no answer"))))
        .isEqualTo(FailureReason.TIMEOUT);
    assertThat(ApiRetrier.exhaustion(http(429, "slow down")))
        .isEqualTo(FailureReason.CLUSTER_ERROR);
    assertThat(ApiRetrier.exhaustion(http(500, "boom"))).isEqualTo(FailureReason.CLUSTER_ERROR);
  }

  @Test
  void isTransient_classifiesServerAnswers() {
    assertThat(ApiRetrier.isTransient(http(500, "x"))).isTrue();
    assertThat(ApiRetrier.isTransient(http(503, "x"))).isTrue();
    assertThat(ApiRetrier.isTransient(http(409, "x"))).isTrue();
    assertThat(ApiRetrier.isTransient(http(429, "x"))).isTrue();
    assertThat(ApiRetrier.isTransient(new KubernetesClientException("timeout", new IOException())))
        .isTrue();
    assertThat(ApiRetrier.isTransient(http(403, "x"))).isFalse();
    assertThat(ApiRetrier.isTransient(http(404, "x"))).isFalse();
    assertThat(ApiRetrier.isTransient(new IllegalStateException("closed"))).isFalse();
  }

  @Test
  void describe_usesTheStatusMessageOrTheRootCause() {
    assertThat(ApiRetrier.describe(http(500, "boom"))).isEqualTo("HTTP 500: boom");
    assertThat(
            ApiRetrier.describe(
                new KubernetesClientException("wrapper", new IOException("connection reset"))))
        .isEqualTo("connection reset");
    assertThat(ApiRetrier.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
  }

  private static KubernetesClientException http(int code, String message) {
    return new KubernetesClientException(
        new StatusBuilder().withCode(code).withMessage(message).build());
  }
}
