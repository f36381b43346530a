package io.minispod.provisioner;

import io.minispod.FieldErrors;
import java.time.Duration;

/**
 * An HTTP GET health probe of a container.
 *
 * @param path the request path, starting with {@code /}
 * @param initialDelay how long after start the first probe runs
 * @param period the pause between probes
 * @param failureThreshold how many failures in a row count as down
 */
public record ProbeSpec(String path, Duration initialDelay, Duration period, int failureThreshold) {

  /**
   * Validates the probe.
   *
   * @throws io.minispod.ValidationException naming every bad field
   */
  public ProbeSpec {
    FieldErrors errors = new FieldErrors();
    errors.require(path != null && path.startsWith("/"), "path", "must start with /, was " + path);
    errors.require(
        initialDelay != null && !initialDelay.isNegative(), "initialDelay", "must be at least 0");
    errors.require(
        period != null && !period.isNegative() && !period.isZero(), "period", "must be positive");
    errors.require(failureThreshold > 0, "failureThreshold", "must be positive");
    errors.throwIfAny();
  }

  /**
   * A probe of {@code path} every 10 seconds after an initial delay, down after 3 failures.
   *
   * @param path the request path
   * @param initialDelay how long after start the first probe runs
   * @return the probe
   */
  public static ProbeSpec http(String path, Duration initialDelay) {
    return new ProbeSpec(path, initialDelay, Duration.ofSeconds(10), 3);
  }
}
