package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

final class ApiExceptionHandlerTest {

  private final ApiExceptionHandler handler = new ApiExceptionHandler();

  @Test
  void statuses_everyCode_matchApiTable() {
    Map<ErrorCode, Integer> table =
        Map.ofEntries(
            Map.entry(ErrorCode.VALIDATION_FAILED, 400),
            Map.entry(ErrorCode.UNAUTHENTICATED, 401),
            Map.entry(ErrorCode.FORBIDDEN, 403),
            Map.entry(ErrorCode.NOT_FOUND, 404),
            Map.entry(ErrorCode.DUPLICATE_SUBSCRIPTION, 409),
            Map.entry(ErrorCode.QUOTA_EXCEEDED, 409),
            Map.entry(ErrorCode.INSUFFICIENT_RESOURCES, 409),
            Map.entry(ErrorCode.UPGRADE_REQUIRED, 409),
            Map.entry(ErrorCode.INVALID_PLAN, 422),
            Map.entry(ErrorCode.CONFLICT, 409),
            Map.entry(ErrorCode.PAYMENT_FAILED, 402),
            Map.entry(ErrorCode.PROVISIONING_FAILED, 502),
            Map.entry(ErrorCode.INTERNAL_ERROR, 500));
    assertThat(table).hasSize(ErrorCode.values().length);
    table.forEach((code, status) -> assertThat(HttpStatuses.of(code).value()).isEqualTo(status));
  }

  @Test
  void unexpected_sqlInMessage_answersGeneric500() {
    ResponseEntity<Map<String, Object>> response =
        handler.unexpected(
            new IllegalStateException("ERROR: relation minispod_quota.pool SELECT * FROM x"));
    assertThat(response.getStatusCode().value()).isEqualTo(500);
    assertThat(response.getBody().toString())
        .contains("INTERNAL_ERROR", "An unexpected error occurred")
        .doesNotContain("SELECT", "minispod_quota");
  }

  @Test
  void minisPod_internalError_hidesItsMessage() {
    ResponseEntity<Map<String, Object>> response =
        handler.minisPod(
            new MinisPodException(
                ErrorCode.INTERNAL_ERROR, "duplicate key in pool_pkey", Map.of()));
    assertThat(response.getStatusCode().value()).isEqualTo(500);
    assertThat(response.getBody().toString()).doesNotContain("pool_pkey");
  }

  @Test
  void minisPod_upgradeRequired_is409WithDetails() {
    ResponseEntity<Map<String, Object>> response =
        handler.minisPod(
            new MinisPodException(
                ErrorCode.UPGRADE_REQUIRED, "needs business", Map.of("plan", "business")));
    assertThat(response.getStatusCode().value()).isEqualTo(409);
    assertThat(response.getBody().toString()).contains("UPGRADE_REQUIRED", "plan=business");
  }
}
