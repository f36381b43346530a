package io.minispod.spring.broker;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code minispod.broker.*}: the Open Service Broker API under {@code /v2/**}, off unless switched
 * on, and the HTTP basic credentials the platform registers the broker with (no defaults: the
 * broker refuses to start switched on without them).
 */
@ConfigurationProperties("minispod.broker")
public class BrokerProperties {

  /** The property that switches the broker on. */
  public static final String ENABLED = "minispod.broker.enabled";

  /** The property naming the platform's user name. */
  public static final String USERNAME = "minispod.broker.username";

  /** The property naming the platform's password. */
  public static final String PASSWORD = "minispod.broker.password";

  private boolean enabled;
  private String username;
  private String password;

  /** Creates the properties with their defaults; Spring binds them. */
  public BrokerProperties() {}

  /**
   * Whether the broker serves {@code /v2/**}. Default: {@code false}.
   *
   * @return whether it is switched on
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Switches the broker on or off.
   *
   * @param enabled whether it serves {@code /v2/**}
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * The user name the platform authenticates with (HTTP basic); required when enabled.
   *
   * @return the user name, or {@code null}
   */
  public String getUsername() {
    return username;
  }

  /**
   * Sets the platform's user name.
   *
   * @param username the user name
   */
  public void setUsername(String username) {
    this.username = username;
  }

  /**
   * The password the platform authenticates with (HTTP basic); required when enabled.
   *
   * @return the password, or {@code null}
   */
  public String getPassword() {
    return password;
  }

  /**
   * Sets the platform's password.
   *
   * @param password the password
   */
  public void setPassword(String password) {
    this.password = password;
  }
}
