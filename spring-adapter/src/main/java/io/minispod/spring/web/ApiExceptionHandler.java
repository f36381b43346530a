package io.minispod.spring.web;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Turns every failure of the MinisPod controllers into the error envelope of API.md, with the
 * status of its code. Messages never carry SQL or stack traces: an unexpected failure is logged
 * here and answered with a generic {@code INTERNAL_ERROR}.
 */
@RestControllerAdvice(
    assignableTypes = {CatalogController.class, AdminController.class, UserController.class})
class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(MinisPodException.class)
  ResponseEntity<Map<String, Object>> minisPod(MinisPodException e) {
    if (e.code() == ErrorCode.INTERNAL_ERROR) {
      log.error("MinisPod request failed", e);
      return respond(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred", Map.of());
    }
    return respond(e.code(), e.getMessage(), e.details());
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ResponseEntity<Map<String, Object>> invalidBody(MethodArgumentNotValidException e) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (FieldError error : e.getBindingResult().getFieldErrors()) {
      fields.putIfAbsent(error.getField(), String.valueOf(error.getDefaultMessage()));
    }
    e.getBindingResult()
        .getGlobalErrors()
        .forEach(error -> fields.putIfAbsent("body", String.valueOf(error.getDefaultMessage())));
    return validation(fields);
  }

  @ExceptionHandler(HandlerMethodValidationException.class)
  ResponseEntity<Map<String, Object>> invalidParameters(HandlerMethodValidationException e) {
    Map<String, String> fields = new LinkedHashMap<>();
    e.getParameterValidationResults()
        .forEach(
            result ->
                result
                    .getResolvableErrors()
                    .forEach(
                        error ->
                            fields.putIfAbsent(
                                result.getMethodParameter().getParameterName(),
                                String.valueOf(error.getDefaultMessage()))));
    return validation(fields.isEmpty() ? Map.of("request", "is invalid") : fields);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
    return validation(
        Map.of(
            "body",
            "must be a JSON object of the documented shape, with values of the right type"));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<Map<String, Object>> typeMismatch(MethodArgumentTypeMismatchException e) {
    Class<?> type = e.getRequiredType();
    String expected = type == null ? "value" : type.getSimpleName().toLowerCase(Locale.ROOT);
    return validation(Map.of(e.getName(), "must be a valid " + expected));
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<Map<String, Object>> missingParameter(MissingServletRequestParameterException e) {
    return validation(Map.of(e.getParameterName(), "must be given"));
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<Map<String, Object>> missingHeader(MissingRequestHeaderException e) {
    return validation(Map.of(e.getHeaderName(), "must be given"));
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<Map<String, Object>> illegalArgument(IllegalArgumentException e) {
    log.debug("Rejected a MinisPod request", e);
    return validation(Map.of("request", "is invalid"));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Map<String, Object>> unexpected(Exception e) {
    if (e instanceof ErrorResponse response) {
      HttpStatusCode status = response.getStatusCode();
      if (status.is4xxClientError()) {
        ErrorCode code =
            status.value() == 404
                ? ErrorCode.NOT_FOUND
                : status.value() == 401 ? ErrorCode.UNAUTHENTICATED : ErrorCode.VALIDATION_FAILED;
        String message =
            HttpStatus.resolve(status.value()) == null
                ? "Bad request"
                : HttpStatus.resolve(status.value()).getReasonPhrase();
        return ResponseEntity.status(status).body(Envelope.error(code, message, Map.of()));
      }
    }
    log.error("MinisPod request failed unexpectedly", e);
    return respond(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred", Map.of());
  }

  private static ResponseEntity<Map<String, Object>> validation(Map<String, String> fields) {
    StringBuilder message = new StringBuilder("Invalid input: ");
    String separator = "";
    for (Map.Entry<String, String> field : fields.entrySet()) {
      message.append(separator).append(field.getKey()).append(' ').append(field.getValue());
      separator = "; ";
    }
    return respond(ErrorCode.VALIDATION_FAILED, message.toString(), Map.of("fields", fields));
  }

  private static ResponseEntity<Map<String, Object>> respond(
      ErrorCode code, String message, Map<String, ?> details) {
    return ResponseEntity.status(HttpStatuses.of(code))
        .body(Envelope.error(code, message, details));
  }
}
