package io.minispod.catalog.internal;

import static io.minispod.catalog.internal.Columns.at;
import static io.minispod.catalog.internal.db.Tables.CATEGORY;
import static io.minispod.catalog.internal.db.Tables.PLAN;
import static io.minispod.catalog.internal.db.Tables.SERVICE;
import static io.minispod.catalog.internal.db.Tables.SERVICE_SEARCH_TERM;
import static io.minispod.catalog.internal.db.Tables.SERVICE_TAG;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.exists;
import static org.jooq.impl.DSL.lower;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.or;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.selectOne;
import static org.jooq.impl.DSL.when;

import io.minispod.billing.BillingInterval;
import io.minispod.billing.Money;
import io.minispod.billing.Price;
import io.minispod.catalog.CategoryDraft;
import io.minispod.catalog.CategoryRef;
import io.minispod.catalog.Page;
import io.minispod.catalog.PageRequest;
import io.minispod.catalog.Plan;
import io.minispod.catalog.SearchQuery;
import io.minispod.catalog.SearchSort;
import io.minispod.catalog.ServiceCategory;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.ServiceStatus;
import io.minispod.catalog.ServiceStructure;
import io.minispod.catalog.internal.db.tables.records.CategoryRecord;
import io.minispod.catalog.internal.db.tables.records.PlanRecord;
import io.minispod.catalog.internal.db.tables.records.ServiceRecord;
import io.minispod.catalog.internal.db.tables.records.ServiceSearchTermRecord;
import io.minispod.catalog.internal.db.tables.records.ServiceTagRecord;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep3;
import org.jooq.Record;
import org.jooq.SortField;
import org.jooq.impl.DSL;

/**
 * Every query of the catalog, typed by the generated jOOQ classes. Methods take the context to run
 * in, so the admin can group several into one transaction; none commits or translates errors (the
 * admin does, at its boundary).
 */
final class CatalogStore {

  /** A plan's price per month: yearly prices spread over twelve months, rounded up. */
  private static final Field<Long> MONTHLY_PRICE =
      when(PLAN.PRICE_PERIOD.eq(BillingInterval.YEARLY), PLAN.PRICE_AMOUNT.plus(11).div(12))
          .otherwise(PLAN.PRICE_AMOUNT);

  // ---- categories

  List<ServiceCategory> categories(DSLContext dsl) {
    return categoryQuery(dsl, null);
  }

  Optional<ServiceCategory> category(DSLContext dsl, String slug) {
    return categoryQuery(dsl, CATEGORY.SLUG.eq(slug)).stream().findFirst();
  }

  private List<ServiceCategory> categoryQuery(DSLContext dsl, Condition condition) {
    Field<Integer> services = count(SERVICE.SERVICE_ID);
    return dsl.select(
            CATEGORY.CATEGORY_ID,
            CATEGORY.SLUG,
            CATEGORY.NAME,
            CATEGORY.DESCRIPTION,
            CATEGORY.DISPLAY_ORDER,
            services)
        .from(CATEGORY)
        .leftJoin(SERVICE)
        .on(
            SERVICE
                .CATEGORY_ID
                .eq(CATEGORY.CATEGORY_ID)
                .and(SERVICE.STATUS.eq(ServiceStatus.ACTIVE)))
        .where(condition == null ? DSL.noCondition() : condition)
        .groupBy(CATEGORY.CATEGORY_ID)
        .orderBy(CATEGORY.DISPLAY_ORDER, lower(CATEGORY.NAME), CATEGORY.SLUG)
        .fetch(
            r ->
                new ServiceCategory(
                    r.get(CATEGORY.CATEGORY_ID),
                    r.get(CATEGORY.SLUG),
                    r.get(CATEGORY.NAME),
                    r.get(CATEGORY.DESCRIPTION),
                    r.get(CATEGORY.DISPLAY_ORDER),
                    r.get(services)));
  }

