package io.minispod.provisioner;

import java.util.UUID;

/**
 * One call an {@link InMemoryProvisioner} received, in the order received.
 *
 * @param operation which method
 * @param instanceId for which instance; {@code null} for {@link Provisioner#instances()}
 * @param succeeded whether it returned normally
 */
public record ProvisionerCall(Operation operation, UUID instanceId, boolean succeeded) {

  /** The {@link Provisioner} methods. */
  public enum Operation {
    /** {@link Provisioner#provision}. */
    PROVISION,
    /** {@link Provisioner#resize}. */
    RESIZE,
    /** {@link Provisioner#deprovision}. */
    DEPROVISION,
    /** {@link Provisioner#health}. */
    HEALTH,
    /** {@link Provisioner#usage}. */
    USAGE,
    /** {@link Provisioner#instances}. */
    INSTANCES,
    /** {@link Provisioner#stop}. */
    STOP,
    /** {@link Provisioner#start}. */
    START,
    /** {@link Provisioner#backUp}. */
    BACK_UP,
    /** {@link Provisioner#backups}. */
    BACKUPS
  }
}
