package io.minispod;

/**
 * The stable error codes of MinisPod, as listed in the HTTP contract ({@code API.md}).
 *
 * <p>Codes never change meaning once published; HTTP status mapping is the business of the adapter
 * that serves them, not of the core modules.
 */
public enum ErrorCode {
  /** Malformed or invalid input; the details name every bad field. */
  VALIDATION_FAILED,
  /** No or invalid credentials. */
  UNAUTHENTICATED,
  /** Authenticated but not allowed. */
  FORBIDDEN,
  /** Unknown id or slug, or one that belongs to somebody else. */
  NOT_FOUND,
  /** The user already has a live subscription to the service. */
  DUPLICATE_SUBSCRIPTION,
  /** A plan (or any quota pool) has no capacity left for the request. */
  QUOTA_EXCEEDED,
  /** A user's or the cluster's resource limits would be exceeded. */
  INSUFFICIENT_RESOURCES,
  /** The requested action needs a higher plan. */
  UPGRADE_REQUIRED,
  /** The plan does not exist for the service, is inactive, or the change is not an upgrade. */
  INVALID_PLAN,
  /** A concurrent operation, a state that forbids the change, or a reused idempotency key. */
  CONFLICT,
  /** The payment gateway declined or failed. */
  PAYMENT_FAILED,
  /** The provisioner reported failure. */
  PROVISIONING_FAILED,
  /** Anything unexpected. */
  INTERNAL_ERROR
}
