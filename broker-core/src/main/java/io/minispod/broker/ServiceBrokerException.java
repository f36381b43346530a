package io.minispod.broker;

import java.util.Objects;

/**
 * A request the broker refuses, as the Open Service Broker API answers it: an HTTP status, the
 * spec's {@code error} code where it defines one ({@code AsyncRequired}, {@code ConcurrencyError},
 * {@code MaintenanceInfoConflict}, …) and a {@code description} a platform's user can read. Nothing
 * was changed by a refused request.
 */
public final class ServiceBrokerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The error code when the request lacks {@code accepts_incomplete=true}. */
  public static final String ASYNC_REQUIRED = "AsyncRequired";

  /** The error code when another operation on the resource is in progress. */
  public static final String CONCURRENCY_ERROR = "ConcurrencyError";

  /** The error code when {@code maintenance_info.version} does not match the catalog's. */
  public static final String MAINTENANCE_INFO_CONFLICT = "MaintenanceInfoConflict";

  private final int status;
  private final String error;

  /**
   * A refusal.
   *
   * @param status the HTTP status, 400 to 599
   * @param error the OSB error code, or {@code null} when the spec defines none for the case
   * @param description what went wrong, for the platform's user; not blank
   */
  public ServiceBrokerException(int status, String error, String description) {
    super(requireDescription(description));
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 400 to 599, was " + status);
    }
    if (error != null && error.isBlank()) {
      throw new IllegalArgumentException("error must be null or a non-empty word");
    }
    this.status = status;
    this.error = error;
  }

  private static String requireDescription(String description) {
    Objects.requireNonNull(description, "description");
    if (description.isBlank()) {
      throw new IllegalArgumentException("description must not be blank");
    }
    return description;
  }

  /**
   * The HTTP status to answer with.
   *
   * @return 400 to 599
   */
  public int status() {
    return status;
  }

  /**
   * The OSB error code, such as {@link #CONCURRENCY_ERROR}.
   *
   * @return the code, or {@code null} when the spec defines none for the case
   */
  public String error() {
    return error;
  }

  /**
   * The description for the platform's user.
   *
   * @return the description, never blank
   */
  public String description() {
    return getMessage();
  }

  static ServiceBrokerException badRequest(String description) {
    return new ServiceBrokerException(400, null, description);
  }

  static ServiceBrokerException notFound(String description) {
    return new ServiceBrokerException(404, null, description);
  }

  static ServiceBrokerException conflict(String description) {
    return new ServiceBrokerException(409, null, description);
  }

  static ServiceBrokerException gone(String description) {
    return new ServiceBrokerException(410, null, description);
  }

  static ServiceBrokerException unprocessable(String description) {
    return new ServiceBrokerException(422, null, description);
  }

  static ServiceBrokerException asyncRequired() {
    return new ServiceBrokerException(
        422,
        ASYNC_REQUIRED,
        "This service plan requires client support for asynchronous service operations:"
            + " send accepts_incomplete=true");
  }

  static ServiceBrokerException concurrencyError(String description) {
    return new ServiceBrokerException(422, CONCURRENCY_ERROR, description);
  }

  static ServiceBrokerException maintenanceInfoConflict() {
    return new ServiceBrokerException(
        422,
        MAINTENANCE_INFO_CONFLICT,
        "This broker publishes no maintenance_info in its catalog: fetch the catalog again and"
            + " send no maintenance_info");
  }
}
