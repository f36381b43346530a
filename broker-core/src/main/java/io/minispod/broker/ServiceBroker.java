package io.minispod.broker;

import io.minispod.catalog.Catalog;
import io.minispod.subscription.Subscriptions;
import java.util.List;

/**
 * The broker side of the Open Service Broker API v2.17 over the MinisPod catalog and subscriptions,
 * free of any HTTP framework: an HTTP layer (spring-adapter's, or a host's own) parses the request
 * into the records of this package, calls one method, and writes the answer, or the {@link
 * ServiceBrokerException}'s status with the body {@code {"error": …, "description": …}}.
 *
 * <p>A service instance is a subscription: the platform chooses its id, the broker maps it to the
 * subscription that provisioning it created (in the {@code minispod_broker} schema, see {@link
 * BrokerSchema}), and the subscription's user is derived from the provision request's {@code
 * context} or originating identity (see {@code docs/broker.md}). Provision, update and deprovision
 * are asynchronous: they answer 202 with an {@code operation} at once, and {@link #lastOperation}
 * follows it.
 *
 * <pre>{@code
 * ServiceBroker broker = ServiceBroker.builder(catalog, subscriptions).build();
 * OperationResponse started = broker.provision(new ProvisionRequest("inst-1", serviceId, planId,
 *     Map.of("platform", "cloudfoundry", "space_guid", "s-1"), null, null, Map.of(), null, true,
 *     null));
 * LastOperation state = broker.lastOperation("inst-1", started.operation());
 * }</pre>
 */
public interface ServiceBroker {

  /** The longest instance id the broker accepts. */
  int MAX_ID_LENGTH = 200;

  /** The version of the Open Service Broker API this broker implements. */
  String API_VERSION = "2.17";

  /** The oldest {@code X-Broker-API-Version} this broker accepts. */
  String MIN_API_VERSION = "2.13";

  /**
   * Starts building a broker.
   *
   * @param catalog the catalog whose services and plans it offers
   * @param subscriptions the subscriptions it provisions instances as
   * @return a builder with ready defaults
   */
  static ServiceBrokerBuilder builder(Catalog catalog, Subscriptions subscriptions) {
    return new ServiceBrokerBuilder(catalog, subscriptions);
  }

  /**
   * Checks the {@code X-Broker-API-Version} header of a request.
   *
   * @param header the header's value, or {@code null} when absent
   * @throws ServiceBrokerException with status 412 if it is absent, malformed, or older than
   *     {@value #MIN_API_VERSION}
   */
  static void requireApiVersion(String header) {
    ApiVersion.require(header);
  }

  /**
   * {@code GET /v2/catalog}: every active service with its active plans.
   *
   * @return the service offerings, by name
   */
  List<ServiceOffering> catalog();

  /**
   * {@code PUT /v2/service_instances/:instance_id}: starts provisioning an instance, or answers a
   * repeated request as the spec says (200 when the identical instance exists, 202 while it is
   * being provisioned).
   *
   * @param request the request
   * @return 202 with the operation, or 200 when the identical instance already exists
   * @throws ServiceBrokerException 422 {@code AsyncRequired} without {@code accepts_incomplete};
   *     400 for an unknown service or plan, parameters, or a request whose owner cannot be told;
   *     409 when the id is taken with other attributes; 422 {@code ConcurrencyError} while another
   *     operation runs on it; 422 {@code MaintenanceInfoConflict}; 422 with a description when the
   *     plan is full, the owner's or the cluster's limits are reached, or the owner already has a
   *     live instance of the service
   */
  OperationResponse provision(ProvisionRequest request);

  /**
   * {@code GET /v2/service_instances/:instance_id/last_operation}.
   *
   * @param instanceId the instance
   * @param operation the {@code operation} query parameter, or {@code null} for the instance's
   *     latest
   * @return the state of the operation, with a description
   * @throws ServiceBrokerException 410 when the instance does not exist or its deprovision
   *     succeeded; 400 for an operation that is not the instance's
   */
  LastOperation lastOperation(String instanceId, String operation);

  /**
   * {@code GET /v2/service_instances/:instance_id}.
   *
   * @param instanceId the instance
   * @return the instance's service, plan and URL
   * @throws ServiceBrokerException 404 when it does not exist or is still being provisioned; 422
   *     {@code ConcurrencyError} while it is being updated or deprovisioned
   */
  ServiceInstance instance(String instanceId);

  /**
   * {@code PATCH /v2/service_instances/:instance_id}: starts moving the instance to another plan,
   * as the subscriptions' {@link io.minispod.subscription.UpgradePolicy} allows.
   *
   * @param request the request
   * @return 202 with the operation, or 200 when there is nothing to change
   * @throws ServiceBrokerException 404 when the instance does not exist; 400 for another service,
   *     an unknown plan or parameters; 422 {@code AsyncRequired}; 422 {@code ConcurrencyError}; 422
   *     {@code MaintenanceInfoConflict}; 422 with a description when the policy refuses the change
   *     (by default, anything but an upgrade), the plan is full or the cluster is
   */
  OperationResponse update(UpdateRequest request);

  /**
   * {@code DELETE /v2/service_instances/:instance_id}: starts deprovisioning the instance.
   *
   * @param request the request
   * @return 202 with the operation (the same one when repeated while it runs)
   * @throws ServiceBrokerException 422 {@code AsyncRequired}; 410 when the instance does not exist
   *     (never provisioned, failed, or deprovisioned); 422 {@code ConcurrencyError} while it is
   *     being provisioned or updated
   */
  OperationResponse deprovision(DeprovisionRequest request);

  /**
   * {@code PUT /v2/service_instances/:instance_id/service_bindings/:binding_id}: creates a
   * per-binding credential for the instance (synchronously), or returns the identical binding's.
   *
   * @param request the request
   * @return 201 with the credentials, or 200 when the identical binding exists
   * @throws ServiceBrokerException 400 when the broker was built without {@link
   *     io.minispod.provisioner.BindingCredentials} (its catalog then says {@code bindable: false})
   *     or for parameters; 409 when the id binds another instance or application; 422 when the
   *     instance does not exist or is not provisioned; 422 {@code ConcurrencyError} while an
   *     operation runs on the instance
   */
  ServiceBinding bind(BindRequest request);

  /**
   * {@code GET /v2/service_instances/:instance_id/service_bindings/:binding_id}.
   *
   * @param instanceId the instance
   * @param bindingId the binding
   * @return 200 with the credentials
   * @throws ServiceBrokerException 404 when the binding does not exist (or binds another instance)
   */
  ServiceBinding binding(String instanceId, String bindingId);

  /**
   * {@code DELETE /v2/service_instances/:instance_id/service_bindings/:binding_id}: revokes the
   * binding's credential (synchronously), so it stops working.
   *
   * @param request the request
   * @throws ServiceBrokerException 410 when the binding does not exist
   */
  void unbind(UnbindRequest request);
}
