package io.minispod.subscription.internal;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.billing.PaymentFailedException;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.subscription.internal.workflow.StepFailure;

/** How the subscription workflows tell a failed step's exception apart. */
final class StepFailures {

  private StepFailures() {}

  /**
   * A declined payment, a provisioning failure the platform will not get over, and any other error
   * with a stable code but {@code INTERNAL_ERROR} are permanent; a gateway or platform hiccup is
   * worth a retry. Anything else is unexpected ({@code null}).
   */
  static StepFailure classify(RuntimeException e) {
    if (e instanceof PaymentFailedException payment) {
      return new StepFailure(
          payment.declined(), ErrorCode.PAYMENT_FAILED, e.getMessage(), payment.details());
    }
    if (e instanceof ProvisioningException provisioning) {
      return new StepFailure(
          !provisioning.retryable(),
          ErrorCode.PROVISIONING_FAILED,
          e.getMessage(),
          provisioning.details());
    }
    if (e instanceof MinisPodException known) {
      return new StepFailure(
          known.code() != ErrorCode.INTERNAL_ERROR, known.code(), e.getMessage(), known.details());
    }
    return null;
  }
}
