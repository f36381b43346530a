package io.minispod.provisioner;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference {@link BindingCredentials}: credentials kept in memory, which {@link #accepts}
 * checks as an instance would check a login. For tests and development.
 */
public final class InMemoryBindingCredentials implements BindingCredentials {

  private static final SecureRandom RANDOM = new SecureRandom();

  private record Key(InstanceRef instance, String bindingId) {}

  private final Map<Key, Map<String, String>> credentials = new ConcurrentHashMap<>();

  /** Creates an empty store of credentials. */
  public InMemoryBindingCredentials() {}

  @Override
  public Map<String, String> bind(InstanceRef instance, String bindingId) {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(bindingId, "bindingId");
    return credentials.computeIfAbsent(
        new Key(instance, bindingId),
        key -> Map.of("username", "bind-" + random(6), "password", random(24)));
  }

  @Override
  public void unbind(InstanceRef instance, String bindingId) {
    credentials.remove(new Key(instance, bindingId));
  }

  /**
   * Whether the instance would accept a login with these credentials now.
   *
   * @param instance the instance
   * @param username the user name
   * @param password the password
   * @return {@code true} while a binding of the instance holds exactly these credentials
   */
  public boolean accepts(InstanceRef instance, String username, String password) {
    return credentials.entrySet().stream()
        .anyMatch(
            e ->
                e.getKey().instance().equals(instance)
                    && e.getValue().get("username").equals(username)
                    && e.getValue().get("password").equals(password));
  }

  /**
   * How many bindings hold a credential.
   *
   * @return the count
   */
  public int size() {
    return credentials.size();
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return HexFormat.of().formatHex(value);
  }
}
