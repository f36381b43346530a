package io.minispod.subscription.internal;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.billing.BillingLine;
import io.minispod.billing.BillingService;
import io.minispod.billing.LineStatus;
import io.minispod.billing.PaymentFailedException;
import io.minispod.provisioner.ProvisioningException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Rebuilds the error a workflow ended with from what its row keeps (code, message, details), so
 * that a replayed request and an operation read later see the type the step failed with: a {@link
 * ProvisioningException} stays one, and a failed payment is the {@link PaymentFailedException} of
 * its billing line (a line paid since, by a retry with the same key, is not reported as failed).
 */
final class OperationFailures {

  private final BillingService billing;

  OperationFailures(BillingService billing) {
    this.billing = billing;
  }

  /**
   * The error a failed workflow of a subscription ended with.
   *
   * @param subscriptionId the subscription the workflow changed
   * @param code the stored code
   * @param message the stored message
   * @param details the stored details, as text
   * @return the error with its original type where it had one of its own
   */
  MinisPodException rebuild(
      UUID subscriptionId, ErrorCode code, String message, Map<String, String> details) {
    if (code == ErrorCode.PROVISIONING_FAILED && details.containsKey("reason")) {
      // The same category and reference; the workflow ended on it, so retrying could not help.
      return ProvisioningException.restore(details, false);
    }
    if (code == ErrorCode.PAYMENT_FAILED && details.containsKey("lineId")) {
      BillingLine line = billing.line(UUID.fromString(details.get("lineId")));
      if (line.status() == LineStatus.DECLINED || line.status() == LineStatus.FAILED) {
        return PaymentFailedException.of(line);
      }
    }
    Map<String, Object> withSubscription = new LinkedHashMap<>(details);
    withSubscription.putIfAbsent("subscriptionId", subscriptionId.toString());
    return new MinisPodException(code, message, withSubscription);
  }
}
