package io.minispod.spring.web;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The caller, from Spring Security's {@code Authentication}: its name is the user id, {@code
 * ROLE_ADMIN} makes an admin. Checked here as well as by the host's filter chain, so that a host
 * that forgets {@link MinisPodSecurity} still cannot reach another user's data.
 */
final class Caller {

  static final String ADMIN_AUTHORITY = "ROLE_ADMIN";

  private Caller() {}

  static String userId() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null
        || !authentication.isAuthenticated()
        || authentication instanceof AnonymousAuthenticationToken
        || authentication.getName() == null
        || authentication.getName().isBlank()) {
      throw new MinisPodException(
          ErrorCode.UNAUTHENTICATED, "Authentication is required", Map.of());
    }
    return authentication.getName();
  }

  static void requireAdmin() {
    userId();
    boolean admin =
        SecurityContextHolder.getContext().getAuthentication().getAuthorities().stream()
            .anyMatch(a -> ADMIN_AUTHORITY.equals(a.getAuthority()));
    if (!admin) {
      throw new MinisPodException(ErrorCode.FORBIDDEN, "Administrator role required", Map.of());
    }
  }
}
