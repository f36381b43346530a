package io.minispod.spring.web;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The caller from the servlet request: {@code getUserPrincipal()} names the user, {@code
 * isUserInRole("ADMIN")} makes an administrator. Used when Spring Security is not on the class
 * path, for a host that authenticates in its servlet container or in a filter of its own; with no
 * authentication at all every user and admin endpoint answers 401.
 */
final class ServletCaller extends Caller {

  @Override
  String name() {
    HttpServletRequest request = request();
    Principal principal = request == null ? null : request.getUserPrincipal();
    return principal == null ? null : principal.getName();
  }

  @Override
  boolean isAdmin() {
    HttpServletRequest request = request();
    return request != null && request.isUserInRole(ADMIN_ROLE);
  }

  /** The request the current thread serves, or null outside a request. */
  private static HttpServletRequest request() {
    RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
    return attributes instanceof ServletRequestAttributes servlet ? servlet.getRequest() : null;
  }
}
