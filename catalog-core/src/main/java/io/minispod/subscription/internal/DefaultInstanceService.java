package io.minispod.catalog;

import io.minispod.FieldErrors;
import io.minispod.catalog.SubscriptionWorkflows.Services;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Reads instances and applies their owners' environment changes. */
final class DefaultInstanceService implements InstanceService {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,99}");
  private static final int MAX_VALUE_LENGTH = 4000;
  private static final Set<InstanceStatus> CHANGEABLE =
      Set.of(InstanceStatus.RUNNING, InstanceStatus.DEGRADED);

  private final Services services;

  DefaultInstanceService(Services services) {
    this.services = services;
  }

  @Override
  public List<Instance> instances(String userId) {
    requireUser(userId);
    return services
        .dsl()
        .transactionResult(
            cfg ->
                services
                    .subscriptions()
                    .instanceViews(
                        cfg.dsl(), services.subscriptions().instancesOf(cfg.dsl(), userId)));
  }

  @Override
  public Instance instance(String userId, UUID instanceId) {
    InstanceRecord instance = own(userId, instanceId);
    return services
        .dsl()
        .transactionResult(cfg -> services.subscriptions().instanceView(cfg.dsl(), instance));
  }

  @Override
  public Instance updateEnv(String userId, UUID instanceId, Map<String, String> changes) {
    InstanceRecord instance = own(userId, instanceId);
    SubscriptionRecord subscription =
        services
            .dsl()
            .transactionResult(
                cfg ->
                    services
                        .subscriptions()
                        .subscription(cfg.dsl(), instance.getSubscriptionId())
                        .orElseThrow());
    AppTemplate template =
        services.specs().service(subscription.getServiceId()).definition().template();
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
    if (!CHANGEABLE.contains(InstanceStatus.valueOf(instance.getStatus()))) {
      throw new SubscriptionConflictException(
          instance.getSubscriptionId(),
          "its instance is " + instance.getStatus() + " and cannot be reconfigured now");
    }
    Map<String, String> env =
        new HashMap<>(
            services
                .dsl()
                .transactionResult(cfg -> services.subscriptions().env(cfg.dsl(), instanceId)));
    changes.forEach(
        (name, value) -> {
          if (value == null) {
            env.remove(name);
          } else {
            env.put(name, value);
          }
        });
    Plan plan = services.specs().plan(subscription.getServiceId(), subscription.getPlanId());
    services.provisioner().provision(services.specs().spec(subscription, instance, plan, env));
    services
        .dsl()
        .transaction(
            cfg -> services.subscriptions().putEnv(cfg.dsl(), instanceId, changes, services.now()));
    return instance(userId, instanceId);
  }

  private InstanceRecord own(String userId, UUID instanceId) {
    requireUser(userId);
    if (instanceId == null) {
      throw io.minispod.ValidationException.of("instanceId", "must be given");
    }
    return services
        .dsl()
        .transactionResult(cfg -> services.subscriptions().instance(cfg.dsl(), instanceId))
        .filter(i -> i.getUserId().equals(userId))
        .filter(i -> !InstanceStatus.FAILED.name().equals(i.getStatus()))
        .orElseThrow(() -> CatalogNotFoundException.instance(instanceId));
  }

  private static void requireUser(String userId) {
    FieldErrors errors = new FieldErrors();
    errors.require(userId != null && !userId.isBlank(), "userId", "must not be blank");
    errors.throwIfAny();
  }
}
