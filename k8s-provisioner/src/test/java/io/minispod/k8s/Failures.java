package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.ProvisioningException;
import java.util.function.Consumer;

/** What tests read of a provisioning failure besides what users see. */
final class Failures {

  private Failures() {}

  /** Checks that a failure is of this category and says whether trying again may help. */
  static Consumer<ProvisioningException> failed(FailureReason reason, boolean retryable) {
    return e -> {
      assertThat(e.reason()).as("reason").isEqualTo(reason);
      assertThat(e.retryable()).as("retryable").isEqualTo(retryable);
      assertThat(e.details()).containsEntry("reason", reason.name());
      assertThat(e.getMessage()).contains(reason.userMessage());
    };
  }

  /** The cluster's words of a {@link ProvisioningException}, which users never see. */
  static String platformDetail(Throwable failure) {
    return ((ProvisioningException) failure)
        .platformDetail()
        .orElseThrow(() -> new AssertionError("no platform detail in " + failure));
  }
}
