package io.minispod.spring.web;

import io.minispod.ErrorCode;
import org.springframework.http.HttpStatus;

/** The HTTP status of each error code, as the table of API.md gives it; the only such mapping. */
final class HttpStatuses {

  private HttpStatuses() {}

  static HttpStatus of(ErrorCode code) {
    return switch (code) {
      case VALIDATION_FAILED -> HttpStatus.BAD_REQUEST;
      case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
      case FORBIDDEN -> HttpStatus.FORBIDDEN;
      case NOT_FOUND -> HttpStatus.NOT_FOUND;
      case DUPLICATE_SUBSCRIPTION,
          QUOTA_EXCEEDED,
          INSUFFICIENT_RESOURCES,
          UPGRADE_REQUIRED,
          CONFLICT ->
          HttpStatus.CONFLICT;
      case INVALID_PLAN -> HttpStatus.UNPROCESSABLE_CONTENT;
      case PAYMENT_FAILED -> HttpStatus.PAYMENT_REQUIRED;
      case PROVISIONING_FAILED -> HttpStatus.BAD_GATEWAY;
      case INTERNAL_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
    };
  }
}
