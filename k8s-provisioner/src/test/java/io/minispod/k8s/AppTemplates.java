package io.minispod.k8s;

import io.minispod.provisioner.ContainerSpec;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProbeSpec;
import io.minispod.provisioner.ResourceLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The n8n and Ghost templates as the catalog will hand them over: {@link InstanceSpec}s built the
 * way catalog-core maps its stored templates (issue 4), for golden files and cluster tests. Each
 * container names the directories it writes to besides its volume, as a template would: n8n its
 * cache of the editor's files, MySQL its socket directory (the provisioner adds {@code /tmp}); none
 * names its scratch space, so the provisioner's default applies.
 */
final class AppTemplates {

  static final String N8N_IMAGE = "n8nio/n8n:2.10.2";
  static final String GHOST_IMAGE = "ghost:6.3.0-alpine";
  static final String MYSQL_IMAGE = "mysql:8.4.3";

  /** MySQL's resources are the template's, not the plan's. */
  static final ResourceLimits MYSQL_RESOURCES = new ResourceLimits(250, 512, 2);

  private AppTemplates() {}

  static InstanceSpec n8n(
      UUID id, String ownerId, String subdomain, String plan, ResourceLimits resources) {
    ContainerSpec app =
        new ContainerSpec(
            "app",
            N8N_IMAGE,
            5678,
            Map.of(
                "N8N_HOST", "{{host}}",
                "N8N_PROTOCOL", "{{scheme}}",
                "N8N_PORT", "5678",
                "WEBHOOK_URL", "{{url}}/"),
            Map.of("N8N_ENCRYPTION_KEY", "n8n-encryption-key"),
            "/home/node/.n8n",
            ProbeSpec.http("/healthz/readiness", Duration.ofSeconds(10)),
            ProbeSpec.http("/healthz", Duration.ofSeconds(30)),
            1000L,
            1000L,
            resources,
            null,
            List.of("/home/node/.cache"));
    return new InstanceSpec(
        id, ownerId, subdomain, "n8n", plan, app, List.of(), Set.of("n8n-encryption-key"));
  }

  static InstanceSpec ghost(
      UUID id, String ownerId, String subdomain, String plan, ResourceLimits resources) {
    ContainerSpec app =
        new ContainerSpec(
            "app",
            GHOST_IMAGE,
            2368,
            Map.of(
                "url", "{{url}}",
                "NODE_ENV", "production",
                "database__client", "mysql",
                "database__connection__host", "{{companion:mysql}}",
                "database__connection__port", "3306",
                "database__connection__user", "ghost",
                "database__connection__database", "ghost"),
            Map.of("database__connection__password", "mysql-password"),
            "/var/lib/ghost/content",
            ProbeSpec.http("/ghost/api/admin/site/", Duration.ofSeconds(20)),
            null,
            1000L,
            1000L,
            resources);
    ContainerSpec mysql =
        new ContainerSpec(
            "mysql",
            MYSQL_IMAGE,
            3306,
            Map.of("MYSQL_DATABASE", "ghost", "MYSQL_USER", "ghost"),
            Map.of(
                "MYSQL_PASSWORD", "mysql-password", "MYSQL_ROOT_PASSWORD", "mysql-root-password"),
            "/var/lib/mysql",
            null,
            null,
            999L,
            999L,
            MYSQL_RESOURCES,
            null,
            List.of("/var/run/mysqld"));
    return new InstanceSpec(
        id,
        ownerId,
        subdomain,
        "ghost",
        plan,
        app,
        List.of(mysql),
        Set.of("mysql-password", "mysql-root-password"));
  }
}
