package io.minispod.catalog.internal;

import io.minispod.FieldErrors;
import io.minispod.billing.BillingInterval;
import io.minispod.billing.CurrencyScales;
import io.minispod.billing.Price;
import io.minispod.catalog.CatalogAdmin;
import io.minispod.catalog.CatalogConflictException;
import io.minispod.catalog.CatalogNotFoundException;
import io.minispod.catalog.CategoryDraft;
import io.minispod.catalog.Page;
import io.minispod.catalog.PageRequest;
import io.minispod.catalog.Plan;
import io.minispod.catalog.PlanDetails;
import io.minispod.catalog.PlanDraft;
import io.minispod.catalog.PlanUpdate;
import io.minispod.catalog.QuotaFigures;
import io.minispod.catalog.ServiceCategory;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.ServiceDraft;
import io.minispod.catalog.ServiceStatus;
import io.minispod.catalog.ServiceStructure;
import io.minispod.catalog.ServiceUpdate;
import io.minispod.catalog.internal.db.Keys;
import io.minispod.catalog.internal.db.Tables;
import io.minispod.catalog.internal.db.tables.records.CategoryRecord;
import io.minispod.catalog.internal.db.tables.records.PlanRecord;
import io.minispod.catalog.internal.db.tables.records.ServiceRecord;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Resources;
import io.minispod.quota.PoolAvailability;
import io.minispod.quota.QuotaConflictException;
import io.minispod.quota.QuotaManager;
import io.minispod.quota.QuotaOperations;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog admin: every write one transaction, validated whole, translated at this boundary
 * (unique violations to {@link CatalogConflictException}, other database errors to {@code
 * INTERNAL_ERROR}), and followed, once committed, by dropping this node's caches. The other nodes
 * learn of it from the catalog tables' NOTIFY triggers.
 */
final class DefaultCatalogAdmin implements CatalogAdmin {

  private static final Logger log = LoggerFactory.getLogger(DefaultCatalogAdmin.class);

  private final DSLContext dsl;
  private final CatalogStore store;
  private final CatalogCaches caches;
  private final QuotaManager quota;
  private final Clock clock;
  private final CurrencyScales currencyScales;

  DefaultCatalogAdmin(
      DSLContext dsl,
      CatalogStore store,
      CatalogCaches caches,
      QuotaManager quota,
      Clock clock,
      CurrencyScales currencyScales) {
    this.dsl = dsl;
    this.store = store;
    this.caches = caches;
    this.quota = quota;
    this.clock = clock;
    this.currencyScales = currencyScales;
  }

  @Override
  public CurrencyScales currencyScales() {
    return currencyScales;
  }

  // ---- categories

  @Override
  public ServiceCategory createCategory(CategoryDraft draft) {
    Objects.requireNonNull(draft, "draft");
    FieldErrors errors = new FieldErrors();
    CatalogValidation.category(errors, draft);
    errors.throwIfAny();
    UUID id = UUID.randomUUID();
    ServiceCategory created =
        write(
            tx -> {
              store.insertCategory(tx, id, draft, now());
              return store.category(tx, draft.slug()).orElseThrow();
            },
            constraint ->
                constraint.equals(Keys.CATEGORY_SLUG_UNIQUE.getName())
                    ? cause -> CatalogConflictException.slugTaken("category", draft.slug(), cause)
                    : null);
    log.info("Category {} created as {}", created.slug(), created.id());
    return created;
  }

  @Override
  public List<ServiceCategory> listCategories() {
    return read(store::categories);
  }

  // ---- services

  @Override
  public Page<ServiceDefinition> listServices(PageRequest page) {
    Objects.requireNonNull(page, "page");
    return read(db -> store.allServices(db, page));
  }

  @Override
  public ServiceDefinition getService(UUID serviceId) {
    Objects.requireNonNull(serviceId, "serviceId");
    return read(db -> store.service(db, serviceId))
        .orElseThrow(() -> CatalogNotFoundException.service(serviceId))
        .definition();
  }

  @Override
  public Optional<ServiceDefinition> findService(String slug) {
    if (!CatalogValidation.isSlug(slug)) {
      return Optional.empty();
    }
    return read(db -> store.service(db, slug)).map(ServiceStructure::definition);
  }

