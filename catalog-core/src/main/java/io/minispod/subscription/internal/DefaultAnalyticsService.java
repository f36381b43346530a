package io.minispod.subscription.internal;

import static io.minispod.catalog.internal.Columns.at;
import static io.minispod.catalog.internal.db.Tables.PLAN;
import static io.minispod.catalog.internal.db.Tables.SERVICE;
import static io.minispod.catalog.internal.db.Tables.SUBSCRIBE_ATTEMPT;
import static io.minispod.catalog.internal.db.Tables.SUBSCRIPTION;
import static io.minispod.catalog.internal.db.Tables.USAGE_SAMPLE;
import static io.minispod.catalog.internal.db.Tables.WORKFLOW;
import static org.jooq.impl.DSL.avg;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.extract;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.floor;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.percentileCont;
import static org.jooq.impl.DSL.round;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.trueCondition;
import static org.jooq.impl.DSL.values;
import static org.jooq.impl.DSL.when;

import io.minispod.ErrorCode;
import io.minispod.FieldErrors;
import io.minispod.billing.BillingInterval;
import io.minispod.billing.BillingService;
import io.minispod.billing.RevenueTotal;
import io.minispod.catalog.internal.db.tables.Plan;
import io.minispod.catalog.internal.db.tables.Workflow;
import io.minispod.quota.PoolAvailability;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.AnalyticsService;
import io.minispod.subscription.MonthlyChurn;
import io.minispod.subscription.PlanUsage;
import io.minispod.subscription.PlanUsage.UsageShare;
import io.minispod.subscription.PlanUtilisation;
import io.minispod.subscription.RecurringRevenue;
import io.minispod.subscription.SubscribeConversion;
import io.minispod.subscription.SubscriptionAnalytics;
import io.minispod.subscription.SubscriptionAnalytics.DailyCount;
import io.minispod.subscription.SubscriptionAnalytics.StatusCount;
import io.minispod.subscription.UpgradeAdoption;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DatePart;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.Row2;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/** Aggregates over subscriptions and workflows, quota-core's figures and billing's revenue. */
final class DefaultAnalyticsService implements AnalyticsService {

  private final DSLContext dsl;
  private final QuotaManager quota;
  private final BillingService billing;

  DefaultAnalyticsService(DSLContext dsl, QuotaManager quota, BillingService billing) {
    this.dsl = dsl;
    this.quota = quota;
    this.billing = billing;
  }

  @Override
  public SubscriptionAnalytics subscriptions(Instant from, Instant to) {
    checkRange(from, to);
    List<StatusCount> counts =
        dsl.select(SERVICE.SLUG, PLAN.SLUG, SUBSCRIPTION.STATUS, count())
            .from(SUBSCRIPTION)
            .join(PLAN)
            .on(PLAN.PLAN_ID.eq(SUBSCRIPTION.PLAN_ID))
            .join(SERVICE)
            .on(SERVICE.SERVICE_ID.eq(SUBSCRIPTION.SERVICE_ID))
            .groupBy(SERVICE.SLUG, PLAN.SLUG, SUBSCRIPTION.STATUS)
            .orderBy(SERVICE.SLUG, PLAN.SLUG, SUBSCRIPTION.STATUS)
            .fetch(r -> new StatusCount(r.value1(), r.value2(), r.value3(), r.value4()));
    List<DailyCount> created =
        perDay(
            SUBSCRIPTION.CREATED_AT,
            dsl.select(SUBSCRIPTION.CREATED_AT)
                .from(SUBSCRIPTION)
                .where(within(SUBSCRIPTION.CREATED_AT, from, to))
                .asTable("created"));
    List<DailyCount> upgrades =
        perDay(
            WORKFLOW.UPDATED_AT,
            dsl.select(WORKFLOW.UPDATED_AT)
                .from(WORKFLOW)
                .where(isSucceeded(WORKFLOW, UpgradeWorkflow.KIND))
                .and(within(WORKFLOW.UPDATED_AT, from, to))
                .asTable("upgraded"));
    return new SubscriptionAnalytics(counts, created, upgrades);
  }

