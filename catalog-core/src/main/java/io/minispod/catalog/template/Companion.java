package io.minispod.catalog.template;

import io.minispod.catalog.internal.Placeholders;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A component that runs beside an app in the same instance, such as Ghost's MySQL database. It is
 * reached from the app under the host that {@code ${companion:NAME}} resolves to, has resources of
 * its own (fixed by the template, not by the plan), and may share the template's generated secrets.
 *
 * @param name the component's name, a DNS label such as {@code mysql}
 * @param image the container image with a pinned tag or digest
 * @param port the port the app connects to
 * @param env environment variables, sorted by name; values may use the template's placeholders
 * @param volumePath where its persistent volume is mounted, or {@code null} for none
 * @param resources its CPU, memory and (when it has a volume) storage
 * @param readiness when it is ready; by default a TCP check of the port
 * @param liveness when it must be restarted; by default a TCP check of the port
 * @param runAs its non-root identity; by default {@link RunAs#NODE}
 */
public record Companion(
    String name,
    String image,
    int port,
    Map<String, String> env,
    String volumePath,
    Resources resources,
    Probe readiness,
    Probe liveness,
    RunAs runAs) {

  /** Copies the environment and fills in the default probes and identity. */
  public Companion {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
    readiness = readiness == null ? Probe.tcp(port) : readiness;
    liveness = liveness == null ? Probe.tcp(port) : liveness;
    runAs = runAs == null ? RunAs.NODE : runAs;
  }

  /**
   * Starts building a companion.
   *
   * @param name its name
   * @param image its image with a pinned tag
   * @param port the port the app connects to
   * @return a builder
   */
  public static Builder builder(String name, String image, int port) {
    return new Builder(name, image, port);
  }

  /**
   * The environment with its placeholders filled in.
   *
   * @param context the instance's host, protocol, secret values and companion hosts
   * @return variable name to value, sorted by name
   * @throws IllegalArgumentException if the context lacks a secret or companion a value names
   */
  public Map<String, String> resolveEnv(TemplateContext context) {
    Map<String, String> resolved = new TreeMap<>();
    env.forEach((key, value) -> resolved.put(key, Placeholders.resolve(value, context)));
    return Collections.unmodifiableMap(resolved);
  }

  /** Builds a {@link Companion}. */
  public static final class Builder {
    private final String name;
    private final String image;
    private final int port;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String volumePath;
    private Resources resources;
    private Probe readiness;
    private Probe liveness;
    private RunAs runAs;

    private Builder(String name, String image, int port) {
      this.name = name;
      this.image = image;
      this.port = port;
    }

    /**
     * Sets an environment variable.
     *
     * @param key its name
     * @param value its value, which may use placeholders
     * @return this builder
     */
    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /**
     * Gives the companion a persistent volume.
     *
     * @param path where it is mounted
     * @return this builder
     */
    public Builder volumePath(String path) {
      this.volumePath = path;
      return this;
    }

    /**
     * Sets the companion's resources.
     *
     * @param resources CPU, memory and storage
     * @return this builder
     */
    public Builder resources(Resources resources) {
      this.resources = resources;
      return this;
    }

    /**
     * Sets the readiness check.
     *
     * @param probe the check
     * @return this builder
     */
    public Builder readiness(Probe probe) {
      this.readiness = probe;
      return this;
    }

    /**
     * Sets the liveness check.
     *
     * @param probe the check
     * @return this builder
     */
    public Builder liveness(Probe probe) {
      this.liveness = probe;
      return this;
    }

    /**
     * Sets the identity the companion runs as.
     *
     * @param runAs the identity
     * @return this builder
     */
    public Builder runAs(RunAs runAs) {
      this.runAs = runAs;
      return this;
    }

    /**
     * Builds the companion; the catalog validates it when a service is created or updated.
     *
     * @return the companion
     */
    public Companion build() {
      return new Companion(
          name, image, port, env, volumePath, resources, readiness, liveness, runAs);
    }
  }
}
