package io.minispod.provisioner;

import io.minispod.FieldErrors;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * @param ephemeralStorageMiB the scratch space it may use besides its volume (written files outside
 *     the volume, logs, the provisioner's temporary directories), in MiB; {@code null} for the
 *     provisioner's default
 * @param writablePaths absolute directories, besides {@code volumePath}, that the app writes to and
 *     that do not have to survive a restart (such as a cache or a socket directory): a provisioner
 *     that keeps the rest of the file system read-only gives each a scratch directory; empty for
 *     none (a provisioner may always add {@code /tmp})
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
    ResourceLimits resources,
    Integer ephemeralStorageMiB,
    List<String> writablePaths) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,30}[a-z0-9])?");
  private static final Pattern DIRECTORY = Pattern.compile("(/[-._a-zA-Z0-9]+)+");

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
    errors.require(
        ephemeralStorageMiB == null || ephemeralStorageMiB > 0,
        "ephemeralStorageMiB",
        "must be positive or null for the provisioner's default, was " + ephemeralStorageMiB);
    List<String> writable = writablePaths == null ? List.of() : writablePaths;
    Set<String> seen = new HashSet<>();
    for (String path : writable) {
      errors.require(
          path != null
              && DIRECTORY.matcher(path).matches()
              && !path.contains("/./")
              && !path.contains("/../")
              && !path.endsWith("/.")
              && !path.endsWith("/.."),
          "writablePaths",
          "must be absolute directories such as /var/run/app, without . or .. parts, was " + path);
      errors.require(
          path == null || seen.add(path), "writablePaths", "must not repeat a path, " + path);
      errors.require(
          path == null || !path.equals(volumePath),
          "writablePaths",
          "must not repeat the volume path " + volumePath + ", which is writable anyway");
    }
    errors.throwIfAny();
    env = Map.copyOf(env);
    secretEnv = Map.copyOf(secretEnv);
    writablePaths = List.copyOf(writable);
  }

  /**
   * A container with the provisioner's default scratch space and no writable path but its volume
   * (and what the provisioner always gives, such as {@code /tmp}): the container as it was before
   * {@link #ephemeralStorageMiB()} and {@link #writablePaths()} existed.
   *
   * @param name see the record's description
   * @param image see the record's description
   * @param port see the record's description
   * @param env see the record's description
   * @param secretEnv see the record's description
   * @param volumePath see the record's description
   * @param readiness see the record's description
   * @param liveness see the record's description
   * @param runAsUser see the record's description
   * @param runAsGroup see the record's description
   * @param resources see the record's description
   * @throws io.minispod.ValidationException naming every bad field
   */
  public ContainerSpec(
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
    this(
        name,
        image,
        port,
        env,
        secretEnv,
        volumePath,
        readiness,
        liveness,
        runAsUser,
        runAsGroup,
        resources,
        null,
        List.of());
  }

  /**
   * This container with other resources, everything else kept (a plan upgrade of the app).
   *
   * @param resources the new resources
   * @return the resized container
   * @throws io.minispod.ValidationException when {@code resources} is {@code null}
   */
  public ContainerSpec withResources(ResourceLimits resources) {
    return new ContainerSpec(
        name,
        image,
        port,
        env,
        secretEnv,
        volumePath,
        readiness,
        liveness,
        runAsUser,
        runAsGroup,
        resources,
        ephemeralStorageMiB,
        writablePaths);
  }
}
