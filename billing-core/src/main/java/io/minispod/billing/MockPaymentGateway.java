package io.minispod.billing;

import io.minispod.Sha256;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A deterministic, in-memory {@link PaymentGateway} for demos and tests: it approves everything
 * unless told otherwise, records every call, and is idempotent by key like a real gateway.
 *
 * <ul>
 *   <li><b>Deterministic ids.</b> A payment's id is derived from its idempotency key ({@code
 *       mock_ch_…} for charges, {@code mock_rf_…} for refunds), whatever the order of calls.
 *   <li><b>Idempotent.</b> A key that was approved or declined is answered with the first answer
 *       (the call is recorded with {@code replayed = true}); a key used again for a different
 *       request is an {@link PaymentStatus#ERROR}; an error is not remembered, so a retry is
 *       evaluated afresh.
 *   <li><b>Failure paths on demand.</b> {@link #declineNext}/{@link #failNext} (the next N calls
 *       evaluated afresh), {@link #declineAccount}/{@link #failAccount} and {@link
 *       #declineAmount}/{@link #failAmount}, checked in that order (a failure before a decline).
 *   <li><b>Refunds</b> are approved up to what remains of an approved charge of the same account
 *       and currency, and declined otherwise.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class MockPaymentGateway implements PaymentGateway {

  /** What a recorded call asked for. */
  public enum Operation {
    /** {@link PaymentGateway#charge}. */
    CHARGE,
    /** {@link PaymentGateway#refund}. */
    REFUND
  }

  /**
   * One call to the mock, as recorded.
   *
   * @param operation charge or refund
   * @param accountId the account
   * @param refundedPaymentId for a refund, the payment refunded; {@code null} for a charge
   * @param amount the amount asked for
   * @param idempotencyKey the key sent
   * @param result what the mock answered
   * @param replayed whether the answer was the remembered answer to an earlier call with the key
   */
  public record Call(
      Operation operation,
      String accountId,
      String refundedPaymentId,
      Money amount,
      String idempotencyKey,
      PaymentResult result,
      boolean replayed) {}

  private record Remembered(String fingerprint, PaymentResult result) {}

  private static final class Payment {
    private final String accountId;
    private final Money amount;
    private Money refunded;

    private Payment(String accountId, Money amount) {
      this.accountId = accountId;
      this.amount = amount;
      this.refunded = Money.zero(amount.currency());
    }
  }

  private final List<Call> calls = new ArrayList<>();
  private final Map<String, Remembered> answers = new HashMap<>();
  private final Map<String, Payment> payments = new HashMap<>();
  private final Map<String, String> failingAccounts = new HashMap<>();
  private final Map<String, String> decliningAccounts = new HashMap<>();
  private final Map<Money, String> failingAmounts = new HashMap<>();
  private final Map<Money, String> decliningAmounts = new HashMap<>();
  private int failNext;
  private String failNextReason;
  private int declineNext;
  private String declineNextReason;

  /** Creates a gateway that approves everything. */
  public MockPaymentGateway() {}

  /**
   * Declines every later call for an account.
   *
   * @param accountId the account
   * @param reason the reason the declines carry
   * @return this gateway
   */
  public synchronized MockPaymentGateway declineAccount(String accountId, String reason) {
    decliningAccounts.put(Objects.requireNonNull(accountId), reason(reason));
    return this;
  }

  /**
   * Fails ({@link PaymentStatus#ERROR}) every later call for an account.
   *
   * @param accountId the account
   * @param reason the reason the errors carry
   * @return this gateway
   */
  public synchronized MockPaymentGateway failAccount(String accountId, String reason) {
    failingAccounts.put(Objects.requireNonNull(accountId), reason(reason));
    return this;
  }

  /**
   * Declines every later call for exactly this amount.
   *
   * @param amount the amount, in its currency
   * @param reason the reason the declines carry
   * @return this gateway
   */
  public synchronized MockPaymentGateway declineAmount(Money amount, String reason) {
    decliningAmounts.put(Objects.requireNonNull(amount), reason(reason));
    return this;
  }

  /**
   * Fails every later call for exactly this amount.
   *
   * @param amount the amount, in its currency
   * @param reason the reason the errors carry
   * @return this gateway
   */
  public synchronized MockPaymentGateway failAmount(Money amount, String reason) {
    failingAmounts.put(Objects.requireNonNull(amount), reason(reason));
    return this;
  }

  /**
   * Declines the next {@code count} calls that are evaluated afresh (replays do not count).
   *
   * @param count how many, at least 0 (0 cancels an earlier setting)
   * @param reason the reason the declines carry
   * @return this gateway
   * @throws IllegalArgumentException if the count is negative
   */
  public synchronized MockPaymentGateway declineNext(int count, String reason) {
    declineNext = count(count);
    declineNextReason = reason(reason);
    return this;
  }

  /**
   * Fails the next {@code count} calls that are evaluated afresh (replays do not count).
   *
   * @param count how many, at least 0 (0 cancels an earlier setting)
   * @param reason the reason the errors carry
   * @return this gateway
   * @throws IllegalArgumentException if the count is negative
   */
  public synchronized MockPaymentGateway failNext(int count, String reason) {
    failNext = count(count);
    failNextReason = reason(reason);
    return this;
  }

  /** Forgets every decline and failure rule; recorded calls and payments are kept. */
  public synchronized void clearRules() {
    failingAccounts.clear();
    decliningAccounts.clear();
    failingAmounts.clear();
    decliningAmounts.clear();
    failNext = 0;
    declineNext = 0;
  }

  /** Forgets everything: rules, recorded calls, remembered answers and payments. */
  public synchronized void reset() {
    clearRules();
    calls.clear();
    answers.clear();
    payments.clear();
  }

  /**
   * Every call so far, oldest first.
   *
   * @return a copy of the record
   */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /**
   * The charge calls so far, oldest first.
   *
   * @return a copy of the record
   */
  public synchronized List<Call> charges() {
    return calls.stream().filter(c -> c.operation() == Operation.CHARGE).toList();
  }

  /**
   * The refund calls so far, oldest first.
   *
   * @return a copy of the record
   */
  public synchronized List<Call> refunds() {
    return calls.stream().filter(c -> c.operation() == Operation.REFUND).toList();
  }

  /**
   * How many calls were made.
   *
   * @return the number of charge and refund calls, replays included
   */
  public synchronized int callCount() {
    return calls.size();
  }

  @Override
  public synchronized PaymentResult charge(PaymentCharge charge) {
    Objects.requireNonNull(charge, "charge");
    String fingerprint = "charge|" + charge.accountId() + "|" + charge.amount();
    Remembered earlier = answers.get(charge.idempotencyKey());
    PaymentResult result;
    boolean replayed = false;
    if (earlier != null) {
      replayed = earlier.fingerprint().equals(fingerprint);
      result =
          replayed
              ? earlier.result()
              : PaymentResult.error("idempotency key reused for a different request");
    } else {
      result = ruleFor(charge.accountId(), charge.amount());
      if (result == null) {
        String paymentId = id("mock_ch_", charge.idempotencyKey());
        payments.put(paymentId, new Payment(charge.accountId(), charge.amount()));
        result = PaymentResult.approved(paymentId);
      }
      remember(charge.idempotencyKey(), fingerprint, result);
    }
    calls.add(
        new Call(
            Operation.CHARGE,
            charge.accountId(),
            null,
            charge.amount(),
            charge.idempotencyKey(),
            result,
            replayed));
    return result;
  }

  @Override
  public synchronized PaymentResult refund(PaymentRefund refund) {
    Objects.requireNonNull(refund, "refund");
    String fingerprint =
        "refund|" + refund.accountId() + "|" + refund.paymentId() + "|" + refund.amount();
    Remembered earlier = answers.get(refund.idempotencyKey());
    PaymentResult result;
    boolean replayed = false;
    if (earlier != null) {
      replayed = earlier.fingerprint().equals(fingerprint);
      result =
          replayed
              ? earlier.result()
              : PaymentResult.error("idempotency key reused for a different request");
    } else {
      result = ruleFor(refund.accountId(), refund.amount());
      if (result == null) {
        result = refundAgainst(refund);
      }
      remember(refund.idempotencyKey(), fingerprint, result);
    }
    calls.add(
        new Call(
            Operation.REFUND,
            refund.accountId(),
            refund.paymentId(),
            refund.amount(),
            refund.idempotencyKey(),
            result,
            replayed));
    return result;
  }

  private PaymentResult refundAgainst(PaymentRefund refund) {
    Payment payment = payments.get(refund.paymentId());
    if (payment == null || !payment.accountId.equals(refund.accountId())) {
      return PaymentResult.declined(
          "no payment " + refund.paymentId() + " of account " + refund.accountId());
    }
    if (!payment.amount.currency().equals(refund.amount().currency())) {
      return PaymentResult.declined(
          "payment " + refund.paymentId() + " was made in " + payment.amount.currency());
    }
    Money remaining = payment.amount.minus(payment.refunded);
    if (refund.amount().compareTo(remaining) > 0) {
      return PaymentResult.declined(
          "refund of " + refund.amount() + " exceeds the " + remaining + " left of the payment");
    }
    payment.refunded = payment.refunded.plus(refund.amount());
    return PaymentResult.approved(id("mock_rf_", refund.idempotencyKey()));
  }

  /** The configured failure or decline for a call, or {@code null} to go ahead. */
  private PaymentResult ruleFor(String accountId, Money amount) {
    if (failNext > 0) {
      failNext--;
      return PaymentResult.error(failNextReason);
    }
    if (declineNext > 0) {
      declineNext--;
      return PaymentResult.declined(declineNextReason);
    }
    if (failingAccounts.containsKey(accountId)) {
      return PaymentResult.error(failingAccounts.get(accountId));
    }
    if (decliningAccounts.containsKey(accountId)) {
      return PaymentResult.declined(decliningAccounts.get(accountId));
    }
    if (failingAmounts.containsKey(amount)) {
      return PaymentResult.error(failingAmounts.get(amount));
    }
    if (decliningAmounts.containsKey(amount)) {
      return PaymentResult.declined(decliningAmounts.get(amount));
    }
    return null;
  }

  private void remember(String key, String fingerprint, PaymentResult result) {
    if (result.status() != PaymentStatus.ERROR) {
      answers.put(key, new Remembered(fingerprint, result));
    }
  }

  private static String id(String prefix, String idempotencyKey) {
    return prefix + Sha256.hex(idempotencyKey).substring(0, 16);
  }

  private static String reason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a decline or failure needs a reason");
    }
    return reason;
  }

  private static int count(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    return count;
  }
}
