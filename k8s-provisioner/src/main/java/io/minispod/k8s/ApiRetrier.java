package io.minispod.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.ProvisioningException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one API call, retrying what may pass on a second try (5xx, 409 conflicts, 429, timeouts and
 * broken connections) with exponential backoff and jitter, and turns every failure into a {@link
 * ProvisioningException} of the category a user may see ({@link #refusal}, {@link #exhaustion}),
 * whose platform detail names the call and the server's answer.
 */
final class ApiRetrier {

  private static final Logger log = LoggerFactory.getLogger(ApiRetrier.class);

  private static final Predicate<KubernetesClientException> NOTHING = e -> false;

  /** Pauses between attempts; tests replace it to run without waiting. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** A condition worth another attempt that is not an HTTP error, such as a terminating object. */
  static final class TransientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TransientException(String message) {
      super(message);
    }
  }

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Sleeper sleeper;

  ApiRetrier(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.sleeper = sleeper;
  }

  int maxAttempts() {
    return maxAttempts;
  }

  Duration initialBackoff() {
    return initialBackoff;
  }

  Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * Runs {@code call} until it succeeds, fails for good, or the attempts are used up.
   *
   * @param instanceId the instance the call is for, to name in errors
   * @param what the call, such as {@code writing Deployment ns/name}
   * @throws ProvisioningException retryable when the attempts ran out on transient errors, not
   *     retryable when the server refused
   */
  <T> T call(UUID instanceId, String what, Supplier<T> call) {
    return attempt(instanceId, what, call, NOTHING);
  }

  /**
   * Runs {@code call} as {@link #call(UUID, String, Supplier)} does, except that an API error the
   * caller handles itself ({@code passThrough}, such as a 404 from a metrics API that is not
   * installed) is thrown as it is, at once: no failure is made of it, so none is logged.
   */
  <T> T call(
      UUID instanceId,
      String what,
      Supplier<T> call,
      Predicate<KubernetesClientException> passThrough) {
    return attempt(instanceId, what, call, passThrough);
  }

  /**
   * Runs a call that concerns no single instance (such as listing every instance), as {@link
   * #call(UUID, String, Supplier, Predicate)} does; its errors name no instance.
   */
  <T> T call(String what, Supplier<T> call, Predicate<KubernetesClientException> passThrough) {
    return attempt(null, what, call, passThrough);
  }

  private <T> T attempt(
      UUID instanceId,
      String what,
      Supplier<T> call,
      Predicate<KubernetesClientException> passThrough) {
    Duration backoff = initialBackoff;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (ProvisioningException e) {
        throw e;
      } catch (RuntimeException e) {
        if (e instanceof KubernetesClientException k && passThrough.test(k)) {
          throw k;
        }
        if (isInterruption(e)) {
          // fabric8 reports an interrupted wait as a client error without an HTTP code, which
          // would otherwise look transient: the caller asked to stop, so stop now.
          Thread.currentThread().interrupt();
          throw interrupted(instanceId, what, e);
        }
        if (!isTransient(e)) {
          // Refused for good, unless the namespace is going away: a later attempt recreates it.
          throw ProvisioningException.of(
              instanceId, refusal(e), isNamespaceGone(e), what + " was refused: " + describe(e), e);
        }
        if (attempt >= maxAttempts) {
          throw ProvisioningException.of(
              instanceId,
              exhaustion(e),
              true,
              what + " failed after " + attempt + " attempts: " + describe(e),
              e);
        }
        Duration pause = jittered(backoff);
        log.warn(
            "{}: {} failed (attempt {} of {}), retrying in {} ms: {}",
            instanceId == null ? "Provisioner" : "Instance " + instanceId,
            what,
            attempt,
            maxAttempts,
            pause.toMillis(),
            describe(e));
        pause(instanceId, what, pause, e);
        backoff = backoff.multipliedBy(2);
        if (backoff.compareTo(maxBackoff) > 0) {
          backoff = maxBackoff;
        }
      }
    }
  }

  /** Runs a call that returns nothing. */
  void run(UUID instanceId, String what, Runnable call) {
    call(
        instanceId,
        what,
        () -> {
          call.run();
          return null;
        });
  }

  /** The failure of a call whose thread was interrupted: retryable, as nothing was refused. */
  static ProvisioningException interrupted(UUID instanceId, String what, Exception cause) {
    return ProvisioningException.of(
        instanceId, FailureReason.INTERRUPTED, true, what + " was interrupted", cause);
  }

  /**
   * What a user is told of a refusal: a namespace being deleted is {@link FailureReason#BUSY}, a
   * quota refusal {@link FailureReason#QUOTA}, an object the server finds invalid (400, 422) {@link
   * FailureReason#CONFIGURATION}, any other answer of the server (401, 403, 404, …) {@link
   * FailureReason#REFUSED}, and a failure of the client itself {@link FailureReason#CLUSTER_ERROR}.
   */
  static FailureReason refusal(Throwable e) {
    if (!(e instanceof KubernetesClientException k)) {
      return FailureReason.CLUSTER_ERROR;
    }
    if (isNamespaceGone(e)) {
      return FailureReason.BUSY;
    }
    if (k.getCode() == 403
        && statusMessage(k).toLowerCase(Locale.ROOT).contains("exceeded quota")) {
      return FailureReason.QUOTA;
    }
    if (k.getCode() == 400 || k.getCode() == 422) {
      return FailureReason.CONFIGURATION;
    }
    return k.getCode() > 0 ? FailureReason.REFUSED : FailureReason.CLUSTER_ERROR;
  }

  /**
   * What a user is told when transient errors outlasted the attempts: conflicts and objects still
   * being deleted are {@link FailureReason#BUSY}, requests that timed out {@link
   * FailureReason#TIMEOUT}, the rest (5xx, 429, broken connections) {@link
   * FailureReason#CLUSTER_ERROR}.
   */
  static FailureReason exhaustion(Throwable e) {
    if (e instanceof TransientException
        || (e instanceof KubernetesClientException k && k.getCode() == 409)) {
      return FailureReason.BUSY;
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SocketTimeoutException
          || t instanceof TimeoutException
          || t instanceof KubernetesClientTimeoutException) {
        return FailureReason.TIMEOUT;
      }
    }
    return FailureReason.CLUSTER_ERROR;
  }

  /** Whether {@code e} is, or was caused by, an interruption of the calling thread. */
  static boolean isInterruption(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
        // A SocketTimeoutException is an InterruptedIOException too, but no interruption.
        return !(t instanceof SocketTimeoutException);
      }
    }
    return false;
  }

  static boolean isTransient(Throwable e) {
    if (e instanceof TransientException) {
      return true;
    }
    if (e instanceof KubernetesClientException k) {
      int code = k.getCode();
      // No HTTP code: the request timed out or the connection broke.
      return code <= 0 || code >= 500 || code == 409 || code == 429;
    }
    return false;
  }

  /**
   * Whether the server refused because the namespace is terminating (403) or already gone (404):
   * not worth retrying at once, but provisioning again later waits for it and recreates it.
   */
  static boolean isNamespaceGone(Throwable e) {
    if (!(e instanceof KubernetesClientException k) || k.getStatus() == null) {
      return false;
    }
    String message = statusMessage(k);
    boolean namespaceNotFound =
        k.getStatus().getDetails() != null
            && "namespaces".equals(k.getStatus().getDetails().getKind());
    return (k.getCode() == 403 && message.contains("because it is being terminated"))
        || (k.getCode() == 404 && namespaceNotFound);
  }

  /** The server's answer without the request URL: {@code HTTP 500: etcd timeout}. */
  static String describe(Throwable e) {
    if (e instanceof KubernetesClientException k) {
      String message =
          k.getStatus() != null && k.getStatus().getMessage() != null
              ? k.getStatus().getMessage()
              : rootMessage(k);
      return k.getCode() > 0 ? "HTTP " + k.getCode() + ": " + message : message;
    }
    return rootMessage(e);
  }

  private static String statusMessage(KubernetesClientException k) {
    return k.getStatus() == null || k.getStatus().getMessage() == null
        ? ""
        : k.getStatus().getMessage();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  private Duration jittered(Duration backoff) {
    long millis = backoff.toMillis();
    if (millis <= 1) {
      return backoff;
    }
    long half = millis / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  private void pause(UUID instanceId, String what, Duration pause, RuntimeException last) {
    try {
      sleeper.sleep(pause);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      ProvisioningException e =
          ProvisioningException.of(
              instanceId,
              FailureReason.INTERRUPTED,
              true,
              what + " was interrupted while retrying: " + describe(last),
              last);
      e.addSuppressed(interrupted);
      throw e;
    }
  }
}
