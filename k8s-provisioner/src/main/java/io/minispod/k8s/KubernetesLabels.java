package io.minispod.k8s;

/**
 * The labels and annotations a {@link KubernetesProvisioner} puts on what it creates, so operators
 * and hosts can select its objects ({@code kubectl get all -A -l minispod.io/instance=<id>}).
 */
public final class KubernetesLabels {

  /** {@value}: {@value #MANAGED_BY_VALUE} on every object the provisioner writes. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** The value of {@link #MANAGED_BY}. */
  public static final String MANAGED_BY_VALUE = "minispod";

  /** {@value}: the catalog service an instance runs, such as {@code ghost}. */
  public static final String NAME = "app.kubernetes.io/name";

  /** {@value}: the instance's subdomain. */
  public static final String APP_INSTANCE = "app.kubernetes.io/instance";

  /** {@value}: the component within an instance, such as {@code app} or {@code mysql}. */
  public static final String COMPONENT = "app.kubernetes.io/component";

  /** {@value}: a hash of the owner's id (the id itself never appears in a label). */
  public static final String OWNER = "minispod.io/owner";

  /** {@value}: the instance id, on every object of an instance (pods included). */
  public static final String INSTANCE = "minispod.io/instance";

  /** {@value}: the plan an instance is sized by. */
  public static final String PLAN = "minispod.io/plan";

  /** {@value}: the backup a VolumeSnapshot belongs to (one snapshot per volume of an instance). */
  public static final String BACKUP = "minispod.io/backup";

  /** {@value}: annotation of a VolumeSnapshot: when its backup was taken (ISO-8601, UTC). */
  public static final String TAKEN_AT_ANNOTATION = "minispod.io/taken-at";

  /** {@value}: annotation of a VolumeSnapshot: why its backup was taken. */
  public static final String BACKUP_REASON_ANNOTATION = "minispod.io/backup-reason";

  /** {@value}: annotation of a namespace carrying the owner's id. */
  public static final String OWNER_ID_ANNOTATION = "minispod.io/owner-id";

  /** {@value}: annotation of an instance's Secret, set when the instance was first ready. */
  public static final String FIRST_READY_ANNOTATION = "minispod.io/first-ready-at";

  /** {@value}: annotation of a pod template: a hash of its environment, to roll on changes. */
  public static final String CONFIG_HASH_ANNOTATION = "minispod.io/config-hash";

  /**
   * Prefix of the ResourceQuota annotations that record each instance's share of the quota ({@code
   * quota.minispod.io/<instance id>}).
   */
  public static final String QUOTA_SHARE_PREFIX = "quota.minispod.io/";

  private KubernetesLabels() {}
}
