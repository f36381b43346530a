package io.minispod.subscription;

import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.InstanceBackup;
import io.minispod.provisioner.ResourceUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An instance with its limits, usage, health and environment, as its owner sees it.
 *
 * @param id the instance's id
 * @param subscriptionId its subscription
 * @param serviceSlug the service it runs
 * @param planSlug the plan it is sized by
 * @param status where it is in its life
 * @param url where it is reachable, or {@code null}
 * @param resources the plan's limits it runs with
 * @param usage its latest measured usage, or {@code null} when none was measured
 * @param lastHealthCheck its latest health check, or {@code null} before the first
 * @param env the environment variables its owner set
 * @param customDomain the host name its owner chose to serve it on besides {@code url}, or {@code
 *     null}
 * @param recommendation the plan its usage suggests upgrading to, or {@code null} when usage gives
 *     no reason (or it is not running)
 * @param createdAt when it was created
 * @param backups its backups, newest first: empty unless its plan has the {@code backups} feature
 *     (and the provisioner takes backups); see {@code docs/backups.md}
 */
public record Instance(
    UUID id,
    UUID subscriptionId,
    String serviceSlug,
    String planSlug,
    InstanceStatus status,
    String url,
    Resources resources,
    ResourceUsage usage,
    HealthCheck lastHealthCheck,
    Map<String, String> env,
    String customDomain,
    UpgradeRecommendation recommendation,
    Instant createdAt,
    List<InstanceBackup> backups) {

  /** Copies the environment and the backups. */
  public Instance {
    env = Map.copyOf(env);
    backups = List.copyOf(backups);
  }

  /**
   * This instance with other backups.
   *
   * @param backups its backups, newest first
   * @return the copy
   */
  public Instance withBackups(List<InstanceBackup> backups) {
    return new Instance(
        id,
        subscriptionId,
        serviceSlug,
        planSlug,
        status,
        url,
        resources,
        usage,
        lastHealthCheck,
        env,
        customDomain,
        recommendation,
        createdAt,
        backups);
  }
}
