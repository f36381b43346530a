package io.minispod.spring.web;

import io.minispod.ErrorCode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The response envelope of API.md: {@code success}, {@code data}, {@code meta}, {@code error}. */
final class Envelope {

  private Envelope() {}

  static Map<String, Object> ok(Object data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("data", data);
    body.put("timestamp", now());
    return body;
  }

  static Map<String, Object> page(List<?> items, int page, int size, long total) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("page", page);
    meta.put("size", size);
    meta.put("total", total);
    meta.put("totalPages", size == 0 ? 0 : (total + size - 1) / size);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", true);
    body.put("data", items);
    body.put("meta", meta);
    body.put("timestamp", now());
    return body;
  }

  static Map<String, Object> error(ErrorCode code, String message, Map<String, ?> details) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code.name());
    error.put("message", message);
    if (details != null && !details.isEmpty()) {
      error.put("details", details);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("success", false);
    body.put("error", error);
    body.put("timestamp", now());
    return body;
  }

  /** The error envelope as JSON text, for the security handlers that write outside MVC. */
  static String errorJson(ErrorCode code, String message) {
    return "{\"success\":false,\"error\":{\"code\":\""
        + code.name()
        + "\",\"message\":\""
        + message.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\"},\"timestamp\":\""
        + now()
        + "\"}";
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
