package io.minispod.subscription;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change of an instance's configuration, applied in one operation: environment variables, its
 * custom domain, or both.
 *
 * <pre>{@code
 * instances.update(user, instanceId, InstanceUpdate.ofCustomDomain("blog.example.com"));
 * instances.update(user, instanceId, InstanceUpdate.ofEnv(Map.of("TZ", "UTC")).withCustomDomain(null));
 * }</pre>
 *
 * @param env variable name to new value, {@code null} to remove it; empty to leave the environment
 *     as it is
 * @param changesCustomDomain whether the custom domain changes
 * @param customDomain the new custom domain (a host name such as {@code blog.example.com}, compared
 *     in lower case), or {@code null} to remove it; only read when {@code changesCustomDomain}
 */
public record InstanceUpdate(
    Map<String, String> env, boolean changesCustomDomain, String customDomain) {

  /** Copies the environment changes (which may hold {@code null} values: removals). */
  public InstanceUpdate {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    if (!changesCustomDomain) {
      customDomain = null;
    }
  }

  /**
   * A change of environment variables alone.
   *
   * @param env variable name to new value, {@code null} to remove it
   * @return the change
   */
  public static InstanceUpdate ofEnv(Map<String, String> env) {
    return new InstanceUpdate(env, false, null);
  }

  /**
   * A change of the custom domain alone.
   *
   * @param customDomain the new custom domain, or {@code null} to remove it
   * @return the change
   */
  public static InstanceUpdate ofCustomDomain(String customDomain) {
    return new InstanceUpdate(Map.of(), true, customDomain);
  }

  /**
   * This change, which also sets (or removes) the custom domain.
   *
   * @param customDomain the new custom domain, or {@code null} to remove it
   * @return the change
   */
  public InstanceUpdate withCustomDomain(String customDomain) {
    return new InstanceUpdate(env, true, customDomain);
  }
}