  Optional<CategoryRecord> categoryRecord(DSLContext dsl, String slug) {
    return dsl.selectFrom(CATEGORY).where(CATEGORY.SLUG.eq(slug)).fetchOptional();
  }

  void insertCategory(DSLContext dsl, UUID id, CategoryDraft draft, Instant now) {
    CategoryRecord record = dsl.newRecord(CATEGORY);
    record.setCategoryId(id);
    record.setSlug(draft.slug());
    record.setName(draft.name());
    record.setDescription(draft.description() == null ? "" : draft.description());
    record.setDisplayOrder(draft.displayOrder() == null ? 0 : draft.displayOrder());
    record.setCreatedAt(at(now));
    record.setUpdatedAt(at(now));
    record.insert();
  }

  // ---- services with their plans

  /** Active services by slug, with all their plans. */
  List<ServiceStructure> activeServices(DSLContext dsl, Collection<String> slugs) {
    return services(dsl, SERVICE.SLUG.in(slugs).and(SERVICE.STATUS.eq(ServiceStatus.ACTIVE)), null);
  }

  Optional<ServiceStructure> service(DSLContext dsl, UUID serviceId) {
    return services(dsl, SERVICE.SERVICE_ID.eq(serviceId), null).stream().findFirst();
  }

  Optional<ServiceStructure> service(DSLContext dsl, String slug) {
    return services(dsl, SERVICE.SLUG.eq(slug), null).stream().findFirst();
  }

  /** A page of every service, archived ones included, by name. */
  Page<ServiceDefinition> allServices(DSLContext dsl, PageRequest page) {
    int total = dsl.fetchCount(SERVICE);
    List<UUID> ids =
        dsl.select(SERVICE.SERVICE_ID)
            .from(SERVICE)
            .orderBy(lower(SERVICE.NAME), SERVICE.SLUG)
            .limit(page.size())
            .offset(page.offset())
            .fetch(SERVICE.SERVICE_ID);
    List<ServiceDefinition> definitions = new ArrayList<>();
    for (ServiceStructure s :
        services(
            dsl,
            SERVICE.SERVICE_ID.in(ids),
            List.of(lower(SERVICE.NAME).asc(), SERVICE.SLUG.asc()))) {
      definitions.add(s.definition());
    }
    return new Page<>(definitions, page.page(), page.size(), total);
  }

  /**
   * Services matching a condition with their category, tags and plans: three queries, whatever the
   * number of services.
   */
  private List<ServiceStructure> services(
      DSLContext dsl, Condition condition, List<SortField<?>> order) {
    var rows =
        dsl.select(SERVICE.asterisk(), CATEGORY.SLUG, CATEGORY.NAME)
            .from(SERVICE)
            .join(CATEGORY)
            .on(CATEGORY.CATEGORY_ID.eq(SERVICE.CATEGORY_ID))
            .where(condition)
            .orderBy(order == null ? List.of(SERVICE.SLUG.asc()) : order)
            .fetch();
    if (rows.isEmpty()) {
      return List.of();
    }
    List<UUID> ids = rows.getValues(SERVICE.SERVICE_ID);
    Map<UUID, List<String>> tags = new HashMap<>();
    dsl.select(SERVICE_TAG.SERVICE_ID, SERVICE_TAG.TAG)
        .from(SERVICE_TAG)
        .where(SERVICE_TAG.SERVICE_ID.in(ids))
        .orderBy(SERVICE_TAG.SERVICE_ID, SERVICE_TAG.POSITION)
        .forEach(r -> tags.computeIfAbsent(r.value1(), id -> new ArrayList<>()).add(r.value2()));
    Map<UUID, List<Plan>> plans = new HashMap<>();
    dsl.selectFrom(PLAN)
        .where(PLAN.SERVICE_ID.in(ids))
        .orderBy(PLAN.SERVICE_ID, PLAN.TIER)
        .forEach(
            r -> plans.computeIfAbsent(r.getServiceId(), id -> new ArrayList<>()).add(plan(r)));
    List<ServiceStructure> structures = new ArrayList<>(rows.size());
    for (Record row : rows) {
      ServiceRecord s = row.into(SERVICE);
      ServiceDefinition definition =
          new ServiceDefinition(
              s.getServiceId(),
              s.getSlug(),
              s.getName(),
              new CategoryRef(s.getCategoryId(), row.get(CATEGORY.SLUG), row.get(CATEGORY.NAME)),
              s.getDescription(),
              tags.getOrDefault(s.getServiceId(), List.of()),
              TemplateCodec.readTemplate(s.getTemplate()),
              s.getStatus(),
              s.getCreatedAt().toInstant(),
              s.getUpdatedAt().toInstant(),
              s.getArchivedAt() == null ? null : s.getArchivedAt().toInstant());
      structures.add(
          new ServiceStructure(definition, plans.getOrDefault(s.getServiceId(), List.of())));
    }
    return structures;
  }

