package io.minispod.subscription;

import io.minispod.catalog.Page;
import io.minispod.catalog.PageRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A user's instances: listing, details with usage, health and upgrade recommendation, status
 * history, and configuration changes (environment variables, custom domain).
 */
public interface InstanceService {

  /** The plan feature that allows a custom domain: {@code features.customDomain = true}. */
  String CUSTOM_DOMAIN_FEATURE = "customDomain";

  /**
   * The user's instances, newest first.
   *
   * @param userId whose
   * @return the instances, deleted and failed ones included
   */
  List<Instance> instances(String userId);

  /**
   * One of the user's instances, with its plan's limits, current usage, last health check, custom
   * domain and upgrade recommendation.
   *
   * @param userId whose
   * @param instanceId which
   * @return the instance
   * @throws io.minispod.catalog.CatalogNotFoundException if the user has no such instance
   */
  Instance instance(String userId, UUID instanceId);

  /**
   * The status transitions of one of the user's instances, newest first.
   *
   * @param userId whose
   * @param instanceId which
   * @param page which page
   * @return the page, with the number of transitions in all
   * @throws io.minispod.catalog.CatalogNotFoundException if the user has no such instance
   * @throws io.minispod.ValidationException if {@code page} is missing
   */
  Page<InstanceTransition> history(String userId, UUID instanceId, PageRequest page);

  /**
   * Changes an instance's configuration and applies it through the provisioner, as one workflow
   * serialised with the subscription's others. Environment keys the service's template manages are
   * refused. A custom domain is a host name such as {@code blog.example.com} (compared in lower
   * case), served besides the instance's own host and told to the app as its host; it needs a plan
   * whose {@code features.customDomain} is {@code true} (removing one does not), and one instance
   * at a time may hold it. The platform may refuse a host name of its own domain.
   *
   * @param userId whose instance
   * @param instanceId which
   * @param update what to change
   * @return the instance with its new configuration
   * @throws io.minispod.catalog.CatalogNotFoundException if the user has no such instance
   * @throws io.minispod.ValidationException naming every managed or malformed key, over-long value
   *     and a custom domain that is no DNS-1123 host name of two labels or more; nothing is changed
   * @throws UpgradeRequiredException if a custom domain is set on a plan without the feature; its
   *     details name the cheapest plan that has it
   * @throws SubscriptionConflictException if the instance is not running, another operation is in
   *     progress on its subscription, or another instance holds the custom domain
   * @throws io.minispod.MinisPodException with {@code PROVISIONING_FAILED} if the platform refused;
   *     nothing is changed
   */
  Instance update(String userId, UUID instanceId, InstanceUpdate update);

  /**
   * Starts a configuration change as {@link #update} does and returns at once with its operation
   * (of kind {@link OperationKind#UPDATE_ENV}); the refusals are thrown here, a platform's refusal
   * ends the operation.
   *
   * @param userId whose instance
   * @param instanceId which
   * @param update what to change
   * @return the operation, usually still {@link OperationStatus#RUNNING}
   * @see #update for the errors thrown here
   */
  Operation startUpdate(String userId, UUID instanceId, InstanceUpdate update);

  /**
   * Sets (or, with a {@code null} value, removes) environment variables of an instance and applies
   * them through the provisioner: {@link #update} with {@link InstanceUpdate#ofEnv}.
   *
   * @param userId whose instance
   * @param instanceId which
   * @param changes variable name to new value, {@code null} to remove
   * @return the instance with its new environment
   * @see #update for the errors thrown
   */
  default Instance updateEnv(String userId, UUID instanceId, Map<String, String> changes) {
    return update(userId, instanceId, InstanceUpdate.ofEnv(changes));
  }

  /**
   * Starts an environment update as {@link #updateEnv} does and returns at once with its operation:
   * {@link #startUpdate} with {@link InstanceUpdate#ofEnv}.
   *
   * @param userId whose instance
   * @param instanceId which
   * @param changes variable name to new value, {@code null} to remove
   * @return the operation, usually still {@link OperationStatus#RUNNING}
   * @see #update for the errors thrown here
   */
  default Operation startUpdateEnv(String userId, UUID instanceId, Map<String, String> changes) {
    return startUpdate(userId, instanceId, InstanceUpdate.ofEnv(changes));
  }
}
