package io.minispod;

import java.util.Map;
import java.util.Objects;

/**
 * The root of every error MinisPod reports to its callers: unchecked, with a stable {@link
 * ErrorCode} and machine-readable details.
 *
 * <p>Subclasses in each module name the ids and figures involved (a pool key, the available and
 * requested amounts) both in the message and in {@link #details()}, so an adapter can render the
 * error without parsing text. Messages never contain SQL, stack traces or secrets.
 */
public class MinisPodException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient Map<String, Object> details;

  /**
   * Creates an error.
   *
   * @param code the stable code
   * @param message what went wrong, naming the ids involved
   * @param details machine-readable details (copied; values must not be {@code null})
   */
  public MinisPodException(ErrorCode code, String message, Map<String, ?> details) {
    this(code, message, details, null);
  }

  /**
   * Creates an error caused by another.
   *
   * @param code the stable code
   * @param message what went wrong, naming the ids involved
   * @param details machine-readable details (copied; values must not be {@code null})
   * @param cause the underlying failure, or {@code null}
   */
  public MinisPodException(
      ErrorCode code, String message, Map<String, ?> details, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.details = Map.copyOf(details);
  }

  /**
   * The stable code of this error.
   *
   * @return the code
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * Machine-readable details, such as the figures of a refused quota request.
   *
   * @return an unmodifiable map, empty when there is nothing to add to the message
   */
  public Map<String, Object> details() {
    return details;
  }
}
