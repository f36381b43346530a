package io.minispod.broker;

import java.util.Map;

/**
 * A binding as a bind or a fetch answers it.
 *
 * @param status 201 (created by this request) or 200 (it existed, identical)
 * @param credentials {@code credentials}: the instance's {@code uri} and the binding's {@code
 *     username} and {@code password} (and whatever else the platform's credential holds)
 */
public record ServiceBinding(int status, Map<String, Object> credentials) {

  /** Checks the status and copies the credentials. */
  public ServiceBinding {
    if (status != 200 && status != 201) {
      throw new IllegalArgumentException("status must be 200 or 201, was " + status);
    }
    credentials = Requests.copy(credentials);
  }
}
