package io.minispod.subscription.internal;

import io.minispod.FieldErrors;
import io.minispod.ValidationException;
import io.minispod.catalog.CatalogNotFoundException;
import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.Page;
import io.minispod.catalog.PageRequest;
import io.minispod.catalog.Plan;
import io.minispod.catalog.ServiceStructure;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.subscription.Instance;
import io.minispod.subscription.InstanceService;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.InstanceTransition;
import io.minispod.subscription.InstanceUpdate;
import io.minispod.subscription.Operation;
import io.minispod.subscription.SubscriptionConflictException;
import io.minispod.subscription.UpgradePolicy;
import io.minispod.subscription.UpgradeRequiredException;
import io.minispod.subscription.internal.SubscriptionOperations.Launch;
import io.minispod.subscription.internal.SubscriptionOperations.Request;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.DSLContext;

/**
 * Reads instances and their history, and applies their owners' configuration changes (environment
 * and custom domain) as {@link UpdateEnvWorkflow}s.
 */
final class DefaultInstanceService implements InstanceService {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,99}");
  private static final int MAX_VALUE_LENGTH = 4000;
  private static final Set<InstanceStatus> CHANGEABLE =
      Set.of(InstanceStatus.RUNNING, InstanceStatus.DEGRADED);

  private final DSLContext dsl;
  private final SubscriptionStore store;
  private final CatalogPort catalog;
  private final SubscriptionOperations operations;
  private final UpgradePolicy policy;
  private final Clock clock;

  DefaultInstanceService(
      DSLContext dsl,
      SubscriptionStore store,
      CatalogPort catalog,
      SubscriptionOperations operations,
      UpgradePolicy policy,
      Clock clock) {
    this.dsl = dsl;
    this.store = store;
    this.catalog = catalog;
    this.operations = operations;
    this.policy = policy;
    this.clock = clock;
  }

  @Override
  public List<Instance> instances(String userId) {
    requireUser(userId);
    return dsl.transactionResult(
        cfg -> store.instancesOf(cfg.dsl(), userId).stream().map(i -> view(cfg.dsl(), i)).toList());
  }

  @Override
  public Instance instance(String userId, UUID instanceId) {
    InstanceRecord instance = own(userId, instanceId);
    return dsl.transactionResult(cfg -> view(cfg.dsl(), instance));
  }

  /**
   * The instance as its owner sees it: with its backups while it exists on a plan with the {@code
   * backups} feature (those of a removed instance went with it).
   */
  private Instance view(DSLContext tx, InstanceRecord instance) {
    Instance view = store.instanceView(tx, instance);
    if (instance.getStatus() == InstanceStatus.DELETED
        || instance.getStatus() == InstanceStatus.FAILED) {
      return view;
    }
    SubscriptionRecord s = store.subscription(tx, instance.getSubscriptionId()).orElseThrow();
    Plan plan = catalog.plan(s.getServiceId(), s.getPlanId());
    return InstanceBackups.schedule(plan, InstanceBackups.DEFAULT_INTERVAL).isEmpty()
        ? view
        : view.withBackups(InstanceBackups.of(tx, instance.getInstanceId()));
  }

  @Override
  public Page<InstanceTransition> history(String userId, UUID instanceId, PageRequest page) {
    if (page == null) {
      throw ValidationException.of("page", "must be given");
    }
    InstanceRecord instance = own(userId, instanceId);
    return dsl.transactionResult(
        cfg ->
            new Page<>(
                store.transitions(cfg.dsl(), instance.getInstanceId(), page),
                page.page(),
                page.size(),
                store.transitionCount(cfg.dsl(), instance.getInstanceId())));
  }

  @Override
  public Instance update(String userId, UUID instanceId, InstanceUpdate update) {
    operations.finishHere(launchUpdate(userId, instanceId, update));
    return instance(userId, instanceId);
  }

  @Override
  public Operation startUpdate(String userId, UUID instanceId, InstanceUpdate update) {
    return operations.inBackground(launchUpdate(userId, instanceId, update));
  }

  private Launch launchUpdate(String userId, UUID instanceId, InstanceUpdate update) {
    InstanceRecord instance = own(userId, instanceId);
    if (update == null) {
      throw ValidationException.of("update", "must be given");
    }
    SubscriptionRecord subscription =
        dsl.transactionResult(
            cfg -> store.subscription(cfg.dsl(), instance.getSubscriptionId()).orElseThrow());
    ServiceStructure service = catalog.service(subscription.getServiceId());
    Map<String, String> env = update.env();
    String domain = checkUpdate(update, service.definition().template());
    requireChangeable(instance);
    Plan plan = catalog.plan(subscription.getServiceId(), subscription.getPlanId());
    if (domain != null && !hasFeature(plan, CUSTOM_DOMAIN_FEATURE)) {
      throw new UpgradeRequiredException(
          CUSTOM_DOMAIN_FEATURE, plan, cheapestWith(service, plan, CUSTOM_DOMAIN_FEATURE));
    }
    // A change is its own request: PATCH carries no idempotency key.
    Request request =
        Request.of(
            UpdateEnvWorkflow.KIND,
            UUID.randomUUID().toString(),
            instanceId,
            new TreeMap<>(env),
            update.changesCustomDomain() ? "customDomain=" + domain : "");
    return operations.launch(
        subscription.getSubscriptionId(),
        request,
        tx -> {
          SubscriptionRecord locked =
              store.lockSubscription(tx, subscription.getSubscriptionId()).orElseThrow();
          operations.requireIdle(tx, locked);
          if (!locked.getPlanId().equals(plan.id())) {
            throw new SubscriptionConflictException(
                locked.getSubscriptionId(), "its plan changed while the change was being prepared");
          }
          InstanceRecord current = store.instance(tx, instanceId).orElseThrow();
          requireChangeable(current);
          Instant now = clock.instant();
          WorkflowRecord started =
              operations.start(
                  tx,
                  request,
                  locked.getSubscriptionId(),
                  UpdateEnvWorkflow.APPLY,
                  locked.getPlanId(),
                  null,
                  now);
          if (!env.isEmpty()) {
            store.recordEnvChange(tx, started.getWorkflowId(), instanceId, env, now);
          }
          if (update.changesCustomDomain()) {
            store.recordDomainChange(tx, started.getWorkflowId(), current, domain, now);
          }
          return started;
        },
        () -> {});
  }

  /**
   * Refuses a change that names nothing to change, a bad environment change and a custom domain
   * that is no host name, all at once.
   *
   * @return the custom domain to set, trimmed and in lower case; null when the change removes it or
   *     leaves it as it is
   * @throws ValidationException naming every problem
   */
  private static String checkUpdate(InstanceUpdate update, AppTemplate template) {
    String domain =
        update.customDomain() == null
            ? null
            : update.customDomain().trim().toLowerCase(Locale.ROOT);
    FieldErrors errors = new FieldErrors();
    if (update.changesCustomDomain()) {
      errors.require(
          domain == null || InstanceSpec.isCustomDomain(domain),
          "customDomain",
          "must be a host name of two labels or more such as blog.example.com (DNS-1123: letters,"
              + " digits and inner hyphens, labels of at most 63 characters), was "
              + update.customDomain());
    } else {
      errors.require(!update.env().isEmpty(), "env", "must name at least one variable");
    }
    checkEnv(errors, update.env(), template);
    errors.throwIfAny();
    return domain;
  }

  /**
   * Records what is wrong with each environment change: its name, whether it is managed, its value.
   */
  private static void checkEnv(FieldErrors errors, Map<String, String> env, AppTemplate template) {
    env.forEach(
        (name, value) -> {
          String field = "env." + name;
          if (errors.require(
              name != null && ENV_NAME.matcher(name).matches(),
              field,
              "is not a valid variable name")) {
            errors.require(
                !template.isManaged(name),
                field,
                "is managed by the platform and cannot be changed");
            errors.require(
                value == null || value.length() <= MAX_VALUE_LENGTH,
                field,
                "must be at most " + MAX_VALUE_LENGTH + " characters");
            errors.require(
                value == null || !value.contains("${"), field, "must not contain placeholders");
          }
        });
  }

  private static boolean hasFeature(Plan plan, String feature) {
    return Boolean.TRUE.equals(plan.features().get(feature));
  }

  /**
   * The cheapest active plan of the service that has the feature and that the upgrade policy lets
   * the subscription move to from its plan: lowest tier, then lowest price; null when there is
   * none.
   */
  private Plan cheapestWith(ServiceStructure service, Plan current, String feature) {
    return service.activePlans().stream()
        .filter(p -> hasFeature(p, feature))
        .filter(p -> policy.evaluate(current, p).allowed())
        .min(
            Comparator.comparingInt(Plan::tier)
                .thenComparingLong(p -> p.price().amount().minorUnits()))
        .orElse(null);
  }

  private static void requireChangeable(InstanceRecord instance) {
    if (!CHANGEABLE.contains(instance.getStatus())) {
      throw new SubscriptionConflictException(
          instance.getSubscriptionId(),
          "its instance is " + instance.getStatus() + " and cannot be reconfigured now");
    }
  }

  private InstanceRecord own(String userId, UUID instanceId) {
    requireUser(userId);
    if (instanceId == null) {
      throw ValidationException.of("instanceId", "must be given");
    }
    return dsl.transactionResult(cfg -> store.instance(cfg.dsl(), instanceId))
        .filter(i -> i.getUserId().equals(userId))
        .filter(i -> i.getStatus() != InstanceStatus.FAILED)
        .orElseThrow(() -> CatalogNotFoundException.instance(instanceId));
  }

  private static void requireUser(String userId) {
    FieldErrors errors = new FieldErrors();
    errors.require(userId != null && !userId.isBlank(), "userId", "must not be blank");
    errors.throwIfAny();
  }
}