  /**
   * How many rows of a table fall on each day (UTC), counted in SQL: days are numbered from the
   * epoch's seconds, which do not depend on the session's time zone.
   */
  private List<DailyCount> perDay(Field<OffsetDateTime> column, Table<?> rows) {
    Field<BigDecimal> day =
        floor(epoch(rows.field(column.getName(), OffsetDateTime.class)).div(inline(SECONDS_A_DAY)));
    return dsl.select(day, count())
        .from(rows)
        .groupBy(day)
        .orderBy(day)
        .fetch(r -> new DailyCount(LocalDate.ofEpochDay(r.value1().longValueExact()), r.value2()));
  }

  @Override
  public List<PlanUtilisation> quotaUtilisation() {
    List<Record> plans =
        dsl.select(SERVICE.SLUG, PLAN.PLAN_ID, PLAN.SLUG, PLAN.NAME)
            .from(PLAN)
            .join(SERVICE)
            .on(SERVICE.SERVICE_ID.eq(PLAN.SERVICE_ID))
            .orderBy(SERVICE.SLUG, PLAN.TIER)
            .fetch()
            .map(r -> (Record) r);
    if (plans.isEmpty()) {
      return List.of();
    }
    Map<String, PoolAvailability> pools =
        quota
            .availability(
                plans.stream()
                    .map(r -> io.minispod.catalog.Plan.poolKey(r.get(PLAN.PLAN_ID)))
                    .toList())
            .stream()
            .collect(Collectors.toMap(PoolAvailability::poolKey, Function.identity()));
    return plans.stream()
        .map(
            r -> {
              PoolAvailability pool =
                  pools.get(io.minispod.catalog.Plan.poolKey(r.get(PLAN.PLAN_ID)));
              return new PlanUtilisation(
                  r.get(SERVICE.SLUG),
                  r.get(PLAN.SLUG),
                  r.get(PLAN.NAME),
                  pool.total(),
                  pool.used());
            })
        .toList();
  }

  @Override
  public List<RevenueTotal> revenue(Instant from, Instant to) {
    checkRange(from, to);
    return billing.revenue(List.of("service", "plan"), from, to);
  }

  // ---------------------------------------------------------------- over months

  /** Months are reported for at most this long a range, so that a query stays bounded. */
  private static final int MAX_MONTHS = 120;

  private static final String NEW = "NEW";
  private static final String CHANGE = "CHANGE";
  private static final String CHURN = "CHURN";

  @Override
  public List<RecurringRevenue> recurringRevenue(Instant from, Instant to, String serviceSlug) {
    Table<?> months = months(from, to);
    Field<OffsetDateTime> monthStart = months.field(MONTH_START, OffsetDateTime.class);
    Field<OffsetDateTime> monthEnd = months.field(MONTH_END, OffsetDateTime.class);
    Table<?> events = mrrEvents(serviceSlug);
    Field<OffsetDateTime> at = events.field("at", OffsetDateTime.class);
    Field<String> currency = events.field("currency", String.class);
    Field<String> kind = events.field("kind", String.class);
    Field<BigDecimal> delta = events.field("delta", BigDecimal.class);
    Condition inMonth = at.ge(monthStart);
    return dsl.select(
            monthStart,
            currency,
            round(sum(delta)),
            round(sum(delta).mul(12)),
            movement(delta, inMonth.and(kind.eq(NEW))),
            movement(delta, inMonth.and(kind.eq(CHANGE)).and(delta.gt(BigDecimal.ZERO))),
            movement(delta.neg(), inMonth.and(kind.eq(CHANGE)).and(delta.lt(BigDecimal.ZERO))),
            movement(delta.neg(), inMonth.and(kind.eq(CHURN))))
        .from(months)
        .join(events)
        .on(at.lt(monthEnd))
        .groupBy(monthStart, currency)
        .orderBy(monthStart, currency)
        .fetch(
            r ->
                new RecurringRevenue(
                    month(r.value1()),
                    r.value2(),
                    r.value3().longValueExact(),
                    r.value4().longValueExact(),
                    r.value5().longValueExact(),
                    r.value6().longValueExact(),
                    r.value7().longValueExact(),
                    r.value8().longValueExact()));
  }

  /** The sum of the deltas that meet a condition, rounded to minor units; 0 for none. */
  private static Field<BigDecimal> movement(Field<BigDecimal> delta, Condition condition) {
    return coalesce(round(sum(delta).filterWhere(condition)), BigDecimal.ZERO);
  }

