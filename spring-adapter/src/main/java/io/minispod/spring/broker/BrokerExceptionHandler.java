package io.minispod.spring.broker;

import io.minispod.broker.ServiceBrokerException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Writes the OSB error body {@code {"error": …, "description": …}} for the broker's endpoints. */
@RestControllerAdvice(assignableTypes = BrokerController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class BrokerExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(BrokerExceptionHandler.class);

  @ExceptionHandler(ServiceBrokerException.class)
  ResponseEntity<Map<String, Object>> refused(ServiceBrokerException e) {
    return ResponseEntity.status(e.status()).body(OsbBodies.error(e));
  }

  @ExceptionHandler({
    HttpMessageNotReadableException.class,
    MissingServletRequestParameterException.class,
    MethodArgumentTypeMismatchException.class
  })
  ResponseEntity<Map<String, Object>> malformed(Exception e) {
    return refused(
        new ServiceBrokerException(400, null, "The request is malformed: " + e.getMessage()));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Map<String, Object>> failed(Exception e) {
    log.error("A service broker request failed", e);
    return refused(
        new ServiceBrokerException(
            500, null, "The broker failed to handle the request; it may be retried"));
  }
}
