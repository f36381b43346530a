package io.minispod.billing;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The payment gateway declined or failed a charge or refund. The ledger keeps the line as {@link
 * LineStatus#DECLINED} or {@link LineStatus#FAILED} and nothing is owed; a failed line may be tried
 * again with the same idempotency key, a declined one answers every retry with this error.
 */
public final class PaymentFailedException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  private final transient BillingLine line;

  PaymentFailedException(BillingLine line) {
    super(
        ErrorCode.PAYMENT_FAILED,
        "Payment of %s for line %s of account %s was %s: %s"
            .formatted(
                line.type() == LineType.REFUND ? line.amount().negate() : line.amount(),
                line.id(),
                line.accountId(),
                line.status() == LineStatus.DECLINED ? "declined" : "not made",
                line.failureReason()),
        details(line));
    this.line = line;
  }

  /**
   * The error for a line the gateway declined or failed, as the call that wrote the line threw it:
   * for a caller that kept only the line's id and reports the failure again later.
   *
   * @param line a {@link LineStatus#DECLINED} or {@link LineStatus#FAILED} line
   * @return the error
   * @throws IllegalArgumentException if the line's payment did not fail
   */
  public static PaymentFailedException of(BillingLine line) {
    if (line.status() != LineStatus.DECLINED && line.status() != LineStatus.FAILED) {
      throw new IllegalArgumentException(
          "billing line " + line.id() + " is " + line.status() + ", not a failed payment");
    }
    return new PaymentFailedException(line);
  }

  private static Map<String, Object> details(BillingLine line) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("lineId", line.id().toString());
    details.put("accountId", line.accountId());
    details.put("type", line.type().name());
    details.put("status", line.status().name());
    details.put("reason", String.valueOf(line.failureReason()));
    details.put("amount", line.amount().minorUnits());
    details.put("currency", line.amount().currency().getCurrencyCode());
    details.put("idempotencyKey", line.idempotencyKey());
    return details;
  }

  /**
   * The ledger line as recorded: declined or failed, with the gateway's reason.
   *
   * @return the line
   */
  public BillingLine line() {
    return line;
  }

  /**
   * The line's id.
   *
   * @return the id
   */
  public UUID lineId() {
    return line.id();
  }

  /**
   * Whether the gateway refused for good (rather than failed).
   *
   * @return {@code true} for a decline
   */
  public boolean declined() {
    return line.status() == LineStatus.DECLINED;
  }

  /**
   * Why, as the gateway said.
   *
   * @return the reason
   */
  public String reason() {
    return line.failureReason();
  }
}