  @Override
  public ServiceDefinition createService(ServiceDraft draft) {
    Objects.requireNonNull(draft, "draft");
    String description = draft.description() == null ? "" : draft.description();
    FieldErrors errors = new FieldErrors();
    CatalogValidation.service(
        errors,
        draft.slug(),
        draft.name(),
        draft.categorySlug(),
        description,
        draft.tags(),
        draft.template());
    UUID id = UUID.randomUUID();
    ServiceDefinition created =
        write(
            tx -> {
              UUID categoryId = categoryId(tx, errors, draft.categorySlug());
              errors.throwIfAny();
              store.insertService(
                  tx,
                  id,
                  draft.slug(),
                  draft.name(),
                  categoryId,
                  description,
                  draft.tags(),
                  draft.template(),
                  now());
              return store.service(tx, id).orElseThrow().definition();
            },
            serviceSlugConflict(draft.slug()));
    log.info("Service {} created as {}", created.slug(), created.id());
    return created;
  }

  @Override
  public ServiceDefinition updateService(UUID serviceId, ServiceUpdate update) {
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(update, "update");
    ServiceDefinition updated =
        write(
            tx -> {
              ServiceRecord record =
                  store
                      .lockService(tx, serviceId)
                      .orElseThrow(() -> CatalogNotFoundException.service(serviceId));
              ServiceDefinition current = store.service(tx, serviceId).orElseThrow().definition();
              String slug = update.slug() == null ? current.slug() : update.slug();
              String name = update.name() == null ? current.name() : update.name();
              String categorySlug =
                  update.categorySlug() == null ? current.category().slug() : update.categorySlug();
              String description =
                  update.description() == null ? current.description() : update.description();
              List<String> tags = update.tags() == null ? current.tags() : update.tags();
              AppTemplate template =
                  update.template() == null ? current.template() : update.template();
              FieldErrors errors = new FieldErrors();
              CatalogValidation.service(
                  errors, slug, name, categorySlug, description, tags, template);
              UUID categoryId = categoryId(tx, errors, categorySlug);
              errors.throwIfAny();
              store.updateService(
                  tx, record, slug, name, categoryId, description, tags, template, now());
              return store.service(tx, serviceId).orElseThrow().definition();
            },
            serviceSlugConflict(update.slug()));
    log.info("Service {} ({}) updated", updated.slug(), updated.id());
    return updated;
  }

  @Override
  public ServiceDefinition archiveService(UUID serviceId) {
    return changeStatus(serviceId, ServiceStatus.ARCHIVED);
  }

  @Override
  public ServiceDefinition restoreService(UUID serviceId) {
    return changeStatus(serviceId, ServiceStatus.ACTIVE);
  }

  private ServiceDefinition changeStatus(UUID serviceId, ServiceStatus status) {
    Objects.requireNonNull(serviceId, "serviceId");
    ServiceDefinition changed =
        write(
            tx -> {
              ServiceRecord record =
                  store
                      .lockService(tx, serviceId)
                      .orElseThrow(() -> CatalogNotFoundException.service(serviceId));
              if (record.getStatus() != status) {
                store.setStatus(tx, record, status, now());
              }
              return store.service(tx, serviceId).orElseThrow().definition();
            },
            constraint -> null);
    log.info("Service {} ({}) is {}", changed.slug(), serviceId, status);
    return changed;
  }

  private UUID categoryId(DSLContext tx, FieldErrors errors, String categorySlug) {
    if (!CatalogValidation.isSlug(categorySlug)) {
      return null;
    }
    Optional<CategoryRecord> category = store.categoryRecord(tx, categorySlug);
    errors.require(
        category.isPresent(), "categorySlug", "names no category: '" + categorySlug + "'");
    return category.map(CategoryRecord::getCategoryId).orElse(null);
  }

  private static Function<String, Function<Throwable, RuntimeException>> serviceSlugConflict(
      String slug) {
    return constraint ->
        constraint.equals(Keys.SERVICE_SLUG_UNIQUE.getName())
            ? cause -> CatalogConflictException.slugTaken("service", slug, cause)
            : null;
  }

