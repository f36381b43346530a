package io.minispod.catalog.template;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A readiness or liveness check of a container, in the terms of a Kubernetes probe: an HTTP GET, a
 * TCP connection or a command, with its timing.
 *
 * <pre>{@code
 * Probe.http("/healthz/readiness", 5678).withTiming(10, 10, 5, 30)
 * }</pre>
 *
 * @param kind what kind of check
 * @param path the HTTP path, for {@link Kind#HTTP}; {@code null} otherwise
 * @param port the port to check, for {@link Kind#HTTP} and {@link Kind#TCP}; 0 for {@link
 *     Kind#EXEC}
 * @param command the command and its arguments, for {@link Kind#EXEC}; empty otherwise
 * @param httpHeaders headers sent with an HTTP check (such as {@code X-Forwarded-Proto}), sorted by
 *     name; empty when none
 * @param initialDelaySeconds how long after start the first check waits
 * @param periodSeconds the pause between checks
 * @param timeoutSeconds how long one check may take
 * @param failureThreshold how many failures in a row count as failed
 */
public record Probe(
    Kind kind,
    String path,
    int port,
    List<String> command,
    Map<String, String> httpHeaders,
    int initialDelaySeconds,
    int periodSeconds,
    int timeoutSeconds,
    int failureThreshold) {

  /** Kubernetes' defaults for a probe's period, timeout and failure threshold. */
  private static final int DEFAULT_PERIOD = 10;

  private static final int DEFAULT_TIMEOUT = 1;
  private static final int DEFAULT_FAILURES = 3;

  /** How a probe checks a container. */
  public enum Kind {
    /** An HTTP GET that must answer 200 to 399. */
    HTTP,
    /** A TCP connection that must be accepted. */
    TCP,
    /** A command that must exit with 0. */
    EXEC
  }

  /** Copies the lists and maps so the probe is immutable; {@code null} collections become empty. */
  public Probe {
    command = command == null ? List.of() : List.copyOf(command);
    httpHeaders =
        httpHeaders == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(httpHeaders));
  }

  /**
   * An HTTP GET check with Kubernetes' default timing.
   *
   * @param path the path, starting with {@code /}
   * @param port the container port
   * @return the probe
   */
  public static Probe http(String path, int port) {
    return new Probe(
        Kind.HTTP,
        path,
        port,
        List.of(),
        Map.of(),
        0,
        DEFAULT_PERIOD,
        DEFAULT_TIMEOUT,
        DEFAULT_FAILURES);
  }

  /**
   * A TCP connection check with Kubernetes' default timing.
   *
   * @param port the container port
   * @return the probe
   */
  public static Probe tcp(int port) {
    return new Probe(
        Kind.TCP,
        null,
        port,
        List.of(),
        Map.of(),
        0,
        DEFAULT_PERIOD,
        DEFAULT_TIMEOUT,
        DEFAULT_FAILURES);
  }

  /**
   * A command check with Kubernetes' default timing.
   *
   * @param command the command and its arguments
   * @return the probe
   */
  public static Probe exec(String... command) {
    return new Probe(
        Kind.EXEC,
        null,
        0,
        List.of(command),
        Map.of(),
        0,
        DEFAULT_PERIOD,
        DEFAULT_TIMEOUT,
        DEFAULT_FAILURES);
  }

  /**
   * This probe with other timing.
   *
   * @param initialDelaySeconds how long after start the first check waits
   * @param periodSeconds the pause between checks
   * @param timeoutSeconds how long one check may take
   * @param failureThreshold how many failures in a row count as failed
   * @return a new probe
   */
  public Probe withTiming(
      int initialDelaySeconds, int periodSeconds, int timeoutSeconds, int failureThreshold) {
    return new Probe(
        kind,
        path,
        port,
        command,
        httpHeaders,
        initialDelaySeconds,
        periodSeconds,
        timeoutSeconds,
        failureThreshold);
  }

  /**
   * This probe with one more HTTP header.
   *
   * @param name the header name
   * @param value its value
   * @return a new probe
   */
  public Probe withHeader(String name, String value) {
    Map<String, String> headers = new TreeMap<>(httpHeaders);
    headers.put(name, value);
    return new Probe(
        kind,
        path,
        port,
        command,
        headers,
        initialDelaySeconds,
        periodSeconds,
        timeoutSeconds,
        failureThreshold);
  }
}
