package io.minispod.subscription.internal;

import io.minispod.catalog.Plan;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.provisioner.InstanceBackup;
import io.minispod.provisioner.InstanceBackup.Reason;
import io.minispod.subscription.InstanceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Scheduled backups: a running instance whose plan has backups is backed up when its newest backup
 * is as old as the plan's interval (or it has none). The {@link InstanceReconciler} asks once per
 * round for each live instance it claimed, so with any number of nodes one node asks per instance
 * and round.
 *
 * <p>The key of a scheduled backup names the backup it follows ({@code scheduled-after:<id>}): a
 * node that took the backup but crashed before recording it, and whoever asks next, ask for the
 * same backup and the provisioner takes it once.
 */
final class BackupSchedule {

  private final DSLContext dsl;
  private final InstanceBackups backups;
  private final Clock clock;

  BackupSchedule(DSLContext dsl, InstanceBackups backups, Clock clock) {
    this.dsl = dsl;
    this.backups = backups;
    this.clock = clock;
  }

  /**
   * Backs the instance up if it runs, its plan has backups and the newest is due for a successor.
   *
   * @param plan the plan the subscription is on
   * @return whether a backup was taken (not when it is not due, not running, its plan has none, or
   *     the platform has no data of it)
   * @throws io.minispod.provisioner.ProvisioningException when the platform cannot take it; the
   *     next round asks again
   */
  boolean backUpIfDue(SubscriptionRecord s, InstanceRecord instance, Plan plan) {
    Optional<Duration> every = backups.interval(plan);
    if (instance.getStatus() != InstanceStatus.RUNNING || every.isEmpty()) {
      return false;
    }
    Optional<InstanceBackup> newest = InstanceBackups.newest(dsl, instance.getInstanceId());
    Instant now = clock.instant();
    if (newest.isPresent() && newest.get().takenAt().plus(every.get()).isAfter(now)) {
      return false;
    }
    String key = "scheduled-after:" + newest.map(InstanceBackup::id).orElse("none");
    return backups.take(s, instance, key, Reason.SCHEDULED).isPresent();
  }
}
