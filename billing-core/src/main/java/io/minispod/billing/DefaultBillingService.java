package io.minispod.billing;

import io.minispod.ErrorCode;
import io.minispod.FieldErrors;
import io.minispod.MinisPodException;
import io.minispod.ValidationException;
import io.minispod.billing.BillingStore.Attempt;
import io.minispod.billing.BillingStore.NewLine;
import io.minispod.billing.BillingStore.StoredLine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BillingService}. No gateway call runs inside a transaction, nor while this thread
 * holds a connection: a write commits its pending line(s), then settles the lead line (the charge,
 * proration charge or refund that carries the payment) in three steps.
 *
 * <ol>
 *   <li><b>Claim</b>, a short transaction: lock the line ({@code SELECT … FOR UPDATE}, {@code SKIP
 *       LOCKED} for {@link #settlePending}); if it is still open (pending, or failed and retried)
 *       and no other attempt's claim is live by the service clock, increment its {@code attempt_no}
 *       (the fencing token) and set {@code attempt_expires_at} to now plus the claim length;
 *       commit.
 *   <li><b>Call</b> the gateway with the line's idempotency key, no transaction open.
 *   <li><b>Record</b>, a short transaction: write the answer on the lead line (and its proration
 *       credit, in the same transaction) only where {@code attempt_no} is still the claimed number
 *       and the claim not given up. An attempt whose claim lapsed and was taken over records
 *       nothing: it reads what the attempt that took over recorded (or waits for it).
 * </ol>
 *
 * <p>A caller that finds another attempt's claim live waits for its answer, re-reading the line at
 * growing intervals with no transaction open, for at most the settlement wait (real time), and
 * takes the line over if the claim lapses meanwhile; {@link #settlePending} skips such lines. A
 * claimant whose gateway call ends in an {@link Error} gives its claim up at once (a killed process
 * cannot, and its claim lapses instead). Defaults: claims of 5 minutes, waits of 2 minutes.
 */
final class DefaultBillingService implements BillingService {

  private static final Logger log = LoggerFactory.getLogger(DefaultBillingService.class);

  /** The first pause of a caller waiting for another caller's answer; each next one doubles. */
  private static final Duration FIRST_POLL = Duration.ofMillis(5);

  /** The longest pause between two looks of a waiting caller. */
  private static final Duration MAX_POLL = Duration.ofMillis(200);

  /** The most lines one {@link #settlePending} round looks at. */
  private static final int SETTLE_BATCH = 500;

  private static final int MAX_PAGE_SIZE = 100;
  private static final int MAX_TAG_KEYS = 5;

  private final DSLContext dsl;
  private final BillingStore store;
  private final PaymentGateway gateway;
  private final Clock clock;
  private final ZoneId zone;
  private final CurrencyScales scales;
  private final ProrationCalculator calculator;
  private final Settlement settlement;

  DefaultBillingService(
      DSLContext dsl,
      BillingStore store,
      PaymentGateway gateway,
      Clock clock,
      ZoneId zone,
      CurrencyScales scales,
      ProrationCalculator calculator,
      Settlement settlement) {
    this.dsl = dsl;
    this.store = store;
    this.gateway = gateway;
    this.clock = clock;
    this.zone = zone;
    this.scales = scales;
    this.calculator = calculator;
    this.settlement = settlement;
  }

  // ---------------------------------------------------------------- charges

  @Override
  public BillingLine charge(ChargeRequest request) {
    return charge(request, LineType.CHARGE);
  }

  @Override
  public BillingLine chargeRenewal(ChargeRequest request) {
    return charge(request, LineType.RENEWAL);
  }

  private BillingLine charge(ChargeRequest request, LineType type) {
    Objects.requireNonNull(request, "request");
    scales.scaleOf(request.amount().currency());
    String fingerprint =
        BillingStore.fingerprint(
            type,
            request.accountId(),
            request.reference().id(),
            request.reference().tags(),
            request.amount(),
            request.period().start(),
            request.period().end(),
            request.description());
    Written written =
        transact(
            tx -> {
              Instant now = BillingStore.stored(clock.instant());
              boolean free = request.amount().isZero();
              NewLine line =
                  new NewLine(
                      UUID.randomUUID(),
                      request.accountId(),
                      type,
                      request.amount(),
                      request.reference(),
                      request.period(),
                      free ? LineStatus.PAID : LineStatus.PENDING,
                      request.idempotencyKey(),
                      fingerprint,
                      null,
                      request.description(),
                      now);
              // A new line to pay is written claimed for the first gateway attempt, which saves
              // the claim's own transaction; a crash before the answer leaves a claim that lapses.
              Attempt first = free ? Attempt.NONE : new Attempt(1, now.plus(settlement.claim()));
              if (store.insert(tx, line, first)) {
                return new Written(line.toLine(), first.number() > 0);
              }
              return new Written(
                  existing(tx, request.idempotencyKey(), type, fingerprint).line(), false);
            });
    Settled settled =
        written.claimedHere()
            ? attempt(new Claim.Taken(written.line(), List.of(), null, 1))
                .orElseGet(() -> settle(written.line().id(), false).orElseThrow())
            : settleIfOpen(written.line());
    return paidOrThrow(settled.lead(), LineStatus.PAID);
  }

  /** A charge as written or found, and whether this call claimed its first gateway attempt. */
  private record Written(BillingLine line, boolean claimedHere) {}

  // ---------------------------------------------------------------- upgrades

  @Override
  public ProrationQuote quoteUpgrade(
      String accountId,
      String referenceId,
      BillingPeriod period,
      Money newPrice,
      Instant changeAt) {
    FieldErrors errors = new FieldErrors();
    BillingKeys.check(errors, "accountId", accountId, BillingKeys.MAX_ID_LENGTH);
    BillingKeys.check(errors, "referenceId", referenceId, BillingKeys.MAX_ID_LENGTH);
    errors.require(period != null, "period", "must be given");
    errors.require(newPrice != null, "newPrice", "must be given");
    errors.throwIfAny();
    return transact(
        tx -> {
          Instant at = changeAt != null ? changeAt : clock.instant();
          List<BillingLine> lines = store.referencePeriod(tx, accountId, referenceId, period.end());
          return calculator.quote(
              coverage(lines, period, newPrice.currency()), newPrice, period, at);
        });
  }

  @Override
  public UpgradeCharge chargeUpgrade(UpgradeRequest request) {
    Objects.requireNonNull(request, "request");
    scales.scaleOf(request.newPrice().currency());
    String fingerprint =
        BillingStore.fingerprint(
            LineType.PRORATION_CHARGE,
            request.accountId(),
            request.from().id(),
            request.from().tags(),
            request.to().tags(),
            request.period().start(),
            request.period().end(),
            request.newPrice(),
            request.changeAt() == null ? "now" : request.changeAt(),
            request.description());
    Upgrade upgrade = transact(tx -> writeUpgrade(tx, request, fingerprint));
    if (isOpen(upgrade.charge().status())) {
      Settled settled = settle(upgrade.charge().id(), false).orElseThrow();
      upgrade = new Upgrade(upgrade.quote(), settled.lead(), settled.credits().get(0));
    }
    paidOrThrow(upgrade.charge(), LineStatus.PAID);
    return new UpgradeCharge(upgrade.quote(), upgrade.credit(), upgrade.charge());
  }

  private Upgrade writeUpgrade(DSLContext tx, UpgradeRequest request, String fingerprint) {
    Optional<StoredLine> earlier = store.byKey(tx, request.idempotencyKey());
    if (earlier.isPresent()) {
      return replayUpgrade(tx, earlier.get(), request, fingerprint);
    }
    // Upgrades of one reference queue here, so that two never credit the same payment.
    store.lockReference(tx, request.accountId(), request.from().id());
    List<BillingLine> lines =
        store.referencePeriod(tx, request.accountId(), request.from().id(), request.period().end());
    for (BillingLine line : lines) {
      if (line.type() == LineType.PRORATION_CHARGE
          && line.status() == LineStatus.PENDING
          && !line.idempotencyKey().equals(request.idempotencyKey())) {
        throw BillingConflictException.upgradeInProgress(
            request.from().id(), line.idempotencyKey());
      }
    }
    Instant changeAt = request.changeAt() != null ? request.changeAt() : clock.instant();
    ProrationQuote quote =
        calculator.quote(
            coverage(lines, request.period(), request.newPrice().currency()),
            request.newPrice(),
            request.period(),
            changeAt);
    if (quote.due().isNegative()) {
      throw ValidationException.of(
          "newPrice",
          "must leave something due: the credit %s exceeds the charge %s, which makes this a downgrade"
              .formatted(quote.credit(), quote.charge()));
    }
    boolean nothingDue = quote.due().isZero();
    Instant now = clock.instant();
    NewLine charge =
        new NewLine(
            UUID.randomUUID(),
            request.accountId(),
            LineType.PRORATION_CHARGE,
            quote.charge(),
            request.to(),
            quote.remainder(),
            nothingDue ? LineStatus.PAID : LineStatus.PENDING,
            request.idempotencyKey(),
            fingerprint,
            null,
            request.description(),
            now);
    if (!store.insert(tx, charge)) {
      StoredLine twin =
          existing(tx, request.idempotencyKey(), LineType.PRORATION_CHARGE, fingerprint);
      return replayUpgrade(tx, twin, request, fingerprint);
    }
    String creditKey = request.idempotencyKey() + BillingKeys.CREDIT_KEY_SUFFIX;
    NewLine credit =
        new NewLine(
            UUID.randomUUID(),
            request.accountId(),
            LineType.PRORATION_CREDIT,
            quote.credit().negate(),
            request.from(),
            quote.remainder(),
            nothingDue ? LineStatus.CREDITED : LineStatus.PENDING,
            creditKey,
            fingerprint,
            charge.id(),
            request.description(),
            now);
    if (!store.insert(tx, credit)) {
      throw BillingConflictException.idempotencyKeyReused(creditKey);
    }
    log.info(
        "Upgrade of reference {} for account {} recorded: credit {}, charge {}, due {}",
        request.from().id(),
        request.accountId(),
        quote.credit(),
        quote.charge(),
        quote.due());
    return new Upgrade(quote, charge.toLine(), credit.toLine());
  }

  private Upgrade replayUpgrade(
      DSLContext tx, StoredLine earlier, UpgradeRequest request, String fingerprint) {
    requireSameRequest(earlier, request.idempotencyKey(), LineType.PRORATION_CHARGE, fingerprint);
    BillingLine charge = earlier.line();
    BillingLine credit = creditOf(store.relatedTo(tx, charge.id()));
    Money creditAmount = credit.amount().negate();
    ProrationQuote quote =
        new ProrationQuote(
            creditAmount,
            charge.amount(),
            charge.amount().minus(creditAmount),
            charge.period().start(),
            request.period());
    return new Upgrade(quote, charge, credit);
  }

  /**
   * What was actually paid for the reference's current plan in the period: the latest paid charge
   * or proration charge of the period, with the refunds made (or under way) on it.
   */
  private static PaidCoverage coverage(
      List<BillingLine> lines, BillingPeriod period, Currency currency) {
    BillingLine paid = null;
    for (BillingLine line : lines) {
      boolean payment = line.type().charges();
      if (payment
          && line.status() == LineStatus.PAID
          && !line.period().start().isBefore(period.start())
          && (paid == null || !line.period().start().isBefore(paid.period().start()))) {
        paid = line;
      }
    }
    if (paid == null) {
      return PaidCoverage.of(Money.zero(currency), period.start());
    }
    Money refunded = Money.zero(paid.amount().currency());
    for (BillingLine line : lines) {
      if (line.type() == LineType.REFUND
          && paid.id().equals(line.relatedLineId())
          && reservesRefund(line.status())) {
        refunded = refunded.minus(line.amount());
      }
    }
    return new PaidCoverage(paid.amount(), paid.period().start(), refunded.min(paid.amount()));
  }

  // ---------------------------------------------------------------- refunds

  @Override
  public Money refundable(UUID lineId) {
    Objects.requireNonNull(lineId, "lineId");
    return transact(
        tx -> {
          BillingLine line =
              store
                  .byId(tx, lineId)
                  .orElseThrow(() -> new UnknownBillingLineException(lineId))
                  .line();
          return isRefundable(line) ? refundableOf(tx, line) : Money.zero(line.amount().currency());
        });
  }

  /**
   * A paid charge, renewal or proration charge with a payment behind it (a zero-due one has none).
   */
  private static boolean isRefundable(BillingLine line) {
    return line.type().charges() && line.status() == LineStatus.PAID && line.paymentId() != null;
  }

  /** What is left of a line's payment: its amount less its credits and its refunds so far. */
  private Money refundableOf(DSLContext tx, BillingLine original) {
    Money refundable = original.amount();
    for (BillingLine line : store.relatedTo(tx, original.id())) {
      if (line.type() == LineType.PRORATION_CREDIT || reservesRefund(line.status())) {
        refundable = refundable.plus(line.amount());
      }
    }
    return refundable;
  }

  @Override
  public BillingLine refund(RefundRequest request) {
    Objects.requireNonNull(request, "request");
    String fingerprint =
        BillingStore.fingerprint(
            LineType.REFUND,
            request.lineId(),
            request.amount() == null ? "all" : request.amount(),
            request.reason());
    StoredLine written = transact(tx -> writeRefund(tx, request, fingerprint));
    return paidOrThrow(settleIfOpen(written.line()).lead(), LineStatus.REFUNDED);
  }

  private StoredLine writeRefund(DSLContext tx, RefundRequest request, String fingerprint) {
    Optional<StoredLine> earlier = store.byKey(tx, request.idempotencyKey());
    if (earlier.isPresent()) {
      requireSameRequest(earlier.get(), request.idempotencyKey(), LineType.REFUND, fingerprint);
      return earlier.get();
    }
    BillingLine original =
        store
            .lock(tx, request.lineId(), false)
            .orElseThrow(() -> new UnknownBillingLineException(request.lineId()))
            .line();
    if (!isRefundable(original)) {
      throw BillingConflictException.notRefundable(
          original.id(), original.type(), original.status());
    }
    Money refundable = refundableOf(tx, original);
    Money amount = request.amount() == null ? refundable : request.amount();
    original.amount().requireSameCurrency("amount", amount);
    if (!amount.isPositive() || amount.compareTo(refundable) > 0) {
      throw BillingConflictException.refundExceedsPayment(original.id(), amount, refundable);
    }
    NewLine refund =
        new NewLine(
            UUID.randomUUID(),
            original.accountId(),
            LineType.REFUND,
            amount.negate(),
            original.reference(),
            original.period(),
            LineStatus.PENDING,
            request.idempotencyKey(),
            fingerprint,
            original.id(),
            request.reason(),
            clock.instant());
    if (store.insert(tx, refund)) {
      return new StoredLine(refund.toLine(), fingerprint);
    }
    return existing(tx, request.idempotencyKey(), LineType.REFUND, fingerprint);
  }

  /** Refunds that count against what is left: made, under way, or failed and retryable. */
  private static boolean reservesRefund(LineStatus status) {
    return status == LineStatus.REFUNDED
        || status == LineStatus.PENDING
        || status == LineStatus.FAILED;
  }

  // ---------------------------------------------------------------- settling

  @Override
  public int settlePending(Duration olderThan) {
    if (olderThan == null || olderThan.isNegative()) {
      throw ValidationException.of("olderThan", "must be zero or positive, was " + olderThan);
    }
    Instant now = clock.instant();
    Instant cutoff = now.minus(olderThan);
    List<UUID> pending = transact(tx -> store.pendingLeads(tx, cutoff, now, SETTLE_BATCH));
    int settled = 0;
    for (UUID lineId : pending) {
      Optional<Settled> outcome = settle(lineId, true);
      if (outcome.isPresent() && outcome.get().calledGateway()) {
        settled++;
      }
    }
    if (settled > 0) {
      log.info("Settled {} pending billing lines written by {}", settled, cutoff);
    }
    return settled;
  }

  private Settled settleIfOpen(BillingLine lead) {
    if (!isOpen(lead.status())) {
      return new Settled(lead, List.of(), false);
    }
    return settle(lead.id(), false).orElseThrow();
  }

  /**
   * Settles a charge, proration charge or refund line: claims it, calls the gateway with no
   * transaction open, and records the answer if the claim still holds (see the class comment).
   * Returns the line as answered (by this call or another), or waits for another caller's answer;
   * with {@code sweep}, returns nothing instead of waiting (the line is locked by another
   * transaction, or another attempt is in progress).
   *
   * @throws PaymentInProgressException if another caller's attempt stays unanswered for the whole
   *     settlement wait
   */
  private Optional<Settled> settle(UUID leadId, boolean sweep) {
    long waitingSince = 0;
    long pause = FIRST_POLL.toNanos();
    boolean waiting = false;
    while (true) {
      Claim claim = transact(tx -> claim(tx, leadId, sweep));
      if (claim instanceof Claim.Answered answered) {
        return Optional.of(answered.settled());
      }
      if (claim instanceof Claim.Taken taken) {
        Optional<Settled> recorded = attempt(taken);
        if (recorded.isPresent()) {
          return recorded;
        }
        // Fenced: another attempt took the line over; find out what it records, waiting afresh.
        waiting = false;
        continue;
      }
      if (claim instanceof Claim.Busy busy && !sweep) {
        if (!waiting) {
          waiting = true;
          waitingSince = System.nanoTime();
          pause = FIRST_POLL.toNanos();
          log.debug(
              "Billing line {} has attempt {} in progress until {}; waiting for its answer",
              leadId,
              busy.attempt().number(),
              busy.attempt().expiresAt());
          settlement.observer().waiting(leadId, busy.attempt().number());
        }
        long left = settlement.maxWait().toNanos() - (System.nanoTime() - waitingSince);
        if (left <= 0) {
          throw inProgress(busy, waitingSince, null);
        }
        try {
          TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw inProgress(busy, waitingSince, e);
        }
        pause = Math.min(pause * 2, MAX_POLL.toNanos());
        continue;
      }
      // Swept past: locked by another transaction, or another attempt is in progress.
      return Optional.empty();
    }
  }

  /**
   * The claim step, in one short transaction under the line's row lock: the line as answered, the
   * live attempt of another caller, or this caller's new attempt with what the gateway call needs.
   */
  private Claim claim(DSLContext tx, UUID leadId, boolean skipLocked) {
    Optional<StoredLine> locked = store.lock(tx, leadId, skipLocked);
    if (locked.isEmpty()) {
      return new Claim.Skipped();
    }
    BillingLine lead = locked.get().line();
    List<BillingLine> credits =
        lead.type() == LineType.PRORATION_CHARGE
            ? List.of(creditOf(store.relatedTo(tx, leadId)))
            : List.of();
    if (!isOpen(lead.status())) {
      return new Claim.Answered(new Settled(lead, credits, false));
    }
    Attempt previous = locked.get().attempt();
    Instant now = clock.instant();
    if (previous.liveAt(now)) {
      return new Claim.Busy(lead, previous);
    }
    long number = previous.number() + 1;
    if (!store.claim(tx, leadId, number, now.plus(settlement.claim()))) {
      throw new IllegalStateException("billing line " + leadId + " changed under its row lock");
    }
    if (previous.expiresAt() != null) {
      log.warn(
          "Billing line {} of account {}: attempt {} claimed until {} left no answer;"
              + " attempt {} takes it over",
          leadId,
          lead.accountId(),
          previous.number(),
          previous.expiresAt(),
          number);
    }
    String refundedPaymentId =
        lead.type() == LineType.REFUND
            ? store.byId(tx, lead.relatedLineId()).orElseThrow().line().paymentId()
            : null;
    return new Claim.Taken(lead, credits, refundedPaymentId, number);
  }

  /**
   * Calls the gateway for a claimed line, with no transaction open, and records the answer if the
   * claim still holds; nothing if another attempt took the line over meanwhile.
   */
  private Optional<Settled> attempt(Claim.Taken taken) {
    BillingLine lead = taken.lead();
    settlement.observer().claimed(lead.id(), taken.number());
    PaymentResult result = null;
    try {
      result = callGateway(taken);
    } finally {
      if (result == null) {
        // An Error left the call; the caller is alive enough to let others try without waiting.
        release(lead.id(), taken.number());
      }
    }
    PaymentResult answer = result;
    Optional<Settled> recorded = transact(tx -> record(tx, taken, answer));
    if (recorded.isEmpty()) {
      log.warn(
          "Billing line {} of account {}: the gateway answered attempt {} ({}) after its claim"
              + " lapsed and another attempt took the line over; that answer is not recorded",
          lead.id(),
          lead.accountId(),
          taken.number(),
          answer.status());
      settlement.observer().fenced(lead.id(), taken.number());
    }
    return recorded;
  }

  /** The record step: the answer on the lead line and its credit, fenced by the attempt number. */
  private Optional<Settled> record(DSLContext tx, Claim.Taken taken, PaymentResult result) {
    BillingLine lead = taken.lead();
    // As precise as the column, so that the line returned equals the line stored.
    Instant now = BillingStore.stored(clock.instant());
    LineStatus leadStatus =
        statusOf(result, lead.type() == LineType.REFUND ? LineStatus.REFUNDED : LineStatus.PAID);
    if (!store.settleAttempt(
        tx, lead.id(), taken.number(), leadStatus, result.paymentId(), result.reason(), now)) {
      return Optional.empty();
    }
    List<BillingLine> settledCredits = new ArrayList<>();
    for (BillingLine credit : taken.credits()) {
      LineStatus creditStatus = statusOf(result, LineStatus.CREDITED);
      store.settle(tx, credit.id(), creditStatus, result.paymentId(), result.reason(), now);
      settledCredits.add(
          BillingStore.answered(credit, creditStatus, result.paymentId(), result.reason(), now));
    }
    if (result.isApproved()) {
      log.info(
          "Billing line {} ({}) of account {} is {} with payment {}",
          lead.id(),
          lead.type(),
          lead.accountId(),
          leadStatus,
          result.paymentId());
    } else {
      log.warn(
          "Billing line {} ({}) of account {} is {}: {}",
          lead.id(),
          lead.type(),
          lead.accountId(),
          leadStatus,
          result.reason());
    }
    return Optional.of(
        new Settled(
            BillingStore.answered(lead, leadStatus, result.paymentId(), result.reason(), now),
            settledCredits,
            true));
  }

  /** Gives an attempt's claim up, best effort: if this fails, the claim lapses instead. */
  private void release(UUID leadId, long number) {
    try {
      transact(
          tx -> {
            store.release(tx, leadId, number);
            return null;
          });
    } catch (RuntimeException e) {
      log.warn(
          "Could not give up attempt {} at billing line {}; it lapses by itself",
          number,
          leadId,
          e);
    }
  }

  private PaymentInProgressException inProgress(
      Claim.Busy busy, long waitingSince, InterruptedException interrupted) {
    return new PaymentInProgressException(
        busy.lead(),
        busy.attempt().number(),
        busy.attempt().expiresAt(),
        Duration.ofNanos(System.nanoTime() - waitingSince),
        interrupted);
  }

  private PaymentResult callGateway(Claim.Taken taken) {
    BillingLine lead = taken.lead();
    int scale = scales.scaleOf(lead.amount().currency());
    PaymentResult result;
    try {
      if (lead.type() == LineType.REFUND) {
        result =
            gateway.refund(
                new PaymentRefund(
                    lead.accountId(),
                    taken.refundedPaymentId(),
                    lead.amount().negate(),
                    scale,
                    lead.idempotencyKey(),
                    lead.description()));
      } else {
        Money due = lead.amount();
        for (BillingLine credit : taken.credits()) {
          due = due.plus(credit.amount());
        }
        result =
            gateway.charge(
                new PaymentCharge(
                    lead.accountId(), due, scale, lead.idempotencyKey(), lead.description()));
      }
    } catch (RuntimeException e) {
      // The exception's message is the gateway's and may carry what must not be logged at WARN.
      log.warn(
          "The payment gateway threw {} on billing line {} of account {}; recorded as failed",
          e.getClass().getName(),
          lead.id(),
          lead.accountId());
      log.debug("The payment gateway's exception on billing line {}", lead.id(), e);
      return PaymentResult.error("the payment gateway failed");
    }
    if (result == null) {
      log.warn("The payment gateway answered nothing for billing line {}", lead.id());
      return PaymentResult.error("the payment gateway gave no answer");
    }
    return result;
  }

  private static LineStatus statusOf(PaymentResult result, LineStatus approved) {
    switch (result.status()) {
      case APPROVED:
        return approved;
      case DECLINED:
        return LineStatus.DECLINED;
      default:
        return LineStatus.FAILED;
    }
  }

  private static boolean isOpen(LineStatus status) {
    return status == LineStatus.PENDING || status == LineStatus.FAILED;
  }

  private static BillingLine paidOrThrow(BillingLine line, LineStatus success) {
    if (line.status() != success) {
      throw new PaymentFailedException(line);
    }
    return line;
  }

  private static BillingLine creditOf(List<BillingLine> related) {
    return related.stream()
        .filter(line -> line.type() == LineType.PRORATION_CREDIT)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("a proration charge without its credit"));
  }

  // ---------------------------------------------------------------- reads

  @Override
  public BillingLine line(UUID lineId) {
    Objects.requireNonNull(lineId, "lineId");
    return transact(tx -> store.byId(tx, lineId))
        .orElseThrow(() -> new UnknownBillingLineException(lineId))
        .line();
  }

  @Override
  public Optional<BillingLine> lineByIdempotencyKey(String idempotencyKey) {
    FieldErrors errors = new FieldErrors();
    BillingKeys.check(errors, "idempotencyKey", idempotencyKey, BillingKeys.MAX_ID_LENGTH);
    errors.throwIfAny();
    return transact(tx -> store.byKey(tx, idempotencyKey)).map(StoredLine::line);
  }

  @Override
  public BillingPage history(String accountId, int page, int size) {
    FieldErrors errors = new FieldErrors();
    BillingKeys.check(errors, "accountId", accountId, BillingKeys.MAX_ID_LENGTH);
    errors.require(page >= 1, "page", "must be 1 or more, was " + page);
    errors.require(
        size >= 1 && size <= MAX_PAGE_SIZE,
        "size",
        "must be from 1 to " + MAX_PAGE_SIZE + ", was " + size);
    errors.throwIfAny();
    return transact(
        tx ->
            new BillingPage(
                store.pageOfAccount(tx, accountId, page, size),
                page,
                size,
                store.countOfAccount(tx, accountId)));
  }

  @Override
  public List<BillingLine> referenceLines(String referenceId) {
    FieldErrors errors = new FieldErrors();
    BillingKeys.check(errors, "referenceId", referenceId, BillingKeys.MAX_ID_LENGTH);
    errors.throwIfAny();
    return transact(tx -> store.ofReference(tx, referenceId));
  }

  @Override
  public List<RevenueTotal> revenue(List<String> tagKeys, Instant from, Instant to) {
    FieldErrors errors = new FieldErrors();
    if (errors.require(tagKeys != null, "tagKeys", "must be given (empty for none)")) {
      errors.require(
          tagKeys.size() <= MAX_TAG_KEYS,
          "tagKeys",
          "must name at most " + MAX_TAG_KEYS + " tags, named " + tagKeys.size());
      Set<String> seen = new HashSet<>();
      for (String key : tagKeys) {
        BillingKeys.check(errors, "tagKeys", key, BillingKeys.MAX_TAG_KEY_LENGTH);
        errors.require(key == null || seen.add(key), "tagKeys", "must not repeat " + key);
      }
    }
    errors.require(from != null, "from", "must be given");
    if (errors.require(to != null, "to", "must be given") && from != null) {
      errors.require(!to.isBefore(from), "to", "must not be before from " + from + ", was " + to);
    }
    errors.throwIfAny();
    return transact(tx -> store.revenue(tx, List.copyOf(tagKeys), from, to));
  }

  // ---------------------------------------------------------------- configuration

  @Override
  public BillingCycle cycleStartingAt(Instant start, BillingInterval interval) {
    return BillingCycle.startingAt(start, interval, zone);
  }

  @Override
  public ProrationCalculator calculator() {
    return calculator;
  }

  @Override
  public CurrencyScales currencyScales() {
    return scales;
  }

  // ---------------------------------------------------------------- helpers

  private StoredLine existing(DSLContext tx, String key, LineType type, String fingerprint) {
    StoredLine earlier =
        store
            .byKey(tx, key)
            .orElseThrow(() -> new IllegalStateException("idempotency key " + key + " vanished"));
    requireSameRequest(earlier, key, type, fingerprint);
    return earlier;
  }

  private static void requireSameRequest(
      StoredLine earlier, String key, LineType type, String fingerprint) {
    if (earlier.line().type() != type || !earlier.fingerprint().equals(fingerprint)) {
      throw BillingConflictException.idempotencyKeyReused(key);
    }
  }

  /**
   * Runs the work in a transaction of its own; database failures leave as {@link
   * MinisPodException}s that name the SQL state, never the SQL.
   */
  private <T> T transact(Function<DSLContext, T> work) {
    try {
      return dsl.transactionResult(configuration -> work.apply(configuration.dsl()));
    } catch (DataAccessException e) {
      throw new MinisPodException(
          ErrorCode.INTERNAL_ERROR,
          "The billing store failed (SQL state " + e.sqlState() + ")",
          Map.of("sqlState", String.valueOf(e.sqlState())),
          e);
    }
  }

  /** The two lines of an upgrade, with its quote. */
  private record Upgrade(ProrationQuote quote, BillingLine charge, BillingLine credit) {}

  /** A payment line and its proration credit (if any) after settling; whether the gateway ran. */
  private record Settled(BillingLine lead, List<BillingLine> credits, boolean calledGateway) {}

  /**
   * How settlement claims and waits behave.
   *
   * @param claim how long a claim lasts, by the service clock
   * @param maxWait how long a caller waits for another caller's answer, in real time
   * @param observer what tests see
   */
  record Settlement(Duration claim, Duration maxWait, SettlementObserver observer) {}

  /** What the claim step found. */
  private sealed interface Claim {

    /** Another transaction holds the line's row lock (sweeps only). */
    record Skipped() implements Claim {}

    /** The line is no longer open: its answer is recorded. */
    record Answered(Settled settled) implements Claim {}

    /** Another caller's attempt is in progress and its claim is live. */
    record Busy(BillingLine lead, Attempt attempt) implements Claim {}

    /** This caller claimed the line for attempt {@code number}. */
    record Taken(BillingLine lead, List<BillingLine> credits, String refundedPaymentId, long number)
        implements Claim {}
  }
}
