package io.minispod.provisioner;

/**
 * An instance's health as its platform sees it.
 *
 * @param healthy whether it is up and ready
 * @param detail why not, or a short confirmation; users may read it, so it holds nothing the
 *     platform said (a provisioner gives the message of a {@link ProvisioningException#of} failure
 *     instead, whose reference leads operators to the platform's words in the log)
 */
public record InstanceHealth(boolean healthy, String detail) {

  /**
   * A healthy instance.
   *
   * @return health with detail {@code ready}
   */
  public static InstanceHealth up() {
    return new InstanceHealth(true, "ready");
  }

  /**
   * An unhealthy instance.
   *
   * @param reason why
   * @return the health
   */
  public static InstanceHealth down(String reason) {
    return new InstanceHealth(false, reason);
  }
}
