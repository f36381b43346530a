package io.minispod.subscription;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A user's instances: listing, details with usage and health, and environment changes. */
public interface InstanceService {

  /**
   * The user's instances, newest first.
   *
   * @param userId whose
   * @return the instances, deleted and failed ones included
   */
  List<Instance> instances(String userId);

  /**
   * One of the user's instances, with its plan's limits, current usage and last health check.
   *
   * @param userId whose
   * @param instanceId which
   * @return the instance
   * @throws CatalogNotFoundException if the user has no such instance
   */
  Instance instance(String userId, UUID instanceId);

  /**
   * Sets (or, with a {@code null} value, removes) environment variables of an instance and applies
   * them through the provisioner. Keys the service's template manages are refused.
   *
   * @param userId whose instance
   * @param instanceId which
   * @param changes variable name to new value, {@code null} to remove
   * @return the instance with its new environment
   * @throws CatalogNotFoundException if the user has no such instance
   * @throws io.minispod.ValidationException naming every managed or malformed key and over-long
   *     value; nothing is changed
   * @throws SubscriptionConflictException if the instance is not running
   * @throws io.minispod.MinisPodException with {@code PROVISIONING_FAILED} if the platform refused;
   *     nothing is changed
   */
  Instance updateEnv(String userId, UUID instanceId, Map<String, String> changes);

  /**
   * Starts an environment update as {@link #updateEnv} does and returns at once with its operation;
   * the bad keys and values are refused here, a platform's refusal ends the operation.
   *
   * @param userId whose instance
   * @param instanceId which
   * @param changes variable name to new value, {@code null} to remove
   * @return the operation, usually still {@link OperationStatus#RUNNING}
   * @see #updateEnv for the errors thrown here
   */
  Operation startUpdateEnv(String userId, UUID instanceId, Map<String, String> changes);
}
