package io.minispod.provisioner;

import java.time.Instant;
import java.util.Objects;

/**
 * A backup of an instance's data, as its provisioner keeps it: on Kubernetes, a VolumeSnapshot of
 * each of the instance's volumes, taken together.
 *
 * @param id the backup's id, unique among the instance's backups (a DNS label: lower-case letters,
 *     digits and dashes)
 * @param takenAt when it was taken
 * @param reason why it was taken
 */
public record InstanceBackup(String id, Instant takenAt, Reason reason) {

  /** Why a backup was taken. */
  public enum Reason {
    /** Before an upgrade changed the instance's resources (its volumes grow). */
    BEFORE_UPGRADE,
    /** On the plan's schedule. */
    SCHEDULED
  }

  /** Checks that every part is given. */
  public InstanceBackup {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(takenAt, "takenAt");
    Objects.requireNonNull(reason, "reason");
  }
}
