package io.minispod.subscription;

import io.minispod.ErrorCode;
import java.util.Map;

/**
 * How the subscribe requests for one plan of a service ended: every request counts once (a retry
 * with the same idempotency key is the same request, with its latest outcome), including those
 * refused before anything else was kept.
 *
 * @param serviceSlug the service
 * @param planSlug the plan asked for (an unknown plan as it was asked)
 * @param attempts subscribe requests: {@code successes + pending + } the sum of {@code failures}
 * @param successes requests whose subscribe workflow succeeded
 * @param pending requests whose workflow is still running
 * @param failures failed requests by error code; always holds {@code QUOTA_EXCEEDED}, {@code
 *     INSUFFICIENT_RESOURCES}, {@code PAYMENT_FAILED}, {@code PROVISIONING_FAILED} and {@code
 *     DUPLICATE_SUBSCRIPTION} (0 when none), and any other code that occurred (such as {@code
 *     INVALID_PLAN})
 */
public record SubscribeConversion(
    String serviceSlug,
    String planSlug,
    long attempts,
    long successes,
    long pending,
    Map<ErrorCode, Long> failures) {

  /** Copies the failures. */
  public SubscribeConversion {
    failures = Map.copyOf(failures);
  }

  /**
   * The share of requests that succeeded.
   *
   * @return {@code successes / attempts}, 0 without attempts
   */
  public double rate() {
    return attempts == 0 ? 0 : (double) successes / attempts;
  }
}
