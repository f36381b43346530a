package io.minispod.subscription;

/** Where an instance is in its life. */
public enum InstanceStatus {
  /** Being created (or resized) by the provisioner. */
  PROVISIONING,
  /** Up and passing its health checks. */
  RUNNING,
  /** Up but failing its health checks. */
  DEGRADED,
  /** Stopped while its subscription is suspended: nothing runs, its data is kept. */
  STOPPED,
  /** Could not be provisioned; its resources were removed. */
  FAILED,
  /** Being removed after a cancellation. */
  DEPROVISIONING,
  /** Removed. */
  DELETED
}
