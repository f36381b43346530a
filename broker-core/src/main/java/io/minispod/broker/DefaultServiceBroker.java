package io.minispod.broker;

import io.minispod.MinisPodException;
import io.minispod.Sha256;
import io.minispod.catalog.CatalogNotFoundException;
import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.CatalogService;
import io.minispod.catalog.Plan;
import io.minispod.catalog.ServiceStatus;
import io.minispod.catalog.ServiceStructure;
import io.minispod.provisioner.BindingCredentials;
import io.minispod.provisioner.InstanceRef;
import io.minispod.subscription.Operation;
import io.minispod.subscription.OperationKind;
import io.minispod.subscription.OperationService;
import io.minispod.subscription.OperationStatus;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionService;
import io.minispod.subscription.Subscriptions;
import io.minispod.subscription.UpgradeService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker over the subscriptions, with the id mapping in {@link InstanceStore}. */
final class DefaultServiceBroker implements ServiceBroker {

  private static final Logger log = LoggerFactory.getLogger(DefaultServiceBroker.class);

  /** How often a provision re-reads an id that a concurrent request restarted first. */
  private static final int RESTART_TRIES = 3;

  private final Offerings offerings;
  private final CatalogPort port;
  private final SubscriptionService subscriptions;
  private final UpgradeService upgrades;
  private final OperationService operations;
  private final InstanceStore store;
  private final BindingStore bindings;
  private final BindingCredentials credentials;

  DefaultServiceBroker(
      CatalogService catalog,
      CatalogPort port,
      Subscriptions subscriptions,
      InstanceStore store,
      BindingStore bindings,
      BindingCredentials credentials) {
    this.offerings = new Offerings(catalog, credentials != null, subscriptions.upgradePolicy());
    this.port = port;
    this.subscriptions = subscriptions.subscriptions();
    this.upgrades = subscriptions.upgrades();
    this.operations = subscriptions.operations();
    this.store = store;
    this.bindings = bindings;
    this.credentials = credentials;
  }

  @Override
  public List<ServiceOffering> catalog() {
    return offerings.all();
  }

  @Override
  public OperationResponse provision(ProvisionRequest request) {
    String instanceId = requireId(request.instanceId(), "instance_id");
    if (!request.acceptsIncomplete()) {
      throw ServiceBrokerException.asyncRequired();
    }
    if (request.maintenanceInfoVersion() != null) {
      throw ServiceBrokerException.maintenanceInfoConflict();
    }
    requireNoParameters(request.parameters());
    ServiceStructure service = activeService(request.serviceId());
    Plan plan = planOf(service, request.planId());
    String owner = Owners.of(request.context(), request.spaceGuid(), request.originatingIdentity());
    InstanceStore.Row wanted =
        InstanceStore.Row.fresh(
            instanceId,
            owner,
            service.definition().id(),
            plan.id(),
            Sha256.fingerprint(service.definition().id(), plan.id(), owner));
    for (int tries = 1; ; tries++) {
      InstanceStore.Row row = store.insertOrFind(wanted);
      Optional<Operation> last = lastOperationOf(row);
      if (gone(last)) {
        Optional<InstanceStore.Row> restarted = store.restart(row, wanted);
        if (restarted.isPresent()) {
          return start(restarted.get(), service, plan);
        }
        if (tries < RESTART_TRIES) {
          continue;
        }
        throw ServiceBrokerException.concurrencyError(
            "Service instance " + instanceId + " is being provisioned by another request");
      }
      if (!row.fingerprint().equals(wanted.fingerprint())) {
        throw ServiceBrokerException.conflict(
            "Service instance "
                + instanceId
                + " already exists with other attributes (service, plan or owner)");
      }
      if (last.isEmpty()) {
        // A first start, or a repeat racing with it: the same key gives the same operation.
        return start(row, service, plan);
      }
      Operation op = last.get();
      if (op.kind() == OperationKind.SUBSCRIBE && !op.finished()) {
        return OperationResponse.accepted(op.id().toString());
      }
      if (!op.finished()) {
        throw busy(instanceId);
      }
      return OperationResponse.done(dashboardUrl(row));
    }
  }

