package io.minispod.subscription;

import io.minispod.FieldErrors;

/**
 * What one user may hold at once, summed over their live subscriptions: instances, and the CPU,
 * memory and storage those instances take (each plan's resources plus its template's companions',
 * as the cluster pools count them). A figure of {@link #UNLIMITED} sets no limit: no quota pool is
 * kept for it, so it costs nothing when subscribing.
 *
 * @param instances live instances, at least 0, or {@link #UNLIMITED}
 * @param cpuMillicores CPU in thousandths of a core, at least 0, or {@link #UNLIMITED}
 * @param memoryMiB memory in MiB, at least 0, or {@link #UNLIMITED}
 * @param storageGiB persistent storage in GiB, at least 0, or {@link #UNLIMITED}
 */
public record UserLimit(long instances, long cpuMillicores, long memoryMiB, long storageGiB) {

  /** A figure that sets no limit. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  private static final UserLimit NONE = new UserLimit(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED);

  /**
   * Validates the figures. A figure of 0 lets the user hold none of it, so a host can keep a user
   * from subscribing at all.
   *
   * @throws io.minispod.ValidationException naming every negative figure
   */
  public UserLimit {
    FieldErrors errors = new FieldErrors();
    errors.require(instances >= 0, "instances", "must be at least 0, was " + instances);
    errors.require(cpuMillicores >= 0, "cpuMillicores", "must be at least 0, was " + cpuMillicores);
    errors.require(memoryMiB >= 0, "memoryMiB", "must be at least 0, was " + memoryMiB);
    errors.require(storageGiB >= 0, "storageGiB", "must be at least 0, was " + storageGiB);
    errors.throwIfAny();
  }

  /**
   * No limit on anything.
   *
   * @return a limit whose every figure is {@link #UNLIMITED}
   */
  public static UserLimit unlimited() {
    return NONE;
  }

  /**
   * Whether a figure sets a limit.
   *
   * @param figure one of this record's figures
   * @return false for {@link #UNLIMITED}
   */
  public static boolean isLimited(long figure) {
    return figure != UNLIMITED;
  }

  /**
   * This limit with another instance count.
   *
   * @param instances live instances, at least 0, or {@link #UNLIMITED}
   * @return the changed limit
   */
  public UserLimit withInstances(long instances) {
    return new UserLimit(instances, cpuMillicores, memoryMiB, storageGiB);
  }

  /**
   * This limit with another CPU figure.
   *
   * @param cpuMillicores millicores, at least 0, or {@link #UNLIMITED}
   * @return the changed limit
   */
  public UserLimit withCpuMillicores(long cpuMillicores) {
    return new UserLimit(instances, cpuMillicores, memoryMiB, storageGiB);
  }

  /**
   * This limit with another memory figure.
   *
   * @param memoryMiB MiB, at least 0, or {@link #UNLIMITED}
   * @return the changed limit
   */
  public UserLimit withMemoryMiB(long memoryMiB) {
    return new UserLimit(instances, cpuMillicores, memoryMiB, storageGiB);
  }

  /**
   * This limit with another storage figure.
   *
   * @param storageGiB GiB, at least 0, or {@link #UNLIMITED}
   * @return the changed limit
   */
  public UserLimit withStorageGiB(long storageGiB) {
    return new UserLimit(instances, cpuMillicores, memoryMiB, storageGiB);
  }
}
