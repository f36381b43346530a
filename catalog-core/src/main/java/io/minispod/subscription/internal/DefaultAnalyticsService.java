package io.minispod.subscription.internal;

import static io.minispod.catalog.internal.Columns.at;
import static io.minispod.catalog.internal.db.Tables.PLAN;
import static io.minispod.catalog.internal.db.Tables.SERVICE;
import static io.minispod.catalog.internal.db.Tables.SUBSCRIPTION;
import static io.minispod.catalog.internal.db.Tables.WORKFLOW;
import static org.jooq.impl.DSL.count;

import io.minispod.FieldErrors;
import io.minispod.billing.BillingService;
import io.minispod.billing.RevenueTotal;
import io.minispod.catalog.Plan;
import io.minispod.quota.PoolAvailability;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.AnalyticsService;
import io.minispod.subscription.PlanUtilisation;
import io.minispod.subscription.SubscriptionAnalytics;
import io.minispod.subscription.SubscriptionAnalytics.DailyCount;
import io.minispod.subscription.SubscriptionAnalytics.StatusCount;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;

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
                .where(SUBSCRIPTION.CREATED_AT.ge(at(from)))
                .and(SUBSCRIPTION.CREATED_AT.lt(at(to)))
                .fetch());
    List<DailyCount> upgrades =
        perDay(
            WORKFLOW.UPDATED_AT,
            dsl.select(WORKFLOW.UPDATED_AT)
                .from(WORKFLOW)
                .where(WORKFLOW.KIND.eq(UpgradeWorkflow.KIND))
                .and(WORKFLOW.STATUS.eq(WorkflowStatus.SUCCEEDED))
                .and(WORKFLOW.UPDATED_AT.ge(at(from)))
                .and(WORKFLOW.UPDATED_AT.lt(at(to)))
                .fetch());
    return new SubscriptionAnalytics(counts, created, upgrades);
  }

  private static List<DailyCount> perDay(Field<OffsetDateTime> field, List<? extends Record> rows) {
    Map<LocalDate, Long> days =
        rows.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.get(field).atZoneSameInstant(ZoneOffset.UTC).toLocalDate(),
                    TreeMap::new,
                    Collectors.counting()));
    return days.entrySet().stream().map(e -> new DailyCount(e.getKey(), e.getValue())).toList();
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
            .availability(plans.stream().map(r -> Plan.poolKey(r.get(PLAN.PLAN_ID))).toList())
            .stream()
            .collect(Collectors.toMap(PoolAvailability::poolKey, Function.identity()));
    return plans.stream()
        .map(
            r -> {
              PoolAvailability pool = pools.get(Plan.poolKey(r.get(PLAN.PLAN_ID)));
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