  private OperationResponse start(InstanceStore.Row row, ServiceStructure service, Plan plan) {
    String key = "osb-provision:" + Sha256.hex(row.instanceId() + "#" + row.attempt());
    Operation op;
    try {
      op =
          subscriptions.startSubscribe(
              row.ownerId(), service.definition().slug(), plan.slug(), key);
    } catch (MinisPodException e) {
      store.forget(row);
      throw Refusals.of(e);
    }
    store.started(row, op.subscriptionId(), op.id(), plan.id());
    log.info(
        "Service instance {} provisions subscription {} of {} for {} (operation {})",
        row.instanceId(),
        op.subscriptionId(),
        plan.slug(),
        row.ownerId(),
        op.id());
    return OperationResponse.accepted(op.id().toString());
  }

  @Override
  public LastOperation lastOperation(String instanceId, String operation) {
    InstanceStore.Row row = existing(instanceId);
    UUID operationId =
        operation == null || operation.isBlank() ? row.operationId() : uuid(operation, "operation");
    if (operationId == null) {
      return new LastOperation(OperationState.IN_PROGRESS, "Provisioning the instance");
    }
    Operation op;
    try {
      op = operations.operation(row.ownerId(), operationId);
    } catch (CatalogNotFoundException e) {
      throw notItsOperation(instanceId, operation);
    }
    if (!op.subscriptionId().equals(row.subscriptionId())) {
      throw notItsOperation(instanceId, operation);
    }
    if (op.kind() == OperationKind.CANCEL && op.status() == OperationStatus.SUCCEEDED) {
      throw ServiceBrokerException.gone("Service instance " + instanceId + " was deprovisioned");
    }
    OperationState state =
        switch (op.status()) {
          case RUNNING -> OperationState.IN_PROGRESS;
          case SUCCEEDED -> OperationState.SUCCEEDED;
          case FAILED -> OperationState.FAILED;
        };
    return new LastOperation(state, Refusals.describe(op));
  }

  @Override
  public ServiceInstance instance(String instanceId) {
    InstanceStore.Row row =
        store.find(instanceId).orElseThrow(() -> notFound(instanceId, "does not exist"));
    Optional<Operation> last = lastOperationOf(row);
    if (last.isEmpty() || gone(last)) {
      throw notFound(instanceId, "does not exist");
    }
    Operation op = last.get();
    if (op.kind() == OperationKind.SUBSCRIBE && !op.finished()) {
      throw notFound(instanceId, "is still being provisioned");
    }
    if (!op.finished()) {
      throw busy(instanceId);
    }
    Subscription s = subscriptions.subscription(row.ownerId(), row.subscriptionId());
    return new ServiceInstance(
        s.plan().serviceId().toString(), s.plan().id().toString(), url(s), Map.of());
  }

  @Override
  public OperationResponse update(UpdateRequest request) {
    InstanceStore.Row row =
        store
            .find(request.instanceId())
            .orElseThrow(() -> notFound(request.instanceId(), "does not exist"));
    Optional<Operation> last = lastOperationOf(row);
    if (last.isEmpty() || gone(last)) {
      throw notFound(request.instanceId(), "does not exist");
    }
    if (request.maintenanceInfoVersion() != null) {
      throw ServiceBrokerException.maintenanceInfoConflict();
    }
    requireNoParameters(request.parameters());
    if (request.serviceId() != null && !request.serviceId().equals(row.serviceId().toString())) {
      throw ServiceBrokerException.badRequest(
          "Service instance "
              + request.instanceId()
              + " belongs to service "
              + row.serviceId()
              + ", not "
              + request.serviceId());
    }
    UUID target = request.planId() == null ? null : uuid(request.planId(), "plan_id");
    Operation op = last.get();
    if (!op.finished()) {
      if (op.kind() == OperationKind.UPGRADE && Objects.equals(target, row.operationPlanId())) {
        return OperationResponse.accepted(op.id().toString());
      }
      throw busy(request.instanceId());
    }
    Subscription s = subscriptions.subscription(row.ownerId(), row.subscriptionId());
    if (target == null || target.equals(s.plan().id())) {
      return OperationResponse.done(url(s));
    }
    if (!request.acceptsIncomplete()) {
      throw ServiceBrokerException.asyncRequired();
    }
    Plan plan = planOf(port.service(row.serviceId()), request.planId());
    String key =
        "osb-update:" + Sha256.fingerprint(row.instanceId(), row.attempt(), target, op.id());
    Operation upgrade;
    try {
      upgrade = upgrades.startUpgrade(row.ownerId(), row.subscriptionId(), plan.slug(), key);
    } catch (MinisPodException e) {
      throw Refusals.ofPlanChange(e, s.plan(), plan);
    }
    store.started(row, row.subscriptionId(), upgrade.id(), target);
    log.info(
        "Service instance {} moves from {} to {} (operation {})",
        row.instanceId(),
        s.plan().slug(),
        plan.slug(),
        upgrade.id());
    return OperationResponse.accepted(upgrade.id().toString());
  }

