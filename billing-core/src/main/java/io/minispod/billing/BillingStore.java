package io.minispod.billing;

import static io.minispod.billing.internal.db.Tables.LEDGER_LINE;
import static io.minispod.billing.internal.db.Tables.LINE_TAG;
import static io.minispod.billing.internal.db.Tables.REFERENCE_LOCK;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.values;
import static org.jooq.impl.DSL.when;

import io.minispod.Sha256;
import io.minispod.billing.internal.db.tables.LineTag;
import io.minispod.billing.internal.db.tables.records.LedgerLineRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertReturningStep;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Record2;
import org.jooq.ResultQuery;
import org.jooq.Row2;
import org.jooq.Table;

/**
 * Every read and write of the billing schema. Each method runs on the context it is given, inside
 * the transaction that context belongs to.
 */
final class BillingStore {

  private static final List<LineStatus> SETTLED =
      List.of(LineStatus.PAID, LineStatus.CREDITED, LineStatus.REFUNDED);

  private static final List<LineStatus> OPEN = List.of(LineStatus.PENDING, LineStatus.FAILED);

  private static final List<LineType> PAYMENT_LEADS =
      List.of(LineType.CHARGE, LineType.RENEWAL, LineType.PRORATION_CHARGE, LineType.REFUND);

  /** A line to insert. */
  record NewLine(
      UUID id,
      String accountId,
      LineType type,
      Money amount,
      BillingReference reference,
      BillingPeriod period,
      LineStatus status,
      String idempotencyKey,
      String fingerprint,
      UUID relatedLineId,
      String description,
      Instant createdAt) {

    /** The line as it reads once inserted. */
    BillingLine toLine() {
      return new BillingLine(
          id,
          accountId,
          type,
          amount,
          reference,
          period,
          status,
          null,
          null,
          idempotencyKey,
          relatedLineId,
          description,
          createdAt,
          status == LineStatus.PENDING ? null : createdAt);
    }
  }

  /**
   * A line as stored, with the fingerprint of the request that wrote it and its latest gateway
   * attempt.
   */
  record StoredLine(BillingLine line, String fingerprint, Attempt attempt) {

    /** A line just written: no attempt yet. */
    StoredLine(BillingLine line, String fingerprint) {
      this(line, fingerprint, Attempt.NONE);
    }
  }

  /**
   * The latest gateway attempt at a line.
   *
   * @param number the attempt's number, the fencing token (0 before the first attempt)
   * @param expiresAt until when its claim keeps other callers away; {@code null} when no attempt is
   *     in progress
   */
  record Attempt(long number, Instant expiresAt) {

    static final Attempt NONE = new Attempt(0, null);

    /** Whether the attempt is in progress and its claim has not lapsed at {@code now}. */
    boolean liveAt(Instant now) {
      return expiresAt != null && expiresAt.isAfter(now);
    }
  }

  /**
   * Inserts a line and its tags unless a line with its idempotency key exists (or is being inserted
   * by a concurrent transaction, which this then waits for).
   *
   * @return whether the line was inserted
   */
  boolean insert(DSLContext tx, NewLine line) {
    return insert(tx, line, Attempt.NONE);
  }

