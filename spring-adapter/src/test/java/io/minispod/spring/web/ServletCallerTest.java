package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The caller of a host without Spring Security: the servlet request's principal and roles. */
final class ServletCallerTest {

  private final ServletCaller caller = new ServletCaller();

  @AfterEach
  void clear() {
    RequestContextHolder.resetRequestAttributes();
  }

  @Test
  void userId_withPrincipal_isItsName() {
    MockHttpServletRequest request = serving();
    request.setUserPrincipal(() -> "alice");
    assertThat(caller.userId()).isEqualTo("alice");
    assertThatThrownBy(caller::requireAdmin)
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
  }

  @Test
  void requireAdmin_withAdminRole_passes() {
    MockHttpServletRequest request = serving();
    request.setUserPrincipal(() -> "root");
    request.addUserRole(Caller.ADMIN_ROLE);
    caller.requireAdmin();
    assertThat(caller.isAdmin()).isTrue();
  }

  @Test
  void userId_anonymousOrOutsideARequest_isUnauthenticated() {
    assertThatThrownBy(caller::userId)
        .isInstanceOfSatisfying(
            MinisPodException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    serving();
    assertThatThrownBy(caller::requireAdmin)
        .isInstanceOfSatisfying(
            MinisPodException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
  }

  private static MockHttpServletRequest serving() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/user/subscriptions");
    RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
    return request;
  }
}
