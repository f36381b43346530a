package io.minispod.catalog;

/** Whether a service is offered. */
public enum ServiceStatus {
  /** Listed in the catalog and open to new subscriptions. */
  ACTIVE,
  /**
   * Hidden from the catalog and closed to new subscriptions; existing subscriptions and their
   * instances keep running.
   */
  ARCHIVED
}