  // ---- plans

  @Override
  public List<PlanDetails> listPlans(UUID serviceId) {
    Objects.requireNonNull(serviceId, "serviceId");
    List<Plan> plans =
        read(
            db -> {
              if (store.service(db, serviceId).isEmpty()) {
                throw CatalogNotFoundException.service(serviceId);
              }
              return store.plans(db, serviceId);
            });
    if (plans.isEmpty()) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    plans.forEach(plan -> keys.add(plan.quotaPoolKey()));
    List<PoolAvailability> pools = quota.availability(keys);
    List<PlanDetails> details = new ArrayList<>(plans.size());
    for (int i = 0; i < plans.size(); i++) {
      details.add(new PlanDetails(plans.get(i), figures(pools.get(i))));
    }
    return details;
  }

  @Override
  public PlanDetails getPlan(UUID serviceId, UUID planId) {
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(planId, "planId");
    return listPlans(serviceId).stream()
        .filter(plan -> plan.plan().id().equals(planId))
        .findFirst()
        .orElseThrow(() -> CatalogNotFoundException.plan(serviceId, planId));
  }

  @Override
  public PlanDetails createPlan(UUID serviceId, PlanDraft draft) {
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(draft, "draft");
    FieldErrors errors = new FieldErrors();
    CatalogValidation.plan(
        errors,
        currencyScales,
        draft.slug(),
        draft.name(),
        draft.tier(),
        draft.price(),
        draft.resources(),
        draft.quotaTotal(),
        draft.features());
    UUID planId = UUID.randomUUID();
    PlanDetails created =
        write(
            tx -> {
              store
                  .lockService(tx, serviceId)
                  .orElseThrow(() -> CatalogNotFoundException.service(serviceId));
              checkPriceTerms(tx, errors, serviceId, planId, draft.price());
              errors.throwIfAny();
              Instant now = now();
              // The pool first: a plan that then fails (a taken slug or tier) takes it back with
              // it.
              QuotaOperations pools = quota.inTransaction(tx);
              PoolAvailability pool = pools.definePool(Plan.poolKey(planId), draft.quotaTotal());
              PlanRecord record = store.newPlan(tx, planId, serviceId, now);
              store.fill(
                  record,
                  draft.slug(),
                  draft.name(),
                  draft.tier(),
                  draft.price(),
                  draft.resources(),
                  CatalogValidation.normalisedFeatures(draft.features()),
                  true,
                  now);
              record.insert();
              return new PlanDetails(CatalogStore.plan(record), figures(pool));
            },
            planConflicts(serviceId, draft.slug(), draft.tier()));
    log.info(
        "Plan {} (tier {}) of service {} created as {} with quota {}",
        created.plan().slug(),
        created.plan().tier(),
        serviceId,
        planId,
        created.quota().total());
    return created;
  }

  @Override
  public PlanDetails updatePlan(UUID serviceId, UUID planId, PlanUpdate update) {
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(planId, "planId");
    Objects.requireNonNull(update, "update");
    PlanDetails updated =
        write(
            tx -> {
              PlanRecord record =
                  store
                      .lockPlan(tx, serviceId, planId)
                      .orElseThrow(() -> CatalogNotFoundException.plan(serviceId, planId));
              Plan current = CatalogStore.plan(record);
              String slug = update.slug() == null ? current.slug() : update.slug();
              String name = update.name() == null ? current.name() : update.name();
              int tier = update.tier() == null ? current.tier() : update.tier();
              Price price = update.price() == null ? current.price() : update.price();
              Resources resources =
                  update.resources() == null ? current.resources() : update.resources();
              Map<String, Object> features =
                  update.features() == null ? current.features() : update.features();
              boolean active = update.active() == null ? current.active() : update.active();
              FieldErrors errors = new FieldErrors();
              CatalogValidation.plan(
                  errors,
                  currencyScales,
                  slug,
                  name,
                  tier,
                  price,
                  resources,
                  update.quotaTotal() == null ? 0L : update.quotaTotal(),
                  features);
              if (update.price() != null) {
                checkPriceTerms(tx, errors, serviceId, planId, price);
              }
              errors.throwIfAny();
              store.fill(
                  record,
                  slug,
                  name,
                  tier,
                  price,
                  resources,
                  CatalogValidation.normalisedFeatures(features),
                  active,
                  now());
              // Always written, so that a capacity change alone also notifies the other nodes.
              record.changed(true);
              record.changed(Tables.PLAN.PLAN_ID, false);
              record.update();
              QuotaOperations pools = quota.inTransaction(tx);
              String poolKey = Plan.poolKey(planId);
              PoolAvailability pool;
              if (update.quotaTotal() == null) {
                pool = pools.availability(List.of(poolKey)).get(0);
              } else {
                try {
                  pool = pools.setCapacity(poolKey, update.quotaTotal());
                } catch (QuotaConflictException e) {
                  throw CatalogConflictException.quotaBelowUsage(
                      planId, current.slug(), used(e), update.quotaTotal(), e);
                }
              }
              return new PlanDetails(CatalogStore.plan(record), figures(pool));
            },
            planConflicts(serviceId, update.slug(), update.tier()));
    log.info(
        "Plan {} ({}) of service {} updated; quota {} of which {} used",
        updated.plan().slug(),
        planId,
        serviceId,
        updated.quota().total(),
        updated.quota().used());
    return updated;
  }

