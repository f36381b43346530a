package io.minispod.billing;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;
import java.util.UUID;

/**
 * A request that contradicts the ledger: an idempotency key reused for a different request, an
 * upgrade while another upgrade of the same reference awaits its payment, or a refund of more than
 * is left, or of a line that cannot be refunded. Nothing was changed.
 */
public final class BillingConflictException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  private BillingConflictException(String message, Map<String, ?> details) {
    super(ErrorCode.CONFLICT, message, details);
  }

  static BillingConflictException idempotencyKeyReused(String idempotencyKey) {
    return new BillingConflictException(
        "Idempotency key %s was already used for a different billing request"
            .formatted(idempotencyKey),
        Map.of("idempotencyKey", idempotencyKey));
  }

  static BillingConflictException upgradeInProgress(String referenceId, String pendingKey) {
    return new BillingConflictException(
        "Reference %s has an upgrade awaiting its payment (idempotency key %s)"
            .formatted(referenceId, pendingKey),
        Map.of("referenceId", referenceId, "pendingIdempotencyKey", pendingKey));
  }

  static BillingConflictException notRefundable(UUID lineId, LineType type, LineStatus status) {
    return new BillingConflictException(
        "Line %s is a %s %s line; only paid charges with a payment can be refunded"
            .formatted(lineId, status, type),
        Map.of("lineId", lineId.toString(), "type", type.name(), "status", status.name()));
  }

  static BillingConflictException refundExceedsPayment(
      UUID lineId, Money requested, Money refundable) {
    return new BillingConflictException(
        "A refund of %s on line %s exceeds the %s left to refund"
            .formatted(requested, lineId, refundable),
        Map.of(
            "lineId", lineId.toString(),
            "requested", requested.minorUnits(),
            "refundable", refundable.minorUnits(),
            "currency", refundable.currency().getCurrencyCode()));
  }
}
