package io.minispod.subscription.internal;

import io.minispod.FieldErrors;
import io.minispod.ValidationException;
import io.minispod.catalog.CatalogNotFoundException;
import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.subscription.Instance;
import io.minispod.subscription.InstanceService;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.Operation;
import io.minispod.subscription.SubscriptionConflictException;
import io.minispod.subscription.internal.SubscriptionOperations.Launch;
import io.minispod.subscription.internal.SubscriptionOperations.Request;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.DSLContext;

/** Reads instances and applies their owners' environment changes. */
final class DefaultInstanceService implements InstanceService {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,99}");
  private static final int MAX_VALUE_LENGTH = 4000;
  private static final Set<InstanceStatus> CHANGEABLE =
      Set.of(InstanceStatus.RUNNING, InstanceStatus.DEGRADED);

  private final DSLContext dsl;
  private final SubscriptionStore store;
  private final CatalogPort catalog;
  private final SubscriptionOperations operations;
  private final Clock clock;

  DefaultInstanceService(
      DSLContext dsl,
      SubscriptionStore store,
      CatalogPort catalog,
      SubscriptionOperations operations,
      Clock clock) {
    this.dsl = dsl;
    this.store = store;
    this.catalog = catalog;
    this.operations = operations;
    this.clock = clock;
  }

  @Override
  public List<Instance> instances(String userId) {
    requireUser(userId);
    return dsl.transactionResult(
        cfg -> store.instanceViews(cfg.dsl(), store.instancesOf(cfg.dsl(), userId)));
  }

  @Override
  public Instance instance(String userId, UUID instanceId) {
    InstanceRecord instance = own(userId, instanceId);
    return dsl.transactionResult(cfg -> store.instanceView(cfg.dsl(), instance));
  }

  @Override
  public Instance updateEnv(String userId, UUID instanceId, Map<String, String> changes) {
    operations.finishHere(launchUpdateEnv(userId, instanceId, changes));
    return instance(userId, instanceId);
  }

  @Override
  public Operation startUpdateEnv(String userId, UUID instanceId, Map<String, String> changes) {
    return operations.inBackground(launchUpdateEnv(userId, instanceId, changes));
  }

  private Launch launchUpdateEnv(String userId, UUID instanceId, Map<String, String> changes) {
    InstanceRecord instance = own(userId, instanceId);
    SubscriptionRecord subscription =
        dsl.transactionResult(
            cfg -> store.subscription(cfg.dsl(), instance.getSubscriptionId()).orElseThrow());
    AppTemplate template = catalog.service(subscription.getServiceId()).definition().template();
    FieldErrors errors = new FieldErrors();
    if (errors.require(
        changes != null && !changes.isEmpty(), "env", "must name at least one variable")) {
      changes.forEach(
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
    errors.throwIfAny();
    requireChangeable(instance);
    // A change is its own request: PATCH carries no idempotency key.
    Request request =
        Request.of(
            UpdateEnvWorkflow.KIND,
            UUID.randomUUID().toString(),
            instanceId,
            new TreeMap<>(changes));
    return operations.launch(
        subscription.getSubscriptionId(),
        request,
        tx -> {
          SubscriptionRecord locked =
              store.lockSubscription(tx, subscription.getSubscriptionId()).orElseThrow();
          operations.requireIdle(tx, locked);
          requireChangeable(store.instance(tx, instanceId).orElseThrow());
          WorkflowRecord started =
              operations.start(
                  tx,
                  request,
                  locked.getSubscriptionId(),
                  UpdateEnvWorkflow.APPLY,
                  locked.getPlanId(),
                  null,
                  clock.instant());
          store.recordEnvChange(tx, started.getWorkflowId(), instanceId, changes, clock.instant());
          return started;
        },
        () -> {});
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
