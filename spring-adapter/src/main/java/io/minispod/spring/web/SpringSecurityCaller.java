package io.minispod.spring.web;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The caller from Spring Security's {@code Authentication} (API.md's identity): its name is the
 * user id, the authority {@code ROLE_ADMIN} makes an administrator. Used when Spring Security is on
 * the class path.
 */
final class SpringSecurityCaller extends Caller {

  /** The authority of an administrator. */
  static final String ADMIN_AUTHORITY = "ROLE_" + ADMIN_ROLE;

  @Override
  String name() {
    Authentication authentication = authentication();
    return authentication == null ? null : authentication.getName();
  }

  @Override
  boolean isAdmin() {
    Authentication authentication = authentication();
    return authentication != null
        && authentication.getAuthorities().stream()
            .anyMatch(a -> ADMIN_AUTHORITY.equals(a.getAuthority()));
  }

  /** The current authentication, or null when there is none or it is anonymous. */
  private static Authentication authentication() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication == null
        || !authentication.isAuthenticated()
        || authentication instanceof AnonymousAuthenticationToken) {
      return null;
    }
    return authentication;
  }
}
