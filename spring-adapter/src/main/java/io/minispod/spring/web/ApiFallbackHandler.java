package io.minispod.spring.web;

import io.minispod.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Requests under {@code /api/} that reach no MinisPod handler (unknown path, wrong method or media
 * type) still get the error envelope. Anything else is rethrown, so the host's own error handling
 * is untouched.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiFallbackHandler {

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<Map<String, Object>> noResource(
      NoResourceFoundException e, HttpServletRequest request) throws NoResourceFoundException {
    if (!isApi(request)) {
      throw e;
    }
    return ResponseEntity.status(404)
        .body(Envelope.error(ErrorCode.NOT_FOUND, "No such endpoint", Map.of()));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Map<String, Object>> method(
      HttpRequestMethodNotSupportedException e, HttpServletRequest request)
      throws HttpRequestMethodNotSupportedException {
    if (!isApi(request)) {
      throw e;
    }
    return ResponseEntity.status(405)
        .body(
            Envelope.error(
                ErrorCode.VALIDATION_FAILED,
                "Method " + e.getMethod() + " is not supported here",
                Map.of()));
  }

  @ExceptionHandler({
    HttpMediaTypeNotSupportedException.class,
    HttpMediaTypeNotAcceptableException.class
  })
  ResponseEntity<Map<String, Object>> mediaType(Exception e, HttpServletRequest request)
      throws Exception {
    if (!isApi(request)) {
      throw e;
    }
    int status = e instanceof HttpMediaTypeNotSupportedException ? 415 : 406;
    return ResponseEntity.status(status)
        .body(
            Envelope.error(
                ErrorCode.VALIDATION_FAILED,
                status == 415 ? "Content-Type must be application/json" : "Not acceptable",
                Map.of()));
  }

  private static boolean isApi(HttpServletRequest request) {
    return request.getRequestURI().startsWith("/api/");
  }
}
