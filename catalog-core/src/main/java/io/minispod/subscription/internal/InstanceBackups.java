package io.minispod.subscription.internal;

import static io.minispod.catalog.internal.Columns.at;
import static io.minispod.catalog.internal.db.Tables.INSTANCE_BACKUP;

import io.minispod.catalog.Plan;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.provisioner.InstanceBackup;
import io.minispod.provisioner.InstanceBackup.Reason;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.Provisioner;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.EnumConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #FEATURE} plan feature: which plans have backups and how often, taking a backup
 * through the provisioner, and the instance's backups as last listed ({@code instance_backup}).
 *
 * <p>A plan has backups when its {@code features.backups} is {@code true} (taken every configured
 * interval) or names a schedule: {@code hourly}, {@code daily}, {@code weekly} or {@code monthly}
 * (30 days), in any case. Anything else ({@code false}, no entry, another word) means none. Where
 * the provisioner takes no backups ({@link Provisioner#supportsBackups()}) no plan has any.
 *
 * <p>Each backup is asked for with a key that names it ({@link Provisioner#backUp} is idempotent by
 * key): the same key after a crash or a retried step finds the backup already taken instead of
 * taking a second one. After each backup the provisioner's list (the oldest beyond the number kept
 * pruned) replaces the instance's rows, in a transaction of its own: the backup exists on the
 * platform whatever happens to the workflow step that took it.
 */
final class InstanceBackups {

  private static final Logger log = LoggerFactory.getLogger(InstanceBackups.class);

  /** The plan feature: {@code features.backups}. */
  static final String FEATURE = "backups";

  /** How often a plan whose feature is {@code true} is backed up, unless configured. */
  static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);

  /** How many backups of an instance are kept, unless configured. */
  static final int DEFAULT_KEPT = 7;

  /** The schedules a plan's feature may name. */
  private static final Map<String, Duration> SCHEDULES =
      Map.of(
          "hourly", Duration.ofHours(1),
          "daily", Duration.ofDays(1),
          "weekly", Duration.ofDays(7),
          "monthly", Duration.ofDays(30));

  /** The reason column holds the enum's name; jOOQ converts, as the generated enum columns do. */
  private static final EnumConverter<String, Reason> REASON =
      new EnumConverter<>(String.class, Reason.class);

  private final DSLContext dsl;
  private final Provisioner provisioner;
  private final Duration interval;
  private final int kept;

  /**
   * @param interval how often a plan whose feature is {@code true} is backed up
   * @param kept how many backups of each instance are kept, at least 1
   */
  InstanceBackups(DSLContext dsl, Provisioner provisioner, Duration interval, int kept) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("backup interval must be positive, was " + interval);
    }
    if (kept < 1) {
      throw new IllegalArgumentException("backups kept must be at least 1, was " + kept);
    }
    this.dsl = dsl;
    this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
    this.interval = interval;
    this.kept = kept;
  }

  /** With the default interval and number kept. */
  static InstanceBackups withDefaults(DSLContext dsl, Provisioner provisioner) {
    return new InstanceBackups(dsl, provisioner, DEFAULT_INTERVAL, DEFAULT_KEPT);
  }

  /**
   * How often instances of the plan are backed up.
   *
   * @return the interval; empty when the plan has no backups, or the provisioner takes none
   */
  Optional<Duration> interval(Plan plan) {
    return provisioner.supportsBackups() ? schedule(plan, interval) : Optional.empty();
  }

  /**
   * How often the plan's feature says its instances are backed up.
   *
   * @param whenTrue the interval of a feature that is {@code true}
   * @return the interval; empty when the plan has no backups
   */
  static Optional<Duration> schedule(Plan plan, Duration whenTrue) {
    Object feature = plan.features().get(FEATURE);
    if (Boolean.TRUE.equals(feature)) {
      return Optional.of(whenTrue);
    }
    return feature instanceof String word
        ? Optional.ofNullable(SCHEDULES.get(word.trim().toLowerCase(Locale.ROOT)))
        : Optional.empty();
  }

  /**
   * Backs the instance up before an upgrade resizes it, when its plan has backups; the workflow's
   * id is the key, so a retried step takes no second backup.
   *
   * @param current the plan the instance runs on now
   */
  void beforeUpgrade(SubscriptionRecord s, InstanceRecord instance, Plan current, UUID workflowId) {
    if (interval(current).isPresent()) {
      take(s, instance, "upgrade:" + workflowId, Reason.BEFORE_UPGRADE);
    }
  }

  /**
   * Takes a backup and records the instance's backups as the provisioner then lists them.
   *
   * @param key names the backup (see {@link Provisioner#backUp})
   * @return the backup; empty when the platform has no data of the instance to back up
   * @throws io.minispod.provisioner.ProvisioningException when the platform cannot take it
   */
  Optional<InstanceBackup> take(
      SubscriptionRecord s, InstanceRecord instance, String key, Reason reason) {
    InstanceRef ref = new InstanceRef(instance.getInstanceId(), s.getUserId());
    Optional<InstanceBackup> backup = provisioner.backUp(ref, key, reason, kept);
    if (backup.isEmpty()) {
      log.info("Instance {}: no data on the platform to back up", instance.getInstanceId());
      return backup;
    }
    List<InstanceBackup> all = provisioner.backups(ref);
    dsl.transaction(cfg -> record(cfg.dsl(), instance.getInstanceId(), all));
    log.info(
        "Instance {}: backup {} taken ({}); {} kept",
        instance.getInstanceId(),
        backup.get().id(),
        reason,
        all.size());
    return backup;
  }

  /** The instance's backups as last recorded, newest first. */
  static List<InstanceBackup> of(DSLContext tx, UUID instanceId) {
    return tx.selectFrom(INSTANCE_BACKUP)
        .where(INSTANCE_BACKUP.INSTANCE_ID.eq(instanceId))
        .orderBy(INSTANCE_BACKUP.TAKEN_AT.desc(), INSTANCE_BACKUP.BACKUP_ID.desc())
        .fetch(
            r ->
                new InstanceBackup(
                    r.getBackupId(), r.getTakenAt().toInstant(), REASON.from(r.getReason())));
  }

  /** The newest recorded backup of the instance, if any. */
  static Optional<InstanceBackup> newest(DSLContext tx, UUID instanceId) {
    return of(tx, instanceId).stream().findFirst();
  }

  private static void record(DSLContext tx, UUID instanceId, List<InstanceBackup> backups) {
    tx.deleteFrom(INSTANCE_BACKUP).where(INSTANCE_BACKUP.INSTANCE_ID.eq(instanceId)).execute();
    var insert =
        tx.insertInto(
            INSTANCE_BACKUP,
            INSTANCE_BACKUP.INSTANCE_ID,
            INSTANCE_BACKUP.BACKUP_ID,
            INSTANCE_BACKUP.TAKEN_AT,
            INSTANCE_BACKUP.REASON);
    for (InstanceBackup b : backups) {
      insert = insert.values(instanceId, b.id(), at(b.takenAt()), REASON.to(b.reason()));
    }
    if (!backups.isEmpty()) {
      insert.execute();
    }
  }
}