  /** Locks a service's row for the rest of the transaction. */
  Optional<ServiceRecord> lockService(DSLContext dsl, UUID serviceId) {
    return dsl.selectFrom(SERVICE)
        .where(SERVICE.SERVICE_ID.eq(serviceId))
        .forUpdate()
        .fetchOptional();
  }

  void insertService(
      DSLContext dsl,
      UUID id,
      String slug,
      String name,
      UUID categoryId,
      String description,
      List<String> tags,
      AppTemplate template,
      Instant now) {
    ServiceRecord record = dsl.newRecord(SERVICE);
    record.setServiceId(id);
    record.setSlug(slug);
    record.setName(name);
    record.setCategoryId(categoryId);
    record.setDescription(description);
    record.setStatus(ServiceStatus.ACTIVE);
    record.setTemplate(TemplateCodec.write(template));
    record.setCreatedAt(at(now));
    record.setUpdatedAt(at(now));
    record.insert();
    writeTagsAndTerms(dsl, id, name, tags, description);
  }

  void updateService(
      DSLContext dsl,
      ServiceRecord record,
      String slug,
      String name,
      UUID categoryId,
      String description,
      List<String> tags,
      AppTemplate template,
      Instant now) {
    record.setSlug(slug);
    record.setName(name);
    record.setCategoryId(categoryId);
    record.setDescription(description);
    record.setTemplate(TemplateCodec.write(template));
    record.setUpdatedAt(at(now));
    record.update();
    dsl.deleteFrom(SERVICE_TAG).where(SERVICE_TAG.SERVICE_ID.eq(record.getServiceId())).execute();
    dsl.deleteFrom(SERVICE_SEARCH_TERM)
        .where(SERVICE_SEARCH_TERM.SERVICE_ID.eq(record.getServiceId()))
        .execute();
    writeTagsAndTerms(dsl, record.getServiceId(), name, tags, description);
  }

  void setStatus(DSLContext dsl, ServiceRecord record, ServiceStatus status, Instant now) {
    record.setStatus(status);
    record.setArchivedAt(status == ServiceStatus.ARCHIVED ? at(now) : null);
    record.setUpdatedAt(at(now));
    record.update();
  }

  private void writeTagsAndTerms(
      DSLContext dsl, UUID serviceId, String name, List<String> tags, String description) {
    if (!tags.isEmpty()) {
      InsertValuesStep3<ServiceTagRecord, UUID, String, Short> insertTags =
          dsl.insertInto(
              SERVICE_TAG, SERVICE_TAG.SERVICE_ID, SERVICE_TAG.TAG, SERVICE_TAG.POSITION);
      for (int i = 0; i < tags.size(); i++) {
        insertTags = insertTags.values(serviceId, tags.get(i), (short) i);
      }
      insertTags.execute();
    }
    Map<String, Short> terms = SearchText.terms(name, tags, description);
    if (!terms.isEmpty()) {
      InsertValuesStep3<ServiceSearchTermRecord, UUID, String, Short> insertTerms =
          dsl.insertInto(
              SERVICE_SEARCH_TERM,
              SERVICE_SEARCH_TERM.SERVICE_ID,
              SERVICE_SEARCH_TERM.TERM,
              SERVICE_SEARCH_TERM.WEIGHT);
      for (Map.Entry<String, Short> term : terms.entrySet()) {
        insertTerms = insertTerms.values(serviceId, term.getKey(), term.getValue());
      }
      insertTerms.execute();
    }
  }

