package io.minispod.billing;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Another caller (a concurrent twin with the same idempotency key, or another node) is calling the
 * payment gateway for the line, and its answer did not come within the service's {@linkplain
 * BillingServiceBuilder#settlementWait settlement wait}. Nothing is known yet: the payment may
 * still be made. Transient: try again later with the same idempotency key, which returns the answer
 * once it is recorded (or takes the line over once the other caller's claim has lapsed).
 *
 * <p>Its code is {@link ErrorCode#INTERNAL_ERROR}, not {@link ErrorCode#CONFLICT}, on purpose:
 * callers that treat a conflict as final (and compensate) must not give up on a payment that may
 * still go through.
 */
public final class PaymentInProgressException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  private final UUID lineId;

  PaymentInProgressException(
      BillingLine line, long attempt, Instant claimedUntil, Duration waited, Throwable cause) {
    super(
        ErrorCode.INTERNAL_ERROR,
        ("The payment for line %s of account %s is still being made by another caller"
                + " (attempt %d, claimed until %s); waited %s; try again with idempotency key %s")
            .formatted(
                line.id(), line.accountId(), attempt, claimedUntil, waited, line.idempotencyKey()),
        details(line, attempt, claimedUntil),
        cause);
    this.lineId = line.id();
  }

  private static Map<String, Object> details(BillingLine line, long attempt, Instant claimedUntil) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("lineId", line.id().toString());
    details.put("accountId", line.accountId());
    details.put("idempotencyKey", line.idempotencyKey());
    details.put("attempt", attempt);
    details.put("claimedUntil", String.valueOf(claimedUntil));
    return details;
  }

  /**
   * The line whose payment is in progress.
   *
   * @return its id
   */
  public UUID lineId() {
    return lineId;
  }
}