  @Override
  public OperationResponse deprovision(DeprovisionRequest request) {
    if (!request.acceptsIncomplete()) {
      throw ServiceBrokerException.asyncRequired();
    }
    InstanceStore.Row row = existing(request.instanceId());
    Optional<Operation> last = lastOperationOf(row);
    if (gone(last)) {
      throw ServiceBrokerException.gone(
          "Service instance " + request.instanceId() + " does not exist");
    }
    if (last.isEmpty() || !last.get().finished()) {
      if (last.isPresent() && last.get().kind() == OperationKind.CANCEL) {
        return OperationResponse.accepted(last.get().id().toString());
      }
      throw busy(request.instanceId());
    }
    Operation cancel;
    try {
      cancel = subscriptions.startCancel(row.ownerId(), row.subscriptionId());
    } catch (MinisPodException e) {
      throw Refusals.of(e);
    }
    store.started(row, row.subscriptionId(), cancel.id(), null);
    revokeBindings(row);
    log.info(
        "Service instance {} deprovisions subscription {} (operation {})",
        row.instanceId(),
        row.subscriptionId(),
        cancel.id());
    return OperationResponse.accepted(cancel.id().toString());
  }

  @Override
  public ServiceBinding bind(BindRequest request) {
    if (credentials == null) {
      throw ServiceBrokerException.badRequest("This broker offers no bindings (bindable: false)");
    }
    String bindingId = requireId(request.bindingId(), "binding_id");
    requireNoParameters(request.parameters());
    Subscription s = bindable(request.instanceId());
    BindingStore.Row wanted =
        new BindingStore.Row(
            bindingId,
            request.instanceId(),
            Sha256.fingerprint(
                request.instanceId(), request.serviceId(), request.planId(), request.appGuid()));
    boolean created = bindings.insert(wanted);
    if (!created && !bindings.find(bindingId).map(wanted::equals).orElse(false)) {
      throw ServiceBrokerException.conflict(
          "Service binding " + bindingId + " already exists with other attributes");
    }
    Map<String, String> credential;
    try {
      credential = credentials.bind(ref(s), bindingId);
    } catch (RuntimeException e) {
      if (created) {
        bindings.delete(bindingId);
      }
      throw e;
    }
    if (created) {
      log.info("Service binding {} binds service instance {}", bindingId, request.instanceId());
    }
    return new ServiceBinding(created ? 201 : 200, withUri(credential, s));
  }

  @Override
  public ServiceBinding binding(String instanceId, String bindingId) {
    BindingStore.Row row =
        bindings
            .find(bindingId)
            .filter(b -> b.instanceId().equals(instanceId))
            .orElseThrow(
                () ->
                    ServiceBrokerException.notFound(
                        "Service binding "
                            + bindingId
                            + " of instance "
                            + instanceId
                            + " does not exist"));
    InstanceStore.Row instance = store.find(row.instanceId()).orElseThrow();
    Subscription s = subscriptions.subscription(instance.ownerId(), instance.subscriptionId());
    return new ServiceBinding(200, withUri(credentials.bind(ref(s), bindingId), s));
  }

  @Override
  public void unbind(UnbindRequest request) {
    BindingStore.Row row =
        bindings
            .find(request.bindingId())
            .filter(b -> b.instanceId().equals(request.instanceId()))
            .orElseThrow(
                () ->
                    ServiceBrokerException.gone(
                        "Service binding " + request.bindingId() + " does not exist"));
    InstanceStore.Row instance = store.find(row.instanceId()).orElseThrow();
    revoke(instance, row.bindingId());
  }

  /** The live, provisioned instance's subscription, for a new binding. */
  private Subscription bindable(String instanceId) {
    InstanceStore.Row row =
        store
            .find(instanceId)
            .orElseThrow(
                () ->
                    ServiceBrokerException.unprocessable(
                        "Service instance " + instanceId + " does not exist"));
    Optional<Operation> last = lastOperationOf(row);
    if (last.isEmpty() || gone(last)) {
      throw ServiceBrokerException.unprocessable(
          "Service instance " + instanceId + " does not exist");
    }
    if (!last.get().finished()) {
      throw busy(instanceId);
    }
    return subscriptions.subscription(row.ownerId(), row.subscriptionId());
  }