  // ---- listing and search

  /** The ids of every active service matching the key, in the key's order. */
  List<UUID> search(DSLContext dsl, SearchKey key) {
    Condition condition = SERVICE.STATUS.eq(ServiceStatus.ACTIVE);
    if (key.categorySlug() != null) {
      condition = condition.and(CATEGORY.SLUG.eq(key.categorySlug()));
    }
    if (key.tag() != null) {
      condition =
          condition.and(
              exists(
                  selectOne()
                      .from(SERVICE_TAG)
                      .where(
                          SERVICE_TAG.SERVICE_ID.eq(SERVICE.SERVICE_ID),
                          SERVICE_TAG.TAG.eq(key.tag()))));
    }
    List<Condition> wordMatches = new ArrayList<>();
    for (String word : key.words()) {
      Condition matches = SERVICE_SEARCH_TERM.TERM.like(SearchText.prefixPattern(word), '!');
      wordMatches.add(matches);
      condition =
          condition.and(
              exists(
                  selectOne()
                      .from(SERVICE_SEARCH_TERM)
                      .where(SERVICE_SEARCH_TERM.SERVICE_ID.eq(SERVICE.SERVICE_ID), matches)));
    }
    // Prices are compared within one currency only: SearchQuery requires a currency with maxPrice.
    Condition pricedPlan = PLAN.SERVICE_ID.eq(SERVICE.SERVICE_ID).and(PLAN.ACTIVE.isTrue());
    if (key.currency() != null) {
      pricedPlan = pricedPlan.and(PLAN.PRICE_CURRENCY.eq(key.currency()));
    }
    if (key.maxPrice() != null) {
      condition =
          condition.and(
              exists(selectOne().from(PLAN).where(pricedPlan, MONTHLY_PRICE.le(key.maxPrice()))));
    } else if (key.currency() != null) {
      condition = condition.and(exists(selectOne().from(PLAN).where(pricedPlan)));
    }
    List<SortField<?>> order = new ArrayList<>();
    switch (key.sort()) {
      case RELEVANCE -> {
        // Joined and grouped rather than a subquery per service: one scan of the matching terms.
        return dsl.select(SERVICE.SERVICE_ID)
            .from(SERVICE)
            .join(CATEGORY)
            .on(CATEGORY.CATEGORY_ID.eq(SERVICE.CATEGORY_ID))
            .join(SERVICE_SEARCH_TERM)
            .on(SERVICE_SEARCH_TERM.SERVICE_ID.eq(SERVICE.SERVICE_ID), or(wordMatches))
            .where(condition)
            .groupBy(SERVICE.SERVICE_ID)
            .orderBy(
                min(SERVICE_SEARCH_TERM.WEIGHT).asc(),
                lower(SERVICE.NAME).asc(),
                SERVICE.SLUG.asc())
            .fetch(SERVICE.SERVICE_ID);
      }
      case PRICE -> {
        // Grouped by currency, then by amount within it: the service's cheapest active plan by
        // (currency, monthly equivalent), never an amount of one currency against another's.
        for (Field<?> part : List.<Field<?>>of(PLAN.PRICE_CURRENCY, MONTHLY_PRICE)) {
          order.add(
              select(part)
                  .from(PLAN)
                  .where(pricedPlan)
                  .orderBy(PLAN.PRICE_CURRENCY, MONTHLY_PRICE)
                  .limit(1)
                  .asField()
                  .asc()
                  .nullsLast());
        }
      }
      default -> {
        // NAME: the tie-breakers below are the whole order.
      }
    }
    order.add(lower(SERVICE.NAME).asc());
    order.add(SERVICE.SLUG.asc());
    return dsl.select(SERVICE.SERVICE_ID)
        .from(SERVICE)
        .join(CATEGORY)
        .on(CATEGORY.CATEGORY_ID.eq(SERVICE.CATEGORY_ID))
        .where(condition)
        .orderBy(order)
        .fetch(SERVICE.SERVICE_ID);
  }

