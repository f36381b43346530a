package io.minispod.billing;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of the billing ledger.
 *
 * @param id the line's id
 * @param accountId whose line it is
 * @param type charge, proration credit, proration charge or refund
 * @param amount signed: charges {@code >= 0}, credits and refunds {@code <= 0}
 * @param reference what it bills for, with the tags it had when the line was written
 * @param period what it bills for in time: the billing period for a charge; {@code [effective
 *     change, period end)} for the two lines of a proration; the refunded line's period for a
 *     refund
 * @param status where it stands
 * @param paymentId the gateway's payment id (refund id for a refund); shared by the two lines of a
 *     proration; {@code null} while pending, when declined or failed, and when nothing was due
 * @param failureReason why the gateway declined or failed; {@code null} otherwise
 * @param idempotencyKey unique per line: the caller's key, with {@code /credit} appended for a
 *     proration credit
 * @param relatedLineId the proration charge a proration credit belongs to, or the line a refund
 *     refunds; {@code null} otherwise
 * @param description what the line is for (a refund's reason), or {@code null}
 * @param createdAt when the line was written
 * @param settledAt when it left {@link LineStatus#PENDING}; {@code null} before
 */
public record BillingLine(
    UUID id,
    String accountId,
    LineType type,
    Money amount,
    BillingReference reference,
    BillingPeriod period,
    LineStatus status,
    String paymentId,
    String failureReason,
    String idempotencyKey,
    UUID relatedLineId,
    String description,
    Instant createdAt,
    Instant settledAt) {}