  private void checkPriceTerms(
      DSLContext tx, FieldErrors errors, UUID serviceId, UUID planId, Price price) {
    if (price == null) {
      return;
    }
    List<String> others = store.currencies(tx, serviceId, planId);
    errors.require(
        others.isEmpty() || others.equals(List.of(price.amount().currency().getCurrencyCode())),
        "price.currency",
        "must be " + String.join("/", others) + ", the currency of the service's other plans");
    // One interval per service: an upgrade prorates within the current period, which only means
    // something when both plans are billed over the same period.
    List<BillingInterval> intervals = store.intervals(tx, serviceId, planId);
    errors.require(
        intervals.isEmpty() || intervals.equals(List.of(price.interval())),
        "price.interval",
        "must be "
            + intervals.stream().map(Enum::name).collect(Collectors.joining("/"))
            + ", the billing interval of the service's other plans");
  }

  private static long used(QuotaConflictException e) {
    Object used = e.details().get("used");
    return used instanceof Number n ? n.longValue() : -1;
  }

  private static Function<String, Function<Throwable, RuntimeException>> planConflicts(
      UUID serviceId, String slug, Integer tier) {
    return constraint -> {
      if (constraint.equals(Keys.PLAN_SLUG_UNIQUE.getName())) {
        return cause -> CatalogConflictException.planSlugTaken(serviceId, slug, cause);
      }
      if (constraint.equals(Keys.PLAN_TIER_UNIQUE.getName())) {
        return cause -> CatalogConflictException.tierTaken(serviceId, tier, cause);
      }
      return null;
    };
  }

  private static QuotaFigures figures(PoolAvailability pool) {
    return new QuotaFigures(pool.total(), pool.used());
  }

  // ---- plumbing

  private Instant now() {
    // PostgreSQL keeps microseconds: what is returned is exactly what a later read gives.
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private <T> T read(Function<DSLContext, T> query) {
    try {
      return query.apply(dsl);
    } catch (DataAccessException e) {
      throw DatabaseFailures.internal(e);
    }
  }

  /**
   * Runs the work in one transaction and, once it committed, drops this node's caches.
   *
   * @param conflicts for a violated unique constraint's name, how to report it (or {@code null}
   *     when it is unexpected)
   */
  private <T> T write(
      Function<DSLContext, T> work,
      Function<String, Function<Throwable, RuntimeException>> conflicts) {
    T result;
    try {
      result = dsl.transactionResult(configuration -> work.apply(configuration.dsl()));
    } catch (DataAccessException e) {
      String constraint = DatabaseFailures.violatedUnique(e);
      Function<Throwable, RuntimeException> conflict =
          constraint == null ? null : conflicts.apply(constraint);
      if (conflict != null) {
        throw conflict.apply(e);
      }
      throw DatabaseFailures.internal(e);
    }
    caches.invalidateAll();
    return result;
  }
}