  /**
   * The summaries of active services, with their plans' ids and prices: three queries, whatever the
   * number of services. Services no longer active are left out.
   */
  List<SearchHit> hits(DSLContext dsl, Collection<UUID> serviceIds) {
    var rows =
        dsl.select(
                SERVICE.SERVICE_ID,
                SERVICE.SLUG,
                SERVICE.NAME,
                SERVICE.DESCRIPTION,
                SERVICE.CATEGORY_ID,
                CATEGORY.SLUG,
                CATEGORY.NAME)
            .from(SERVICE)
            .join(CATEGORY)
            .on(CATEGORY.CATEGORY_ID.eq(SERVICE.CATEGORY_ID))
            .where(SERVICE.SERVICE_ID.in(serviceIds), SERVICE.STATUS.eq(ServiceStatus.ACTIVE))
            .fetch();
    if (rows.isEmpty()) {
      return List.of();
    }
    List<UUID> ids = rows.getValues(SERVICE.SERVICE_ID);
    Map<UUID, List<String>> tags = new HashMap<>();
    dsl.select(SERVICE_TAG.SERVICE_ID, SERVICE_TAG.TAG)
        .from(SERVICE_TAG)
        .where(SERVICE_TAG.SERVICE_ID.in(ids))
        .orderBy(SERVICE_TAG.SERVICE_ID, SERVICE_TAG.POSITION)
        .forEach(r -> tags.computeIfAbsent(r.value1(), id -> new ArrayList<>()).add(r.value2()));
    Map<UUID, List<SearchHit.HitPlan>> plans = new HashMap<>();
    dsl.select(
            PLAN.SERVICE_ID,
            PLAN.PLAN_ID,
            PLAN.ACTIVE,
            PLAN.PRICE_AMOUNT,
            PLAN.PRICE_CURRENCY,
            PLAN.PRICE_PERIOD)
        .from(PLAN)
        .where(PLAN.SERVICE_ID.in(ids))
        .orderBy(PLAN.SERVICE_ID, PLAN.TIER)
        .forEach(
            r ->
                plans
                    .computeIfAbsent(r.value1(), id -> new ArrayList<>())
                    .add(
                        new SearchHit.HitPlan(
                            r.value2(), r.value3(), price(r.value4(), r.value5(), r.value6()))));
    List<SearchHit> hits = new ArrayList<>(rows.size());
    for (var r : rows) {
      hits.add(
          SearchHit.of(
              r.value1(),
              r.value2(),
              r.value3(),
              new CategoryRef(r.value5(), r.value6(), r.value7()),
              r.value4(),
              tags.getOrDefault(r.value1(), List.of()),
              plans.getOrDefault(r.value1(), List.of())));
    }
    return hits;
  }

  // ---- plans

  Optional<PlanRecord> lockPlan(DSLContext dsl, UUID serviceId, UUID planId) {
    return dsl.selectFrom(PLAN)
        .where(PLAN.PLAN_ID.eq(planId), PLAN.SERVICE_ID.eq(serviceId))
        .forUpdate()
        .fetchOptional();
  }

