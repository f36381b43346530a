package io.minispod.provisioner;

import java.util.List;
import java.util.Optional;

/**
 * Turns an instance specification into a running, isolated, resource-limited app, and takes it away
 * again. The SPI between the catalog's workflows and a platform: {@code k8s-provisioner} implements
 * it on Kubernetes, {@link InMemoryProvisioner} in memory for tests and the demo.
 *
 * <p>Every method must be idempotent: the catalog's workflows retry a step after a crash or a
 * transient failure, so provisioning an instance that exists, resizing to the size it has or
 * deprovisioning one that is gone must succeed and change nothing. Implementations report failures
 * as {@link ProvisioningException}s whose {@link ProvisioningException#retryable()} tells the
 * workflow whether trying again may help, made with {@link ProvisioningException#of}: users see
 * their {@link FailureReason} and reference, operators find the platform's words in the log under
 * that reference.
 *
 * <p>Generated secrets ({@link InstanceSpec#generatedSecrets()}) are created by the provisioner on
 * first provisioning and kept, unchanged, across later provisioning, resizing and restarts; their
 * values never leave the platform. Environment values may contain the placeholders {@code
 * {{host}}}, {@code {{url}}} and {@code {{scheme}}}, which the provisioner replaces with the
 * instance's public host name, its URL, and the scheme of that URL ({@code https} or {@code http},
 * as it is served).
 */
public interface Provisioner {

  /**
   * Creates (or confirms) everything the instance needs and waits until it is ready.
   *
   * @param spec what to run
   * @return where the instance is reachable
   * @throws ProvisioningException naming the reason when it cannot be made ready
   */
  ProvisionedInstance provision(InstanceSpec spec);

  /**
   * Applies new resources (a plan upgrade) to an instance, keeping its data and secrets, and waits
   * until it is ready again. Storage only ever grows. Like every call of this SPI it means "make it
   * so": an instance the platform lost (its namespace deleted by hand, its node gone) is created
   * again with the new resources, as {@link #provision} would.
   *
   * @param spec the instance with its new resources
   * @throws ProvisioningException when the change cannot be applied; nothing is changed when that
   *     is known before applying (such as storage that cannot be expanded)
   */
  void resize(InstanceSpec spec);

  /**
   * Whether {@link #resize} can grow an instance's storage on this platform, as the platform said
   * when the provisioner started. The catalog refuses an upgrade to a plan with more storage before
   * anything is charged when it cannot. A provisioner that cannot tell answers {@code true}: {@link
   * #resize} then refuses such a change itself, without changing anything.
   *
   * @return {@code false} only when storage is known not to grow; {@code true} by default
   */
  default boolean canGrowStorage() {
    return true;
  }

  /**
   * Removes every object of the instance, its backups included. Deprovisioning an instance that is
   * gone succeeds.
   *
   * @param instance which instance
   * @throws ProvisioningException when the platform refuses
   */
  void deprovision(InstanceRef instance);

  /**
   * Stops an instance without removing anything of it, as while its subscription is suspended: its
   * app no longer runs (on Kubernetes, its workloads are scaled to zero) and its data, secrets and
   * configuration are kept for {@link #start}. Stopping a stopped instance succeeds.
   *
   * <p>The default does nothing: a provisioner that cannot stop an instance leaves it running.
   *
   * @param instance which instance
   * @throws ProvisioningException when the platform refuses
   */
  default void stop(InstanceRef instance) {}

  /**
   * Starts a {@link #stop stopped} instance again with everything it had. Starting a running
   * instance succeeds.
   *
   * <p>The default does nothing, to match the default {@link #stop}.
   *
   * @param instance which instance
   * @throws ProvisioningException when the platform refuses
   */
  default void start(InstanceRef instance) {}

  /**
   * Checks whether the instance is up.
   *
   * @param instance which instance
   * @return its health as the platform sees it
   */
  InstanceHealth health(InstanceRef instance);

  /**
   * Reads the instance's current resource usage, where the platform measures it.
   *
   * @param instance which instance
   * @return the usage, or empty when the platform has no metrics
   */
  Optional<ResourceUsage> usage(InstanceRef instance);

  /**
   * Whether this provisioner can back instances up ({@link #backUp}, {@link #backups}). The catalog
   * takes no backup where it cannot, even on plans that advertise them.
   *
   * @return {@code false} by default
   */
  default boolean supportsBackups() {
    return false;
  }

  /**
   * Backs up the instance's data (every volume of it, together) and then deletes its oldest backups
   * beyond the newest {@code keep}. Idempotent by {@code key}: a call with a key that already made
   * a backup of the instance takes none and answers that backup, so a workflow retried after a
   * crash or a failure does not back up twice. Returns once the backup is requested from the
   * platform, which may still be copying the data.
   *
   * @param instance which instance
   * @param key names this backup among the instance's (such as {@code upgrade:<workflow id>}): the
   *     same key, the same backup
   * @param reason why it is taken
   * @param keep how many backups of the instance to keep, the new one included; at least 1
   * @return the backup; empty when the instance has no data on the platform to back up (no volume,
   *     or nothing of it left), which is no failure: nothing is taken or pruned then
   * @throws ProvisioningException when the platform cannot take it (nothing is pruned then)
   * @throws UnsupportedOperationException when {@link #supportsBackups()} is {@code false}
   */
  default Optional<InstanceBackup> backUp(
      InstanceRef instance, String key, InstanceBackup.Reason reason, int keep) {
    throw new UnsupportedOperationException(getClass().getName() + " takes no backups");
  }

  /**
   * The instance's backups that the platform keeps, newest first.
   *
   * @param instance which instance
   * @return the backups; empty when it has none or the provisioner takes none
   * @throws ProvisioningException when the platform cannot be read
   */
  default List<InstanceBackup> backups(InstanceRef instance) {
    return List.of();
  }

  /**
   * Every instance this provisioner has on the platform, as observed now: what a reconciler
   * compares with the instances that should run, to provision the missing ones again, resize those
   * whose resources drifted ({@link ObservedInstance#driftedFrom}) and deprovision those that no
   * live subscription owns.
   *
   * <p>An instance is listed as long as anything of it is left, so that orphans can be removed: a
   * whole one as {@link ObservedInstance.State#COMPLETE COMPLETE}, with the resources its app runs
   * with; one of which only some objects remain (its app's workload deleted by hand, a provisioning
   * that stopped half-way) as {@link ObservedInstance.State#INCOMPLETE INCOMPLETE}; one being torn
   * down as {@link ObservedInstance.State#DELETING DELETING}. An instance of which nothing is left
   * is not listed, and neither are objects of other provisioners or other applications sharing the
   * platform.
   *
   * <p>The answer is a snapshot assembled from several reads, not taken under a lock: an instance
   * that a call of this SPI is creating, resizing or removing at the same moment may be seen
   * half-made, or not at all. A reconciler therefore leaves alone the instances that a workflow is
   * working on.
   *
   * @return the instances, in no particular order
   * @throws ProvisioningException when the platform cannot be read ({@link
   *     ProvisioningException#retryable()} when trying again may help); it names no instance
   */
  List<ObservedInstance> instances();
}