  /**
   * Inserts a line, already claimed for {@code attempt} (or not, with {@link Attempt#NONE}), and
   * its tags, unless a line with its idempotency key exists (or is being inserted by a concurrent
   * transaction, which this then waits for).
   *
   * @return whether the line was inserted
   */
  boolean insert(DSLContext tx, NewLine line, Attempt attempt) {
    InsertReturningStep<LedgerLineRecord> insertLine =
        tx.insertInto(LEDGER_LINE)
            .set(LEDGER_LINE.LINE_ID, line.id())
            .set(LEDGER_LINE.ACCOUNT_ID, line.accountId())
            .set(LEDGER_LINE.LINE_TYPE, line.type())
            .set(LEDGER_LINE.AMOUNT, line.amount().minorUnits())
            .set(LEDGER_LINE.CURRENCY, line.amount().currency().getCurrencyCode())
            .set(LEDGER_LINE.REFERENCE_ID, line.reference().id())
            .set(LEDGER_LINE.PERIOD_START, at(line.period().start()))
            .set(LEDGER_LINE.PERIOD_END, at(line.period().end()))
            .set(LEDGER_LINE.STATUS, line.status())
            .set(LEDGER_LINE.DESCRIPTION, line.description())
            .set(LEDGER_LINE.IDEMPOTENCY_KEY, line.idempotencyKey())
            .set(LEDGER_LINE.REQUEST_FINGERPRINT, line.fingerprint())
            .set(LEDGER_LINE.RELATED_LINE_ID, line.relatedLineId())
            .set(LEDGER_LINE.CREATED_AT, at(line.createdAt()))
            .set(
                LEDGER_LINE.SETTLED_AT,
                line.status() == LineStatus.PENDING ? null : at(line.createdAt()))
            .set(LEDGER_LINE.ATTEMPT_NO, attempt.number())
            .set(
                LEDGER_LINE.ATTEMPT_EXPIRES_AT,
                attempt.expiresAt() == null ? null : at(attempt.expiresAt()))
            .onConflict(LEDGER_LINE.IDEMPOTENCY_KEY)
            .doNothing();
    Map<String, String> tags = line.reference().tags();
    if (tags.isEmpty()) {
      return insertLine.execute() == 1;
    }
    // The line and its tags in one statement: the tags are inserted from what the line's insert
    // returned, so a line whose key was already taken gets none, and the count tells which it was.
    CommonTableExpression<Record1<UUID>> inserted =
        name("inserted_line").as(insertLine.returningResult(LEDGER_LINE.LINE_ID));
    Table<Record2<String, String>> tagRows =
        values(
                tags.entrySet().stream()
                    .map(tag -> row(tag.getKey(), tag.getValue()))
                    .toArray(Row2[]::new))
            .as("tag", "tag_key", "tag_value");
    return tx.with(inserted)
            .insertInto(LINE_TAG, LINE_TAG.LINE_ID, LINE_TAG.TAG_KEY, LINE_TAG.TAG_VALUE)
            .select(
                select(
                        inserted.field(LEDGER_LINE.LINE_ID),
                        tagRows.field("tag_key", String.class),
                        tagRows.field("tag_value", String.class))
                    .from(inserted)
                    .crossJoin(tagRows))
            .execute()
        > 0;
  }

  Optional<StoredLine> byKey(DSLContext tx, String idempotencyKey) {
    return first(
        tx, tx.selectFrom(LEDGER_LINE).where(LEDGER_LINE.IDEMPOTENCY_KEY.eq(idempotencyKey)));
  }

  Optional<StoredLine> byId(DSLContext tx, UUID lineId) {
    return first(tx, tx.selectFrom(LEDGER_LINE).where(LEDGER_LINE.LINE_ID.eq(lineId)));
  }

  /**
   * Locks a line for update, waiting for another holder; or, with {@code skipLocked}, returns
   * nothing when another transaction holds it. Holders are short transactions: no gateway call runs
   * under this lock.
   */
  Optional<StoredLine> lock(DSLContext tx, UUID lineId, boolean skipLocked) {
    var select = tx.selectFrom(LEDGER_LINE).where(LEDGER_LINE.LINE_ID.eq(lineId)).forUpdate();
    return first(tx, skipLocked ? select.skipLocked() : select);
  }

  /** The lines that point at a line: a proration charge's credit, a charge's refunds. */
  List<BillingLine> relatedTo(DSLContext tx, UUID lineId) {
    return lines(
        tx,
        tx.selectFrom(LEDGER_LINE)
            .where(LEDGER_LINE.RELATED_LINE_ID.eq(lineId))
            .orderBy(LEDGER_LINE.SEQ)
            .fetch());
  }

  /**
   * Takes the lock that upgrades of an account's reference queue on, until the transaction ends.
   * Statements after this one see every line a previous holder committed (a {@code SELECT … FOR
   * UPDATE} of the lines themselves would not: under READ COMMITTED it misses rows inserted by the
   * transaction it waited for).
   */
  void lockReference(DSLContext tx, String accountId, String referenceId) {
    tx.insertInto(REFERENCE_LOCK)
        .set(REFERENCE_LOCK.ACCOUNT_ID, accountId)
        .set(REFERENCE_LOCK.REFERENCE_ID, referenceId)
        .onConflictDoNothing()
        .execute();
    tx.selectFrom(REFERENCE_LOCK)
        .where(REFERENCE_LOCK.ACCOUNT_ID.eq(accountId))
        .and(REFERENCE_LOCK.REFERENCE_ID.eq(referenceId))
        .forUpdate()
        .fetchOne();
  }