  private void revokeBindings(InstanceStore.Row row) {
    for (String bindingId : bindings.ofInstance(row.instanceId())) {
      revoke(row, bindingId);
    }
  }

  private void revoke(InstanceStore.Row instance, String bindingId) {
    if (credentials != null && instance.subscriptionId() != null) {
      Subscription s = subscriptions.subscription(instance.ownerId(), instance.subscriptionId());
      if (s.instance() != null) {
        credentials.unbind(ref(s), bindingId);
      }
    }
    bindings.delete(bindingId);
    log.info("Service binding {} of instance {} revoked", bindingId, instance.instanceId());
  }

  private static InstanceRef ref(Subscription s) {
    return new InstanceRef(s.instance().id(), s.userId());
  }

  private static Map<String, Object> withUri(Map<String, String> credential, Subscription s) {
    Map<String, Object> all = new LinkedHashMap<>();
    if (s.instance().url() != null) {
      all.put("uri", s.instance().url());
    }
    all.putAll(credential);
    return all;
  }

  private InstanceStore.Row existing(String instanceId) {
    return store
        .find(instanceId)
        .orElseThrow(
            () ->
                ServiceBrokerException.gone("Service instance " + instanceId + " does not exist"));
  }

  private Optional<Operation> lastOperationOf(InstanceStore.Row row) {
    return row.operationId() == null
        ? Optional.empty()
        : Optional.of(operations.operation(row.ownerId(), row.operationId()));
  }

  /** Whether the id's instance is no more: its provisioning failed, or it was deprovisioned. */
  private static boolean gone(Optional<Operation> last) {
    return last.map(
            op ->
                (op.kind() == OperationKind.SUBSCRIBE && op.status() == OperationStatus.FAILED)
                    || (op.kind() == OperationKind.CANCEL
                        && op.status() == OperationStatus.SUCCEEDED))
        .orElse(false);
  }

  private String dashboardUrl(InstanceStore.Row row) {
    return url(subscriptions.subscription(row.ownerId(), row.subscriptionId()));
  }

  private static String url(Subscription s) {
    return s.instance() == null ? null : s.instance().url();
  }

  private ServiceStructure activeService(String serviceId) {
    UUID id = uuid(serviceId, "service_id");
    try {
      ServiceStructure service = port.service(id);
      if (service.definition().status() == ServiceStatus.ACTIVE) {
        return service;
      }
    } catch (CatalogNotFoundException e) {
      // answered below, as for an archived service
    }
    throw ServiceBrokerException.badRequest(
        "service_id " + serviceId + " is not a service offering of this broker's catalog");
  }

  private static Plan planOf(ServiceStructure service, String planId) {
    return service
        .plan(uuid(planId, "plan_id"))
        .filter(Plan::active)
        .orElseThrow(
            () ->
                ServiceBrokerException.badRequest(
                    "plan_id "
                        + planId
                        + " is not an active plan of service "
                        + service.definition().slug()));
  }

  private static UUID uuid(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ServiceBrokerException.badRequest(field + " is required");
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ServiceBrokerException.badRequest(
          field + " '" + value + "' is not an id this broker issued");
    }
  }

  private static String requireId(String id, String field) {
    if (id == null || id.isBlank() || id.length() > ServiceBroker.MAX_ID_LENGTH) {
      throw ServiceBrokerException.badRequest(
          field + " must be 1 to " + ServiceBroker.MAX_ID_LENGTH + " characters");
    }
    return id;
  }

  private static void requireNoParameters(Map<String, Object> parameters) {
    if (!parameters.isEmpty()) {
      throw ServiceBrokerException.badRequest(
          "This broker takes no parameters; got " + parameters.keySet());
    }
  }

  private static ServiceBrokerException busy(String instanceId) {
    return ServiceBrokerException.concurrencyError(
        "Another operation for service instance " + instanceId + " is in progress");
  }

  private static ServiceBrokerException notFound(String instanceId, String why) {
    return ServiceBrokerException.notFound("Service instance " + instanceId + " " + why);
  }

  private static ServiceBrokerException notItsOperation(String instanceId, String operation) {
    return ServiceBrokerException.badRequest(
        "operation " + operation + " is not an operation of service instance " + instanceId);
  }
}
