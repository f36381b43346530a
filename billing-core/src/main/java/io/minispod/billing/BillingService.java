package io.minispod.billing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Charges accounts through a {@link PaymentGateway} and keeps the billing ledger: one line per
 * charge, proration credit, proration charge and refund, in the {@code minispod_billing} schema.
 *
 * <p>billing-core knows nothing of catalogs: it bills {@linkplain BillingReference references}
 * (opaque ids with tags such as service and plan) for accounts (user ids).
 *
 * <p><b>One step, safe to retry.</b> Every write takes an idempotency key. A line is first written
 * {@link LineStatus#PENDING} and committed; then a short transaction claims the line for one
 * gateway attempt and commits, the gateway is called with the same key <em>with no transaction open
 * and no connection held</em>, and a second short transaction records the answer if the claim still
 * holds. A retry, or a concurrent twin on any node, with the same key finds the claim and waits for
 * the answer (re-reading the line, holding no connection) and returns it: the gateway is called
 * once. A declined payment leaves a {@link LineStatus#DECLINED} line and nothing owed. If the
 * process dies during the gateway call the line stays pending; once its claim has lapsed ({@link
 * BillingServiceBuilder#settlementClaim}, by the service clock) {@link #settlePending} or a retry
 * with the key takes it over, and the gateway's own idempotency makes the second call harmless. A
 * late answer of an attempt that was taken over is not recorded. A zero amount never reaches the
 * gateway.
 *
 * <pre>{@code
 * new BillingSchema().migrate(dataSource);
 * BillingService billing = BillingService.builder(dataSource)
 *     .paymentGateway(new MockPaymentGateway())
 *     .zone(ZoneId.of("Asia/Jakarta"))
 *     .currencyScale("IDR", 0)
 *     .build();
 * BillingCycle cycle = billing.cycleStartingAt(now, BillingInterval.MONTHLY);
 * BillingLine paid = billing.charge(new ChargeRequest("alice",
 *     BillingReference.of("sub-42", Map.of("service", "n8n", "plan", "pro")),
 *     Money.of(250_000, "IDR"), cycle.periodContaining(now), "subscribe-sub-42", "n8n Pro"));
 * }</pre>
 *
 * <p>Thread-safe; holds no threads of its own, so there is nothing to close.
 */
public interface BillingService {

  /**
   * Starts building a service over a PostgreSQL database whose {@link BillingSchema} is migrated.
   *
   * @param dataSource the database
   * @return a builder; a payment gateway must be given before {@link BillingServiceBuilder#build()}
   */
  static BillingServiceBuilder builder(DataSource dataSource) {
    return new BillingServiceBuilder(dataSource);
  }

  /**
   * Charges an account and records the {@link LineType#CHARGE} line, in one step.
   *
   * @param request who, what for, how much, for which period, and the idempotency key
   * @return the paid line (a retry with the same key returns the line of the first call)
   * @throws PaymentFailedException if the gateway declined or failed; the line stays recorded as
   *     such and nothing is owed
   * @throws BillingConflictException if the idempotency key was used for a different request
   * @throws io.minispod.ValidationException if the currency has no scale
   * @throws PaymentInProgressException if another caller's gateway call for the same key is still
   *     unanswered after the settlement wait; try again later with the same key
   */
  BillingLine charge(ChargeRequest request);

  /**
   * Charges a period after the first, when a subscription renews, and records the {@link
   * LineType#RENEWAL} line: otherwise exactly {@link #charge}. A declined renewal leaves its line
   * {@link LineStatus#FAILED}; calling again with the same key tries the payment again (dunning),
   * and once it is paid returns the paid line without charging again.
   *
   * @param request who, what for, how much, for which period, and the idempotency key
   * @return the paid line
   * @throws PaymentFailedException if the gateway declined or failed
   * @throws BillingConflictException if the idempotency key was used for a different request
   * @throws io.minispod.ValidationException if the currency has no scale
   * @throws PaymentInProgressException if another caller's gateway call for the same key is still
   *     unanswered after the settlement wait
   */
  BillingLine chargeRenewal(ChargeRequest request);

  /**
   * Prices an upgrade without recording anything, crediting what the ledger shows was actually paid
   * for the reference in the period (see {@link PaidCoverage}); nothing paid gives no credit.
   *
   * @param accountId whose reference it is
   * @param referenceId the reference changing plan
   * @param period the billing period the change falls in
   * @param newPrice the new plan's price for a whole period
   * @param changeAt the instant of the change, or {@code null} for now
   * @return the quote
   * @throws io.minispod.ValidationException if an argument is missing or invalid, or the change
   *     falls outside the period
   * @throws CurrencyMismatchException if the new price is in another currency than what was paid
   */
  ProrationQuote quoteUpgrade(
      String accountId, String referenceId, BillingPeriod period, Money newPrice, Instant changeAt);

  /**
   * Prices an immediate upgrade as {@link #quoteUpgrade} does, charges the due and records the
   * {@link LineType#PRORATION_CREDIT} and {@link LineType#PRORATION_CHARGE} lines, in one step.
   * When nothing is due the lines are recorded as settled and the gateway is not called.
   *
   * @param request the reference before and after, the period, the new price and the key
   * @return the quote and the two lines (a retry with the same key returns the first result)
   * @throws PaymentFailedException if the gateway declined or failed the due; both lines stay
   *     recorded as such and nothing is owed
   * @throws BillingConflictException if the key was used for a different request, or another
   *     upgrade of the reference awaits its payment
   * @throws io.minispod.ValidationException if the change falls outside the period, or the credit
   *     would exceed the charge (that is a downgrade, not an upgrade)
   * @throws CurrencyMismatchException if the new price is in another currency than what was paid
   * @throws PaymentInProgressException if another caller's gateway call for the same key is still
   *     unanswered after the settlement wait; try again later with the same key
   */
  UpgradeCharge chargeUpgrade(UpgradeRequest request);

  /**
   * What is left to refund of a line's payment: a paid charge's or proration charge's amount, less
   * the credits against it (an upgrade's credit for the old plan) and the refunds so far. Zero for
   * a line with no payment behind it (a proration charge fully covered by its credit, a declined
   * charge, a credit or a refund).
   *
   * @param lineId the line
   * @return what {@link #refund} would refund of it at most now
   * @throws UnknownBillingLineException if there is no such line
   */
  Money refundable(UUID lineId);

  /**
   * Refunds (part of) the payment of a paid charge or proration charge and records the {@link
   * LineType#REFUND} line, in one step.
   *
   * @param request the line, the amount (or everything left) and the key
   * @return the refunded line (a retry with the same key returns the first result)
   * @throws UnknownBillingLineException if there is no such line
   * @throws BillingConflictException if the line cannot be refunded, the amount exceeds what is
   *     left, or the key was used for a different request
   * @throws CurrencyMismatchException if the amount is in another currency than the line
   * @throws PaymentFailedException if the gateway declined or failed the refund
   * @throws PaymentInProgressException if another caller's gateway call for the same key is still
   *     unanswered after the settlement wait; try again later with the same key
   */
  BillingLine refund(RefundRequest request);

  /**
   * Reads one line.
   *
   * @param lineId its id
   * @return the line
   * @throws UnknownBillingLineException if there is no such line
   */
  BillingLine line(UUID lineId);

  /**
   * Finds the line written for an idempotency key.
   *
   * @param idempotencyKey the key (an upgrade's credit line has the key with {@code /credit})
   * @return the line, if any
   */
  Optional<BillingLine> lineByIdempotencyKey(String idempotencyKey);

  /**
   * An account's billing history, newest line first, every status included.
   *
   * @param accountId the account
   * @param page the page number, from 1
   * @param size lines per page, from 1 to 100
   * @return the page
   * @throws io.minispod.ValidationException if the account is blank or the page or size out of
   *     range
   */
  BillingPage history(String accountId, int page, int size);

  /**
   * Every line of a reference, oldest first.
   *
   * @param referenceId the reference
   * @return its lines, of every account and status
   * @throws io.minispod.ValidationException if the id is blank
   */
  List<BillingLine> referenceLines(String referenceId);

  /**
   * Revenue totals by reference tags over a date range: one total per combination of the tags'
   * values and currency, from the lines settled ({@link LineStatus#isSettled()}) at an instant in
   * {@code [from, to)}. Lines that lack one of the tags are not counted. With no tag keys, one
   * total per currency.
   *
   * @param tagKeys the tags to group by, such as {@code ["service", "plan"]}; at most 5, distinct
   * @param from the first instant counted
   * @param to the first instant not counted, not before {@code from}
   * @return the totals, ordered by tag values, then currency code
   * @throws io.minispod.ValidationException if a key is blank or repeated, or the range is invalid
   */
  List<RevenueTotal> revenue(List<String> tagKeys, Instant from, Instant to);

  /**
   * Finishes lines left {@link LineStatus#PENDING} by a process that died during a gateway call:
   * calls the gateway again with each line's key and records the answer. Lines another caller is
   * working on (its claim has not lapsed, or its row is locked at the moment) are skipped; a line
   * whose claim lapsed without an answer is taken over. Run it at start-up or now and then, on any
   * node.
   *
   * @param olderThan only lines written at least this long ago (by the service clock), so that
   *     calls in progress are left to finish
   * @return how many lines were settled
   * @throws io.minispod.ValidationException if the duration is negative
   */
  int settlePending(Duration olderThan);

  /**
   * The billing cycle whose first period starts on the day, in the configured zone, of an instant.
   *
   * @param start the instant the first period contains, such as a subscription's creation
   * @param interval monthly or yearly
   * @return the cycle
   */
  BillingCycle cycleStartingAt(Instant start, BillingInterval interval);

  /**
   * The proration calculator the service quotes with.
   *
   * @return the calculator configured by the builder
   */
  ProrationCalculator calculator();

  /**
   * The currency scales the service uses.
   *
   * @return the scales configured by the builder
   */
  CurrencyScales currencyScales();
}
