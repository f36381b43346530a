package io.minispod.provisioner;

import io.minispod.FieldErrors;

/**
 * Resources granted to a container or an instance: requests and limits are set to these.
 *
 * @param cpuMillicores CPU in thousandths of a core, positive
 * @param memoryMiB memory in MiB, positive
 * @param storageGiB persistent storage in GiB, at least 0 (0 means no volume)
 */
public record ResourceLimits(int cpuMillicores, int memoryMiB, int storageGiB) {

  /**
   * Validates the figures.
   *
   * @throws io.minispod.ValidationException naming every bad figure
   */
  public ResourceLimits {
    FieldErrors errors = new FieldErrors();
    errors.require(cpuMillicores > 0, "cpuMillicores", "must be positive, was " + cpuMillicores);
    errors.require(memoryMiB > 0, "memoryMiB", "must be positive, was " + memoryMiB);
    errors.require(storageGiB >= 0, "storageGiB", "must be at least 0, was " + storageGiB);
    errors.throwIfAny();
  }

  /**
   * The sum of two sets of resources.
   *
   * @param other the resources to add
   * @return the sum
   */
  public ResourceLimits plus(ResourceLimits other) {
    return new ResourceLimits(
        cpuMillicores + other.cpuMillicores,
        memoryMiB + other.memoryMiB,
        storageGiB + other.storageGiB);
  }
}
