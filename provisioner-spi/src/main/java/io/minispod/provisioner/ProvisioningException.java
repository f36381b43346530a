package io.minispod.provisioner;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;
import java.util.UUID;

/** A provisioner could not do what was asked; the reason is read from the platform. */
public final class ProvisioningException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  /**
   * Creates the error.
   *
   * @param instanceId the instance concerned
   * @param reason what the platform reported, e.g. {@code image pull failed: …}; never a secret
   * @param retryable whether trying again later may succeed (a timeout, a 5xx, a conflict)
   * @param cause the underlying failure, or {@code null}
   */
  public ProvisioningException(UUID instanceId, String reason, boolean retryable, Throwable cause) {
    super(
        ErrorCode.PROVISIONING_FAILED,
        "Instance " + instanceId + ": " + reason,
        Map.of("instanceId", instanceId.toString(), "reason", reason),
        cause);
    this.retryable = retryable;
  }

  /**
   * Creates the error of a call that concerns no single instance, such as {@link
   * Provisioner#instances()}.
   *
   * @param reason what the platform reported, e.g. {@code listing Deployments failed: …}; never a
   *     secret
   * @param retryable whether trying again later may succeed (a timeout, a 5xx)
   * @param cause the underlying failure, or {@code null}
   */
  public ProvisioningException(String reason, boolean retryable, Throwable cause) {
    super(ErrorCode.PROVISIONING_FAILED, reason, Map.of("reason", reason), cause);
    this.retryable = retryable;
  }

  /**
   * Whether trying again later may succeed.
   *
   * @return {@code true} for transient failures
   */
  public boolean retryable() {
    return retryable;
  }
}