  /** An account's lines of a reference whose period ends at {@code periodEnd}, oldest first. */
  List<BillingLine> referencePeriod(
      DSLContext tx, String accountId, String referenceId, Instant periodEnd) {
    return lines(
        tx,
        tx.selectFrom(LEDGER_LINE)
            .where(LEDGER_LINE.ACCOUNT_ID.eq(accountId))
            .and(LEDGER_LINE.REFERENCE_ID.eq(referenceId))
            .and(LEDGER_LINE.PERIOD_END.eq(at(periodEnd)))
            .orderBy(LEDGER_LINE.SEQ)
            .fetch());
  }

  /**
   * Claims a line for gateway attempt {@code number}, if its latest attempt is still {@code number
   * - 1}; the caller holds the line's row lock, so this is a formality that keeps the invariant in
   * the statement too.
   *
   * @return whether the claim was taken
   */
  boolean claim(DSLContext tx, UUID lineId, long number, Instant expiresAt) {
    return tx.update(LEDGER_LINE)
            .set(LEDGER_LINE.ATTEMPT_NO, number)
            .set(LEDGER_LINE.ATTEMPT_EXPIRES_AT, at(expiresAt))
            .where(LEDGER_LINE.LINE_ID.eq(lineId))
            .and(LEDGER_LINE.ATTEMPT_NO.eq(number - 1))
            .execute()
        == 1;
  }

  /**
   * Records the gateway's answer on a line and ends its attempt, fenced: only if the line is still
   * open and claimed by attempt {@code number} (no later attempt took it over).
   *
   * @return whether the answer was recorded
   */
  boolean settleAttempt(
      DSLContext tx,
      UUID lineId,
      long number,
      LineStatus status,
      String paymentId,
      String failureReason,
      Instant at) {
    return tx.update(LEDGER_LINE)
            .set(LEDGER_LINE.STATUS, status)
            .set(LEDGER_LINE.PAYMENT_ID, paymentId)
            .set(LEDGER_LINE.FAILURE_REASON, truncate(failureReason))
            .set(LEDGER_LINE.SETTLED_AT, status.isSettled() ? at(at) : null)
            .setNull(LEDGER_LINE.ATTEMPT_EXPIRES_AT)
            .where(LEDGER_LINE.LINE_ID.eq(lineId))
            .and(LEDGER_LINE.ATTEMPT_NO.eq(number))
            .and(LEDGER_LINE.ATTEMPT_EXPIRES_AT.isNotNull())
            .and(LEDGER_LINE.STATUS.in(OPEN))
            .execute()
        == 1;
  }

  /**
   * Gives up attempt {@code number}'s claim, if it is still the latest, so others need not wait.
   */
  void release(DSLContext tx, UUID lineId, long number) {
    tx.update(LEDGER_LINE)
        .setNull(LEDGER_LINE.ATTEMPT_EXPIRES_AT)
        .where(LEDGER_LINE.LINE_ID.eq(lineId))
        .and(LEDGER_LINE.ATTEMPT_NO.eq(number))
        .execute();
  }

  /**
   * A line as {@link #settleAttempt} or {@link #settle} leave it once they record an answer, built
   * without reading it back.
   */
  static BillingLine answered(
      BillingLine line, LineStatus status, String paymentId, String failureReason, Instant at) {
    return new BillingLine(
        line.id(),
        line.accountId(),
        line.type(),
        line.amount(),
        line.reference(),
        line.period(),
        status,
        paymentId,
        truncate(failureReason),
        line.idempotencyKey(),
        line.relatedLineId(),
        line.description(),
        line.createdAt(),
        status.isSettled() ? at : null);
  }

  /**
   * An instant cut to what a {@code timestamp(6)} column keeps, the microsecond, so that a line
   * built in memory with it equals the line stored.
   */
  static Instant stored(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }

