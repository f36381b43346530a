package io.minispod.catalog.template;

import io.minispod.catalog.internal.Placeholders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How to run a service's app: the data a provisioner turns into Kubernetes objects (a Deployment, a
 * Service, a PVC, a Secret and a ConfigMap, and the same for each companion).
 *
 * <p>Environment values may contain placeholders that the provisioner fills in for each instance:
 *
 * <ul>
 *   <li>{@code ${host}}: the instance's public host name;
 *   <li>{@code ${protocol}}: {@code https} or {@code http};
 *   <li>{@code ${url}}: {@code ${protocol}://${host}}, without a trailing slash;
 *   <li>{@code ${secret:NAME}}: the value of the template's {@link GeneratedSecret} NAME;
 *   <li>{@code ${companion:NAME}}: the host under which companion NAME is reached.
 * </ul>
 *
 * <p>Users may change the environment of their instance except the {@linkplain #isManaged managed}
 * keys: those listed in {@link #managedEnv()} and every key whose value uses a placeholder.
 *
 * <p>Only {@code image} and {@code port} are required. The defaults: no environment, no secrets,
 * volume at {@value #DEFAULT_VOLUME_PATH}, TCP readiness and liveness checks of the port, {@link
 * RunAs#NODE}, no companions. The record accepts any values; the catalog validates a template when
 * a service is created or updated and reports every bad field at once.
 *
 * @param image the container image with a pinned tag or digest ({@code latest} is refused)
 * @param port the port the app listens on
 * @param env environment variables, sorted by name
 * @param managedEnv keys of {@code env} that the platform sets and users may not change, sorted
 * @param secrets values generated once per instance and kept across upgrades
 * @param volumePath where the instance's persistent volume (sized by the plan) is mounted
 * @param readiness when the app is ready for traffic
 * @param liveness when the app must be restarted
 * @param runAs the non-root identity the app runs as
 * @param companions components that run beside the app, such as a database
 */
public record AppTemplate(
    String image,
    int port,
    Map<String, String> env,
    Set<String> managedEnv,
    List<GeneratedSecret> secrets,
    String volumePath,
    Probe readiness,
    Probe liveness,
    RunAs runAs,
    List<Companion> companions) {

  /** Where the persistent volume is mounted unless the template says otherwise. */
  public static final String DEFAULT_VOLUME_PATH = "/data";

  /** Copies the collections and fills in the defaults of the optional fields. */
  public AppTemplate {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
    managedEnv =
        managedEnv == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(managedEnv));
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
    volumePath = volumePath == null ? DEFAULT_VOLUME_PATH : volumePath;
    readiness = readiness == null ? Probe.tcp(port) : readiness;
    liveness = liveness == null ? Probe.tcp(port) : liveness;
    runAs = runAs == null ? RunAs.NODE : runAs;
    companions = companions == null ? List.of() : List.copyOf(companions);
  }

  /**
   * Starts building a template.
   *
   * @param image the container image with a pinned tag
   * @param port the port the app listens on
   * @return a builder
   */
  public static Builder builder(String image, int port) {
    return new Builder(image, port);
  }

  /**
   * Whether users are kept from changing an environment variable of their instance: it is listed in
   * {@link #managedEnv()} or its value uses a placeholder (a host, URL or secret the platform fills
   * in).
   *
   * @param key a variable name
   * @return {@code true} if the platform manages it
   */
  public boolean isManaged(String key) {
    if (managedEnv.contains(key)) {
      return true;
    }
    String value = env.get(key);
    return value != null && Placeholders.any(value);
  }

  /**
   * The variables whose values contain a generated secret, which a provisioner must keep in a
   * Kubernetes Secret rather than a ConfigMap.
   *
   * @return their names, sorted
   */
  public Set<String> secretEnv() {
    Set<String> keys = new TreeSet<>();
    env.forEach(
        (key, value) -> {
          if (value != null && !Placeholders.secretsIn(value).isEmpty()) {
            keys.add(key);
          }
        });
    return Collections.unmodifiableSet(keys);
  }

  /**
   * The app's environment with its placeholders filled in.
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

  /** Builds an {@link AppTemplate}. */
  public static final class Builder {
    private final String image;
    private final int port;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Set<String> managedEnv = new TreeSet<>();
    private final List<GeneratedSecret> secrets = new ArrayList<>();
    private final List<Companion> companions = new ArrayList<>();
    private String volumePath;
    private Probe readiness;
    private Probe liveness;
    private RunAs runAs;

    private Builder(String image, int port) {
      this.image = image;
      this.port = port;
    }

    /**
     * Sets an environment variable that users may change (unless its value uses a placeholder).
     *
     * @param key its name
     * @param value its default value
     * @return this builder
     */
    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /**
     * Sets an environment variable that the platform manages and users may not change.
     *
     * @param key its name
     * @param value its value, which may use placeholders
     * @return this builder
     */
    public Builder managedEnv(String key, String value) {
      env.put(key, value);
      managedEnv.add(key);
      return this;
    }

    /**
     * Declares a secret generated for each instance.
     *
     * @param secret the secret
     * @return this builder
     */
    public Builder secret(GeneratedSecret secret) {
      secrets.add(secret);
      return this;
    }

    /**
     * Sets where the persistent volume is mounted.
     *
     * @param path an absolute path
     * @return this builder
     */
    public Builder volumePath(String path) {
      this.volumePath = path;
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
     * Sets the identity the app runs as.
     *
     * @param runAs the identity
     * @return this builder
     */
    public Builder runAs(RunAs runAs) {
      this.runAs = runAs;
      return this;
    }

    /**
     * Adds a companion component.
     *
     * @param companion the component
     * @return this builder
     */
    public Builder companion(Companion companion) {
      companions.add(companion);
      return this;
    }

    /**
     * Builds the template; the catalog validates it when a service is created or updated.
     *
     * @return the template
     */
    public AppTemplate build() {
      return new AppTemplate(
          image,
          port,
          env,
          managedEnv,
          secrets,
          volumePath,
          readiness,
          liveness,
          runAs,
          companions);
    }
  }
}
