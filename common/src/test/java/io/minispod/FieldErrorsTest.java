package io.minispod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class FieldErrorsTest {

  @Test
  void throwIfAny_severalBadFields_namesEachOnceInOrder() {
    FieldErrors errors = new FieldErrors();
    errors.require(false, "slug", "must not be blank");
    errors.require(false, "slug", "must be DNS-safe");
    errors.require(true, "name", "never recorded");
    errors.require(false, "port", "must be between 1 and 65535, was 0");

    assertThat(errors.any()).isTrue();
    assertThatThrownBy(errors::throwIfAny)
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
              assertThat(e.fieldErrors())
                  .containsExactly(
                      Map.entry("slug", "must not be blank"),
                      Map.entry("port", "must be between 1 and 65535, was 0"));
              assertThat(e.details()).containsEntry("fields", e.fieldErrors());
            })
        .hasMessage(
            "Invalid input: slug must not be blank; port must be between 1 and 65535, was 0");
  }

  @Test
  void throwIfAny_nothingRecorded_returns() {
    FieldErrors errors = new FieldErrors();
    assertThat(errors.require(true, "slug", "unused")).isTrue();
    errors.throwIfAny();
    assertThat(errors.any()).isFalse();
  }

  @Test
  void validationException_withoutFields_isAProgrammingError() {
    assertThatThrownBy(() -> new ValidationException(Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void minisPodException_copiesDetailsAndKeepsCause() {
    IllegalStateException cause = new IllegalStateException("root");
    MinisPodException error =
        new MinisPodException(ErrorCode.CONFLICT, "busy", Map.of("subscriptionId", "s-1"), cause);

    assertThat(error.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(error.details()).containsExactly(Map.entry("subscriptionId", "s-1"));
    assertThat(error.getCause()).isSameAs(cause);
    assertThatThrownBy(() -> error.details().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