  /** Records the gateway's answer on a line (a proration credit, with its charge's answer). */
  void settle(
      DSLContext tx,
      UUID lineId,
      LineStatus status,
      String paymentId,
      String failureReason,
      Instant at) {
    tx.update(LEDGER_LINE)
        .set(LEDGER_LINE.STATUS, status)
        .set(LEDGER_LINE.PAYMENT_ID, paymentId)
        .set(LEDGER_LINE.FAILURE_REASON, truncate(failureReason))
        .set(LEDGER_LINE.SETTLED_AT, status.isSettled() ? at(at) : null)
        .where(LEDGER_LINE.LINE_ID.eq(lineId))
        .execute();
  }

  long countOfAccount(DSLContext tx, String accountId) {
    return tx.fetchCount(LEDGER_LINE, LEDGER_LINE.ACCOUNT_ID.eq(accountId));
  }

  List<BillingLine> pageOfAccount(DSLContext tx, String accountId, int page, int size) {
    return lines(
        tx,
        tx.selectFrom(LEDGER_LINE)
            .where(LEDGER_LINE.ACCOUNT_ID.eq(accountId))
            .orderBy(LEDGER_LINE.CREATED_AT.desc(), LEDGER_LINE.SEQ.desc())
            .limit(size)
            .offset((long) (page - 1) * size)
            .fetch());
  }

  List<BillingLine> ofReference(DSLContext tx, String referenceId) {
    return lines(
        tx,
        tx.selectFrom(LEDGER_LINE)
            .where(LEDGER_LINE.REFERENCE_ID.eq(referenceId))
            .orderBy(LEDGER_LINE.CREATED_AT, LEDGER_LINE.SEQ)
            .fetch());
  }

  /**
   * The charges, proration charges and refunds still pending that were written by {@code cutoff}
   * and have no attempt in progress at {@code now} (none, or one whose claim lapsed).
   */
  List<UUID> pendingLeads(DSLContext tx, Instant cutoff, Instant now, int limit) {
    return tx.select(LEDGER_LINE.LINE_ID)
        .from(LEDGER_LINE)
        .where(LEDGER_LINE.STATUS.eq(LineStatus.PENDING))
        .and(LEDGER_LINE.LINE_TYPE.in(PAYMENT_LEADS))
        .and(LEDGER_LINE.CREATED_AT.le(at(cutoff)))
        .and(LEDGER_LINE.ATTEMPT_EXPIRES_AT.isNull().or(LEDGER_LINE.ATTEMPT_EXPIRES_AT.le(at(now))))
        .orderBy(LEDGER_LINE.CREATED_AT, LEDGER_LINE.SEQ)
        .limit(limit)
        .fetch(LEDGER_LINE.LINE_ID);
  }

  /** Revenue of the lines settled in {@code [from, to)}, grouped by tag values and currency. */
  List<RevenueTotal> revenue(DSLContext tx, List<String> tagKeys, Instant from, Instant to) {
    Table<?> source = LEDGER_LINE;
    List<Field<String>> values = new ArrayList<>();
    for (int i = 0; i < tagKeys.size(); i++) {
      LineTag tag = LINE_TAG.as("tag_" + i);
      source =
          source
              .join(tag)
              .on(tag.LINE_ID.eq(LEDGER_LINE.LINE_ID).and(tag.TAG_KEY.eq(tagKeys.get(i))));
      values.add(tag.TAG_VALUE);
    }
    Field<BigDecimal> charged =
        sum(
            when(
                    LEDGER_LINE.LINE_TYPE.in(
                        LineType.CHARGE, LineType.RENEWAL, LineType.PRORATION_CHARGE),
                    LEDGER_LINE.AMOUNT)
                .otherwise(0L));
    Field<BigDecimal> credited =
        sum(
            when(LEDGER_LINE.LINE_TYPE.eq(LineType.PRORATION_CREDIT), LEDGER_LINE.AMOUNT.neg())
                .otherwise(0L));
    Field<BigDecimal> refunded =
        sum(
            when(LEDGER_LINE.LINE_TYPE.eq(LineType.REFUND), LEDGER_LINE.AMOUNT.neg())
                .otherwise(0L));
    Field<Integer> lines = count();
    List<Field<?>> groups = new ArrayList<>(values);
    groups.add(LEDGER_LINE.CURRENCY);
    List<Field<?>> selected = new ArrayList<>(groups);
    selected.addAll(List.of(charged, credited, refunded, lines));
    List<RevenueTotal> totals = new ArrayList<>();
    for (Record row :
        tx.select(selected)
            .from(source)
            .where(LEDGER_LINE.STATUS.in(SETTLED))
            .and(LEDGER_LINE.SETTLED_AT.ge(at(from)))
            .and(LEDGER_LINE.SETTLED_AT.lt(at(to)))
            .groupBy(groups)
            .orderBy(groups)
            .fetch()) {
      Map<String, String> tags = new LinkedHashMap<>();
      for (int i = 0; i < tagKeys.size(); i++) {
        tags.put(tagKeys.get(i), row.get(values.get(i)));
      }
      Currency currency = Currency.getInstance(row.get(LEDGER_LINE.CURRENCY));
      totals.add(
          new RevenueTotal(
              tags,
              new Money(row.get(charged).longValueExact(), currency),
              new Money(row.get(credited).longValueExact(), currency),
              new Money(row.get(refunded).longValueExact(), currency),
              row.get(lines)));
    }
    return totals;
  }

