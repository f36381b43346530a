package io.minispod.billing;

import io.minispod.ErrorCode;
import io.minispod.FieldErrors;
import io.minispod.MinisPodException;
import io.minispod.ValidationException;
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
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BillingService}: each write in two transactions, the pending line first, then the
 * gateway call under that line's row lock with the answer recorded in the same transaction.
 */
final class DefaultBillingService implements BillingService {

  private static final Logger log = LoggerFactory.getLogger(DefaultBillingService.class);

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

  DefaultBillingService(
      DSLContext dsl,
      BillingStore store,
      PaymentGateway gateway,
      Clock clock,
      ZoneId zone,
      CurrencyScales scales,
      ProrationCalculator calculator) {
    this.dsl = dsl;
    this.store = store;
    this.gateway = gateway;
    this.clock = clock;
    this.zone = zone;
    this.scales = scales;
    this.calculator = calculator;
  }

  // ---------------------------------------------------------------- charges

  @Override
  public BillingLine charge(ChargeRequest request) {
    Objects.requireNonNull(request, "request");
    scales.scaleOf(request.amount().currency());
    String fingerprint =
        BillingStore.fingerprint(
            LineType.CHARGE,
            request.accountId(),
            request.reference().id(),
            request.reference().tags(),
            request.amount(),
            request.period().start(),
            request.period().end(),
            request.description());
    StoredLine written =
        transact(
            tx -> {
              Instant now = clock.instant();
              boolean free = request.amount().isZero();
              NewLine line =
                  new NewLine(
                      UUID.randomUUID(),
                      request.accountId(),
                      LineType.CHARGE,
                      request.amount(),
                      request.reference(),
                      request.period(),
                      free ? LineStatus.PAID : LineStatus.PENDING,
                      request.idempotencyKey(),
                      fingerprint,
                      null,
                      request.description(),
                      now);
              if (store.insert(tx, line)) {
                return new StoredLine(line.toLine(), fingerprint);
              }
              return existing(tx, request.idempotencyKey(), LineType.CHARGE, fingerprint);
            });
    return paidOrThrow(settleIfOpen(written.line()).lead(), LineStatus.PAID);
  }

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
      boolean payment = line.type() == LineType.CHARGE || line.type() == LineType.PRORATION_CHARGE;
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

  /** A paid charge or proration charge with a payment behind it (a zero-due one has none). */
  private static boolean isRefundable(BillingLine line) {
    return (line.type() == LineType.CHARGE || line.type() == LineType.PRORATION_CHARGE)
        && line.status() == LineStatus.PAID
        && line.paymentId() != null;
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
    Instant cutoff = clock.instant().minus(olderThan);
    List<UUID> pending = transact(tx -> store.pendingLeads(tx, cutoff, SETTLE_BATCH));
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
   * Locks a charge, proration charge or refund line; if it is still open, calls the gateway with
   * its key and records the answer on it (and on its proration credit) before the lock is released.
   * Returns nothing when {@code skipLocked} and another transaction holds the line.
   */
  private Optional<Settled> settle(UUID leadId, boolean skipLocked) {
    return transact(
        tx -> {
          Optional<StoredLine> locked = store.lock(tx, leadId, skipLocked);
          if (locked.isEmpty()) {
            return Optional.empty();
          }
          BillingLine lead = locked.get().line();
          List<BillingLine> credits =
              lead.type() == LineType.PRORATION_CHARGE
                  ? List.of(creditOf(store.relatedTo(tx, leadId)))
                  : List.of();
          if (!isOpen(lead.status())) {
            return Optional.of(new Settled(lead, credits, false));
          }
          PaymentResult result = callGateway(tx, lead, credits);
          Instant now = clock.instant();
          LineStatus leadStatus =
              statusOf(
                  result, lead.type() == LineType.REFUND ? LineStatus.REFUNDED : LineStatus.PAID);
          store.settle(tx, leadId, leadStatus, result.paymentId(), result.reason(), now);
          for (BillingLine credit : credits) {
            store.settle(
                tx,
                credit.id(),
                statusOf(result, LineStatus.CREDITED),
                result.paymentId(),
                result.reason(),
                now);
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
          List<BillingLine> settledCredits = new ArrayList<>();
          for (BillingLine credit : credits) {
            settledCredits.add(store.byId(tx, credit.id()).orElseThrow().line());
          }
          return Optional.of(
              new Settled(store.byId(tx, leadId).orElseThrow().line(), settledCredits, true));
        });
  }

  private PaymentResult callGateway(DSLContext tx, BillingLine lead, List<BillingLine> credits) {
    int scale = scales.scaleOf(lead.amount().currency());
    PaymentResult result;
    try {
      if (lead.type() == LineType.REFUND) {
        BillingLine refunded = store.byId(tx, lead.relatedLineId()).orElseThrow().line();
        result =
            gateway.refund(
                new PaymentRefund(
                    lead.accountId(),
                    refunded.paymentId(),
                    lead.amount().negate(),
                    scale,
                    lead.idempotencyKey(),
                    lead.description()));
      } else {
        Money due = lead.amount();
        for (BillingLine credit : credits) {
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
}
