package io.minispod.provisioner;

import io.minispod.FieldErrors;
import java.util.UUID;

/**
 * One instance as its platform has it now, listed by {@link Provisioner#instances()} for a
 * reconciler that compares the platform with the instances that should run.
 *
 * @param instanceId the instance's id
 * @param ownerId the user it belongs to, as the platform records it
 * @param state whether it is whole, partly there, or being torn down
 * @param resources when {@link State#COMPLETE}, what its app runs with: the CPU and memory limits
 *     of the app's container and the size of the app's persistent volume (0 when it has none);
 *     {@code null} in any other state
 */
public record ObservedInstance(
    UUID instanceId, String ownerId, State state, ResourceLimits resources) {

  /** How much of an instance is on the platform. */
  public enum State {
    /**
     * Its app runs (whether healthy or not is {@link Provisioner#health}'s question), nothing of it
     * is being deleted, and {@link ObservedInstance#resources()} says with what.
     */
    COMPLETE,
    /**
     * Some of its objects remain but it cannot run as provisioned: its app's workload (or another
     * of its components) is missing, as after a deletion by hand or a provisioning that stopped
     * half-way. {@link Provisioner#provision} makes it whole again, {@link Provisioner#deprovision}
     * removes what is left.
     */
    INCOMPLETE,
    /**
     * It, or part of it, is being torn down (its objects or its namespace are marked for deletion
     * and will be gone shortly). Deprovisioning it again is harmless; provisioning it again waits
     * until the deletion has finished, then creates it anew.
     */
    DELETING
  }

  /**
   * Validates the fields.
   *
   * @throws io.minispod.ValidationException naming every bad field
   */
  public ObservedInstance {
    FieldErrors errors = new FieldErrors();
    errors.require(instanceId != null, "instanceId", "must be given");
    errors.require(ownerId != null && !ownerId.isBlank(), "ownerId", "must not be blank");
    errors.require(state != null, "state", "must be given");
    errors.require(
        state == null || (state == State.COMPLETE) == (resources != null),
        "resources",
        "must be given exactly when the state is COMPLETE, was "
            + resources
            + " for state "
            + state);
    errors.throwIfAny();
  }

  /**
   * The reference by which the provisioner finds the instance again, such as to deprovision it.
   *
   * @return its id and owner
   */
  public InstanceRef ref() {
    return new InstanceRef(instanceId, ownerId);
  }

  /**
   * Whether the app runs with other resources than {@code planned} gives it, which {@link
   * Provisioner#resize} corrects: its CPU or memory differ, or its volume is smaller than planned.
   * A larger volume is no drift (volumes never shrink, so a resize cannot undo it), and neither is
   * storage when the planned app has no volume (no {@link ContainerSpec#volumePath()}, or 0 GiB).
   * Only the app is compared: its resources are the plan's, a companion's are its template's.
   *
   * @param planned what the instance should run with
   * @return whether resizing to {@code planned} would change the instance
   * @throws IllegalArgumentException when {@code planned} is another instance
   * @throws IllegalStateException when the instance is not {@link State#COMPLETE}, so its resources
   *     are not known
   */
  public boolean driftedFrom(InstanceSpec planned) {
    if (!planned.instanceId().equals(instanceId)) {
      throw new IllegalArgumentException(
          "the plan is for instance " + planned.instanceId() + ", not " + instanceId);
    }
    if (state != State.COMPLETE) {
      throw new IllegalStateException(
          "instance " + instanceId + " is " + state + ", so its resources are not known");
    }
    ResourceLimits plan = planned.app().resources();
    boolean hasVolume = planned.app().volumePath() != null && plan.storageGiB() > 0;
    return resources.cpuMillicores() != plan.cpuMillicores()
        || resources.memoryMiB() != plan.memoryMiB()
        || (hasVolume && resources.storageGiB() < plan.storageGiB());
  }
}
