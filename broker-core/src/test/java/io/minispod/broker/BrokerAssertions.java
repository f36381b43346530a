package io.minispod.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the broker's refusals. */
final class BrokerAssertions {

  private BrokerAssertions() {}

  /** The call is refused with this status, OSB error code and a description containing a part. */
  static void assertRefused(
      ThrowingCallable call, int status, String error, String descriptionPart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ServiceBrokerException.class,
            e -> {
              assertThat(e.status()).isEqualTo(status);
              assertThat(e.error()).isEqualTo(error);
              assertThat(e.description()).contains(descriptionPart);
            });
  }
}
