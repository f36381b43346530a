package io.minispod.catalog.template;

/**
 * The non-root identity a container runs as (Pod Security "restricted" requires one), and the group
 * that owns its volume.
 *
 * @param user the user id, at least 1
 * @param group the primary group id, at least 1
 * @param fsGroup the group that owns mounted volumes, at least 1
 */
public record RunAs(long user, long group, long fsGroup) {

  /** uid, gid and fsGroup 1000: the {@code node} user of the n8n and Ghost images. */
  public static final RunAs NODE = new RunAs(1000, 1000, 1000);

  /**
   * The same id for user, group and volume group.
   *
   * @param id the id
   * @return the identity
   */
  public static RunAs of(long id) {
    return new RunAs(id, id, id);
  }
}