  // ---------------------------------------------------------------- helpers

  private static Optional<StoredLine> first(DSLContext tx, ResultQuery<LedgerLineRecord> select) {
    LedgerLineRecord record = select.fetchOne();
    if (record == null) {
      return Optional.empty();
    }
    BillingLine line = toLines(List.of(record), tagsOf(tx, List.of(record.getLineId()))).get(0);
    OffsetDateTime expiresAt = record.getAttemptExpiresAt();
    Attempt attempt =
        new Attempt(record.getAttemptNo(), expiresAt == null ? null : expiresAt.toInstant());
    return Optional.of(new StoredLine(line, record.getRequestFingerprint(), attempt));
  }

  private static List<BillingLine> lines(DSLContext tx, List<LedgerLineRecord> records) {
    if (records.isEmpty()) {
      return List.of();
    }
    return toLines(records, tagsOf(tx, records.stream().map(LedgerLineRecord::getLineId).toList()));
  }

  private static Map<UUID, Map<String, String>> tagsOf(DSLContext tx, Collection<UUID> lineIds) {
    Map<UUID, Map<String, String>> tags = new HashMap<>();
    tx.selectFrom(LINE_TAG)
        .where(LINE_TAG.LINE_ID.in(lineIds))
        .fetch()
        .forEach(
            tag ->
                tags.computeIfAbsent(tag.getLineId(), id -> new TreeMap<>())
                    .put(tag.getTagKey(), tag.getTagValue()));
    return tags;
  }

  private static List<BillingLine> toLines(
      List<LedgerLineRecord> records, Map<UUID, Map<String, String>> tags) {
    List<BillingLine> lines = new ArrayList<>(records.size());
    for (LedgerLineRecord r : records) {
      lines.add(
          new BillingLine(
              r.getLineId(),
              r.getAccountId(),
              r.getLineType(),
              new Money(r.getAmount(), Currency.getInstance(r.getCurrency())),
              new BillingReference(r.getReferenceId(), tags.getOrDefault(r.getLineId(), Map.of())),
              new BillingPeriod(r.getPeriodStart().toInstant(), r.getPeriodEnd().toInstant()),
              r.getStatus(),
              r.getPaymentId(),
              r.getFailureReason(),
              r.getIdempotencyKey(),
              r.getRelatedLineId(),
              r.getDescription(),
              r.getCreatedAt().toInstant(),
              r.getSettledAt() == null ? null : r.getSettledAt().toInstant()));
    }
    return lines;
  }

  private static String truncate(String text) {
    if (text == null || text.length() <= BillingKeys.MAX_TEXT_LENGTH) {
      return text;
    }
    return text.substring(0, BillingKeys.MAX_TEXT_LENGTH);
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  /** The SHA-256 of a request's parts: what an idempotency key is bound to. */
  static String fingerprint(Object... parts) {
    return Sha256.fingerprint(parts);
  }
}
