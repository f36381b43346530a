package io.minispod.provisioner;

import io.minispod.FieldErrors;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One container of an instance: the app itself, or a companion such as Ghost's MySQL.
 *
 * @param name a DNS label naming the component within the instance, such as {@code app} or {@code
 *     mysql}
 * @param image the image with a pinned tag, such as {@code n8nio/n8n:2.10.2}
 * @param port the container port it serves on
 * @param env plain environment variables (values may use {@code {{host}}} and {@code {{url}}})
 * @param secretEnv environment variables whose values are generated secrets: variable name to a key
 *     of {@link InstanceSpec#generatedSecrets()}
 * @param volumePath where its persistent volume is mounted, or {@code null} for none
 * @param readiness its readiness probe, or {@code null} for a TCP check of the port
 * @param liveness its liveness probe, or {@code null} for none
 * @param runAsUser the uid it runs as (never 0), or {@code null} for the image's non-root user
 * @param runAsGroup the gid (and file-system group) it runs as, or {@code null}
 * @param resources its CPU, memory and volume size
 */
public record ContainerSpec(
    String name,
    String image,
    int port,
    Map<String, String> env,
    Map<String, String> secretEnv,
    String volumePath,
    ProbeSpec readiness,
    ProbeSpec liveness,
    Long runAsUser,
    Long runAsGroup,
    ResourceLimits resources) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,30}[a-z0-9])?");

  /**
   * Validates and copies.
   *
   * @throws io.minispod.ValidationException naming every bad field
   */
  public ContainerSpec {
    FieldErrors errors = new FieldErrors();
    errors.require(
        name != null && DNS_LABEL.matcher(name).matches(),
        "name",
        "must be a DNS label of at most 32 characters, was " + name);
    errors.require(
        image != null && image.contains(":") && !image.endsWith(":latest"),
        "image",
        "must carry a pinned tag, was " + image);
    errors.require(port > 0 && port < 65536, "port", "must be from 1 to 65535, was " + port);
    errors.require(
        volumePath == null || volumePath.startsWith("/"), "volumePath", "must be absolute");
    errors.require(
        runAsUser == null || runAsUser > 0,
        "runAsUser",
        "must be a non-root uid, was " + runAsUser);
    errors.require(resources != null, "resources", "must be given");
    errors.throwIfAny();
    env = Map.copyOf(env);
    secretEnv = Map.copyOf(secretEnv);
  }
}