  /**
   * Everything that moved MRR, with its time, currency and signed amount (numeric, unrounded): a
   * subscription's start on its first plan, a plan change (an upgrade workflow that succeeded, from
   * its old plan's MRR to its new one's), a cancel (a cancel workflow that succeeded, of the plan
   * it cancelled).
   */
  private Table<?> mrrEvents(String serviceSlug) {
    Workflow subscribed = WORKFLOW.as("subscribed");
    Plan first = PLAN.as("first_plan");
    Workflow changed = WORKFLOW.as("changed");
    Plan before = PLAN.as("before_plan");
    Plan after = PLAN.as("after_plan");
    Workflow cancelled = WORKFLOW.as("cancelled");
    Plan last = PLAN.as("last_plan");
    return dsl.select(
            SUBSCRIPTION.CREATED_AT.as("at"),
            first.PRICE_CURRENCY.as("currency"),
            inline(NEW).as("kind"),
            monthly(first).as("delta"))
        .from(SUBSCRIPTION)
        .join(subscribed)
        .on(succeeded(subscribed, SubscribeWorkflow.KIND))
        .join(first)
        .on(first.PLAN_ID.eq(subscribed.TO_PLAN_ID))
        .where(ofService(first, serviceSlug))
        .unionAll(
            dsl.select(
                    changed.UPDATED_AT,
                    after.PRICE_CURRENCY,
                    inline(CHANGE),
                    monthly(after).minus(monthly(before)))
                .from(changed)
                .join(before)
                .on(before.PLAN_ID.eq(changed.FROM_PLAN_ID))
                .join(after)
                .on(after.PLAN_ID.eq(changed.TO_PLAN_ID))
                .where(isPlanChange(changed))
                .and(ofService(after, serviceSlug)))
        .unionAll(
            dsl.select(
                    cancelled.UPDATED_AT, last.PRICE_CURRENCY, inline(CHURN), monthly(last).neg())
                .from(cancelled)
                .join(last)
                .on(last.PLAN_ID.eq(cancelled.FROM_PLAN_ID))
                .where(isSucceeded(cancelled, CancelWorkflow.KIND))
                .and(ofService(last, serviceSlug))
                .andExists(
                    selectOne()
                        .from(subscribed)
                        .where(isSucceeded(subscribed, SubscribeWorkflow.KIND))
                        .and(subscribed.SUBSCRIPTION_ID.eq(cancelled.SUBSCRIPTION_ID))))
        .asTable("mrr_event");
  }

  /** A plan's price per month, exact (numeric): a yearly price over 12. */
  private static Field<BigDecimal> monthly(Plan plan) {
    Field<BigDecimal> amount = plan.PRICE_AMOUNT.cast(SQLDataType.NUMERIC);
    return when(plan.PRICE_PERIOD.eq(BillingInterval.YEARLY), amount.div(inline(12)))
        .otherwise(amount);
  }

  @Override
  public List<MonthlyChurn> churn(Instant from, Instant to, String serviceSlug) {
    Table<?> months = months(from, to);
    Field<OffsetDateTime> monthStart = months.field(MONTH_START, OffsetDateTime.class);
    Field<OffsetDateTime> monthEnd = months.field(MONTH_END, OffsetDateTime.class);
    Workflow subscribed = WORKFLOW.as("subscribed");
    Workflow cancelled = WORKFLOW.as("cancelled");
    Table<?> lives =
        dsl.select(
                SUBSCRIPTION.CREATED_AT.as("started_at"),
                cancelled.UPDATED_AT.as("cancelled_at"),
                cancelled.IDEMPOTENCY_KEY.as("cancel_key"))
            .from(SUBSCRIPTION)
            .join(subscribed)
            .on(succeeded(subscribed, SubscribeWorkflow.KIND))
            .leftJoin(cancelled)
            .on(succeeded(cancelled, CancelWorkflow.KIND))
            .where(ofService(SUBSCRIPTION.SERVICE_ID, serviceSlug))
            .asTable("life");
    Field<OffsetDateTime> started = lives.field("started_at", OffsetDateTime.class);
    Field<OffsetDateTime> ended = lives.field("cancelled_at", OffsetDateTime.class);
    Field<String> key = lives.field("cancel_key", String.class);
    Condition endedInMonth = ended.ge(monthStart).and(ended.lt(monthEnd));
    return dsl.select(
            monthStart,
            count()
                .filterWhere(started.lt(monthStart).and(ended.isNull().or(ended.ge(monthStart)))),
            count().filterWhere(endedInMonth.and(key.ne(Renewals.CANCEL_AFTER_SUSPENSION))),
            count().filterWhere(endedInMonth.and(key.eq(Renewals.CANCEL_AFTER_SUSPENSION))))
        .from(months)
        .leftJoin(lives)
        .on(trueCondition())
        .groupBy(monthStart)
        .orderBy(monthStart)
        .fetch(
            r -> {
              long live = r.value2();
              long cancels = r.value3() + r.value4();
              return new MonthlyChurn(
                  month(r.value1()),
                  live,
                  cancels,
                  r.value3(),
                  r.value4(),
                  live == 0 ? null : (double) cancels / live);
            });
  }

