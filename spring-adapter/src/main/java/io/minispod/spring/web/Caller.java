package io.minispod.spring.web;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;

/**
 * The caller of a request, as the host's authentication established it: its name is the user id,
 * the role {@code ADMIN} makes an administrator. The controllers check it as well as the host's
 * filter chain does, so that a host that forgets {@link MinisPodSecurity} still cannot reach
 * another user's data.
 *
 * <p>Where the caller comes from depends on the class path: Spring Security's {@code
 * Authentication} when Spring Security is present ({@link SpringSecurityCaller}), otherwise the
 * servlet request's principal and roles ({@link ServletCaller}).
 */
abstract class Caller {

  /** The role that makes an administrator ({@code ROLE_ADMIN} as a Spring Security authority). */
  static final String ADMIN_ROLE = "ADMIN";

  /**
   * The authenticated caller's name.
   *
   * @return the name, or null when the request is anonymous
   */
  abstract String name();

  /**
   * Whether the caller holds the role {@link #ADMIN_ROLE}.
   *
   * @return true for an administrator
   */
  abstract boolean isAdmin();

  /**
   * The user id of an authenticated caller.
   *
   * @return the user id
   * @throws MinisPodException {@code UNAUTHENTICATED} for an anonymous request
   */
  final String userId() {
    String name = name();
    if (name == null || name.isBlank()) {
      throw new MinisPodException(
          ErrorCode.UNAUTHENTICATED, "Authentication is required", Map.of());
    }
    return name;
  }

  /**
   * Requires an authenticated administrator.
   *
   * @throws MinisPodException {@code UNAUTHENTICATED} for an anonymous request, {@code FORBIDDEN}
   *     for a caller without the role {@link #ADMIN_ROLE}
   */
  final void requireAdmin() {
    userId();
    if (!isAdmin()) {
      throw new MinisPodException(ErrorCode.FORBIDDEN, "Administrator role required", Map.of());
    }
  }
}