  List<Plan> plans(DSLContext dsl, UUID serviceId) {
    return dsl.selectFrom(PLAN)
        .where(PLAN.SERVICE_ID.eq(serviceId))
        .orderBy(PLAN.TIER)
        .fetch(CatalogStore::plan);
  }

  /** The currencies of a service's plans other than one. */
  List<String> currencies(DSLContext dsl, UUID serviceId, UUID exceptPlanId) {
    return dsl.selectDistinct(PLAN.PRICE_CURRENCY)
        .from(PLAN)
        .where(PLAN.SERVICE_ID.eq(serviceId), PLAN.PLAN_ID.ne(exceptPlanId))
        .fetch(PLAN.PRICE_CURRENCY);
  }

  /** The billing intervals of a service's plans other than one, each once. */
  List<BillingInterval> intervals(DSLContext dsl, UUID serviceId, UUID exceptPlanId) {
    return dsl.selectDistinct(PLAN.PRICE_PERIOD)
        .from(PLAN)
        .where(PLAN.SERVICE_ID.eq(serviceId), PLAN.PLAN_ID.ne(exceptPlanId))
        .fetch(PLAN.PRICE_PERIOD);
  }

  PlanRecord newPlan(DSLContext dsl, UUID id, UUID serviceId, Instant now) {
    PlanRecord record = dsl.newRecord(PLAN);
    record.setPlanId(id);
    record.setServiceId(serviceId);
    record.setCreatedAt(at(now));
    return record;
  }

  /** Sets every changeable column of a plan (not yet stored). */
  void fill(
      PlanRecord record,
      String slug,
      String name,
      int tier,
      Price price,
      Resources resources,
      Map<String, Object> features,
      boolean active,
      Instant now) {
    record.setSlug(slug);
    record.setName(name);
    record.setTier(tier);
    record.setPriceAmount(price.amount().minorUnits());
    record.setPriceCurrency(price.amount().currency().getCurrencyCode());
    record.setPricePeriod(price.interval());
    record.setCpuMillicores(resources.cpuMillicores());
    record.setMemoryMib(resources.memoryMiB());
    record.setStorageGib(resources.storageGiB());
    record.setFeatures(TemplateCodec.writeFeatures(features));
    record.setActive(active);
    record.setUpdatedAt(at(now));
  }

  static Plan plan(PlanRecord r) {
    return new Plan(
        r.getPlanId(),
        r.getServiceId(),
        r.getSlug(),
        r.getName(),
        r.getTier(),
        price(r.getPriceAmount(), r.getPriceCurrency(), r.getPricePeriod()),
        new Resources(r.getCpuMillicores(), r.getMemoryMib(), r.getStorageGib()),
        TemplateCodec.readFeatures(r.getFeatures()),
        r.getActive(),
        r.getCreatedAt().toInstant(),
        r.getUpdatedAt().toInstant());
  }

  private static Price price(long amount, String currency, BillingInterval interval) {
    return new Price(Money.of(amount, currency), interval);
  }

  /**
   * The database half of a search: words, filters and the SQL order ({@link SearchSort#POPULARITY}
   * is applied afterwards, on live quota figures, over hits in {@link SearchSort#NAME} order).
   */
  record SearchKey(
      List<String> words,
      String categorySlug,
      String tag,
      Long maxPrice,
      String currency,
      SearchSort sort) {

    SearchKey {
      words = List.copyOf(words);
    }

    static SearchKey of(SearchQuery query) {
      List<String> words = query.text() == null ? List.of() : SearchText.words(query.text());
      SearchSort sort =
          switch (query.sort()) {
            case POPULARITY -> SearchSort.NAME;
            case RELEVANCE -> words.isEmpty() ? SearchSort.NAME : SearchSort.RELEVANCE;
            default -> query.sort();
          };
      return new SearchKey(
          words,
          query.categorySlug(),
          query.tag(),
          query.maxPrice(),
          query.currency() == null ? null : query.currency().getCurrencyCode(),
          sort);
    }
  }
}