  private static final String MONTH_START = "month_start";
  private static final String MONTH_END = "month_end";

  /**
   * The months (UTC) a range touches, as a table of their bounds: computed here rather than by
   * {@code generate_series} over {@code timestamptz}, whose month steps follow the session's time
   * zone.
   */
  private static Table<?> months(Instant from, Instant to) {
    checkRange(from, to);
    YearMonth first = YearMonth.from(from.atOffset(ZoneOffset.UTC));
    YearMonth last = YearMonth.from(to.minusNanos(1).atOffset(ZoneOffset.UTC));
    long count = ChronoUnit.MONTHS.between(first, last) + 1;
    FieldErrors errors = new FieldErrors();
    errors.require(
        count <= MAX_MONTHS, "to", "must be at most " + MAX_MONTHS + " months after from");
    errors.throwIfAny();
    List<Row2<OffsetDateTime, OffsetDateTime>> rows = new ArrayList<>();
    for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
      rows.add(row(startOf(m), startOf(m.plusMonths(1))));
    }
    @SuppressWarnings("unchecked")
    Row2<OffsetDateTime, OffsetDateTime>[] all = rows.toArray(Row2[]::new);
    return values(all).as("month", MONTH_START, MONTH_END);
  }

  private static OffsetDateTime startOf(YearMonth month) {
    return month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
  }

  private static YearMonth month(OffsetDateTime start) {
    return YearMonth.from(start.withOffsetSameInstant(ZoneOffset.UTC));
  }

  // ---------------------------------------------------------------- conversion

  /** The failure codes every conversion line shows, 0 when none occurred. */
  private static final List<ErrorCode> SHOWN_FAILURES =
      List.of(
          ErrorCode.QUOTA_EXCEEDED,
          ErrorCode.INSUFFICIENT_RESOURCES,
          ErrorCode.PAYMENT_FAILED,
          ErrorCode.PROVISIONING_FAILED,
          ErrorCode.DUPLICATE_SUBSCRIPTION);

  @Override
  public List<SubscribeConversion> conversion(Instant from, Instant to, String serviceSlug) {
    checkRange(from, to);
    Field<String> planSlug = coalesce(PLAN.SLUG, SUBSCRIBE_ATTEMPT.PLAN_SLUG);
    List<Field<?>> fields = new ArrayList<>();
    fields.add(SERVICE.SLUG);
    fields.add(planSlug);
    fields.add(count());
    fields.add(count().filterWhere(SUBSCRIBE_ATTEMPT.SUCCEEDED.isTrue()));
    fields.add(count().filterWhere(SUBSCRIBE_ATTEMPT.SUCCEEDED.isNull()));
    for (ErrorCode code : ErrorCode.values()) {
      fields.add(
          count()
              .filterWhere(
                  SUBSCRIBE_ATTEMPT
                      .SUCCEEDED
                      .isFalse()
                      .and(SUBSCRIBE_ATTEMPT.FAILURE_CODE.eq(code))));
    }
    return dsl.select(fields)
        .from(SUBSCRIBE_ATTEMPT)
        .join(SERVICE)
        .on(SERVICE.SERVICE_ID.eq(SUBSCRIBE_ATTEMPT.SERVICE_ID))
        .leftJoin(PLAN)
        .on(PLAN.PLAN_ID.eq(SUBSCRIBE_ATTEMPT.PLAN_ID))
        .where(within(SUBSCRIBE_ATTEMPT.CREATED_AT, from, to))
        .and(slugIs(serviceSlug))
        .groupBy(SERVICE.SLUG, planSlug, PLAN.TIER)
        .orderBy(SERVICE.SLUG, PLAN.TIER.asc().nullsLast(), planSlug)
        .fetch(
            r -> {
              Map<ErrorCode, Long> failures = new EnumMap<>(ErrorCode.class);
              ErrorCode[] codes = ErrorCode.values();
              for (int i = 0; i < codes.length; i++) {
                long n = r.get(5 + i, Long.class);
                if (n > 0 || SHOWN_FAILURES.contains(codes[i])) {
                  failures.put(codes[i], n);
                }
              }
              return new SubscribeConversion(
                  r.get(SERVICE.SLUG),
                  r.get(planSlug),
                  r.get(2, Long.class),
                  r.get(3, Long.class),
                  r.get(4, Long.class),
                  failures);
            });
  }

  // ---------------------------------------------------------------- upgrades

  @Override
  public UpgradeAdoption upgradeAdoption(Instant from, Instant to, String serviceSlug) {
    checkRange(from, to);
    Workflow subscribed = WORKFLOW.as("subscribed");
    Workflow upgrade = WORKFLOW.as("upgrade");
    Plan before = PLAN.as("before_plan");
    Plan after = PLAN.as("after_plan");
    // An upgrade is a plan change to a higher tier (a permissive policy may allow downgrades too).
    Field<OffsetDateTime> firstUpgrade =
        field(
                select(min(upgrade.UPDATED_AT))
                    .from(upgrade)
                    .join(before)
                    .on(before.PLAN_ID.eq(upgrade.FROM_PLAN_ID))
                    .join(after)
                    .on(after.PLAN_ID.eq(upgrade.TO_PLAN_ID))
                    .where(isPlanChange(upgrade))
                    .and(upgrade.SUBSCRIPTION_ID.eq(SUBSCRIPTION.SUBSCRIPTION_ID))
                    .and(after.TIER.gt(before.TIER)))
            .as("first_upgrade");
    Table<?> cohort =
        dsl.select(SUBSCRIPTION.CREATED_AT, firstUpgrade)
            .from(SUBSCRIPTION)
            .join(subscribed)
            .on(succeeded(subscribed, SubscribeWorkflow.KIND))
            .where(within(SUBSCRIPTION.CREATED_AT, from, to))
            .and(ofService(SUBSCRIPTION.SERVICE_ID, serviceSlug))
            .asTable("cohort");
    Field<OffsetDateTime> started =
        cohort.field(SUBSCRIPTION.CREATED_AT.getName(), OffsetDateTime.class);
    Field<OffsetDateTime> upgraded = cohort.field("first_upgrade", OffsetDateTime.class);
    Field<BigDecimal> days = epoch(upgraded).minus(epoch(started)).div(inline(SECONDS_A_DAY));
    Record3<Integer, Integer, BigDecimal> adoption =
        dsl.select(count(), count(upgraded), percentileCont(0.5).withinGroupOrderBy(days))
            .from(cohort)
            .fetchSingle();
    List<UpgradeAdoption.PlanChange> changes =
        dsl.select(SERVICE.SLUG, before.SLUG, after.SLUG, count())
            .from(upgrade)
            .join(before)
            .on(before.PLAN_ID.eq(upgrade.FROM_PLAN_ID))
            .join(after)
            .on(after.PLAN_ID.eq(upgrade.TO_PLAN_ID))
            .join(SERVICE)
            .on(SERVICE.SERVICE_ID.eq(after.SERVICE_ID))
            .where(isPlanChange(upgrade))
            .and(within(upgrade.UPDATED_AT, from, to))
            .and(slugIs(serviceSlug))
            .groupBy(SERVICE.SLUG, before.SLUG, before.TIER, after.SLUG, after.TIER)
            .orderBy(SERVICE.SLUG, before.TIER, after.TIER)
            .fetch(
                r ->
                    new UpgradeAdoption.PlanChange(r.value1(), r.value2(), r.value3(), r.value4()));
    return new UpgradeAdoption(
        adoption.value1(),
        adoption.value2(),
        adoption.value3() == null ? null : adoption.value3().doubleValue(),
        changes);
  }

  private static final BigDecimal SECONDS_A_DAY = BigDecimal.valueOf(86_400);

  private static Field<BigDecimal> epoch(Field<OffsetDateTime> instant) {
    return extract(instant, DatePart.EPOCH).cast(SQLDataType.NUMERIC);
  }

  // ---------------------------------------------------------------- utilisation

  @Override
  public List<PlanUsage> resourceUtilisation(Instant from, Instant to, String serviceSlug) {
    checkRange(from, to);
    return dsl.select(
            SERVICE.SLUG,
            PLAN.SLUG,
            count(),
            avg(USAGE_SAMPLE.CPU_RATIO),
            p95(USAGE_SAMPLE.CPU_RATIO),
            avg(USAGE_SAMPLE.MEMORY_RATIO),
            p95(USAGE_SAMPLE.MEMORY_RATIO),
            avg(USAGE_SAMPLE.STORAGE_RATIO),
            p95(USAGE_SAMPLE.STORAGE_RATIO))
        .from(USAGE_SAMPLE)
        .join(PLAN)
        .on(PLAN.PLAN_ID.eq(USAGE_SAMPLE.PLAN_ID))
        .join(SERVICE)
        .on(SERVICE.SERVICE_ID.eq(PLAN.SERVICE_ID))
        .where(within(USAGE_SAMPLE.SAMPLED_AT, from, to))
        .and(slugIs(serviceSlug))
        .groupBy(SERVICE.SLUG, PLAN.SLUG, PLAN.TIER)
        .orderBy(SERVICE.SLUG, PLAN.TIER)
        .fetch(
            r ->
                new PlanUsage(
                    r.value1(),
                    r.value2(),
                    r.value3(),
                    new UsageShare(r.value4().doubleValue(), r.value5().doubleValue()),
                    new UsageShare(r.value6().doubleValue(), r.value7().doubleValue()),
                    new UsageShare(r.value8().doubleValue(), r.value9().doubleValue())));
  }

  private static Field<BigDecimal> p95(Field<Double> ratio) {
    return percentileCont(0.95).withinGroupOrderBy(ratio);
  }

  // ---------------------------------------------------------------- shared

  /** Joins a workflow of a kind that succeeded to the subscription. */
  private static Condition succeeded(Workflow w, String kind) {
    return w.SUBSCRIPTION_ID.eq(SUBSCRIPTION.SUBSCRIPTION_ID).and(isSucceeded(w, kind));
  }

  /**
   * A plan change that happened: an upgrade, or a renewal that applied a change scheduled for the
   * end of the term (its plans differ).
   */
  private static Condition isPlanChange(Workflow w) {
    return isSucceeded(w, UpgradeWorkflow.KIND)
        .or(isSucceeded(w, RenewWorkflow.KIND).and(w.FROM_PLAN_ID.ne(w.TO_PLAN_ID)));
  }

  private static Condition isSucceeded(Workflow w, String kind) {
    return w.KIND.eq(kind).and(w.STATUS.eq(WorkflowStatus.SUCCEEDED));
  }

  /** Within {@code [from, to)}. */
  private static Condition within(Field<OffsetDateTime> time, Instant from, Instant to) {
    return time.ge(at(from)).and(time.lt(at(to)));
  }

  /** The joined service is the one asked for, if one was. */
  private static Condition slugIs(String serviceSlug) {
    return serviceSlug == null ? noCondition() : SERVICE.SLUG.eq(serviceSlug);
  }

  private static Condition ofService(Plan plan, String serviceSlug) {
    return ofService(plan.SERVICE_ID, serviceSlug);
  }

  private static Condition ofService(Field<UUID> serviceId, String serviceSlug) {
    return serviceSlug == null
        ? noCondition()
        : serviceId.eq(
            select(SERVICE.SERVICE_ID).from(SERVICE).where(SERVICE.SLUG.eq(serviceSlug)));
  }

  private static void checkRange(Instant from, Instant to) {
    FieldErrors errors = new FieldErrors();
    errors.require(from != null, "from", "must be given");
    errors.require(to != null, "to", "must be given");
    if (from != null && to != null) {
      errors.require(from.isBefore(to), "to", "must be after from");
    }
    errors.throwIfAny();
  }
}
