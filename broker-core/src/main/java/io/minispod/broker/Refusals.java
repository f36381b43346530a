package io.minispod.broker;

import io.minispod.MinisPodException;
import io.minispod.catalog.Plan;
import io.minispod.subscription.InvalidPlanException;
import io.minispod.subscription.Operation;
import io.minispod.subscription.UpgradeDecision;

/**
 * What the subscriptions' errors mean to a platform: refusals thrown at the start of an operation
 * become {@link ServiceBrokerException}s, failures an operation ended with become the description
 * of its {@code last_operation}.
 */
final class Refusals {

  private Refusals() {}

  /** A refusal of a subscribe or cancel; errors that are not refusals are thrown as they are. */
  static RuntimeException of(MinisPodException e) {
    switch (e.code()) {
      case VALIDATION_FAILED:
      case NOT_FOUND:
      case INVALID_PLAN:
        return ServiceBrokerException.badRequest(e.getMessage());
      case DUPLICATE_SUBSCRIPTION:
        return ServiceBrokerException.unprocessable(
            "The owner already has a live instance of this service, and an owner (a space or"
                + " namespace) may have one per service: update that instance's plan instead ("
                + e.getMessage()
                + ")");
      case QUOTA_EXCEEDED:
        return ServiceBrokerException.unprocessable(
            "The plan is full, try a higher plan or later: " + e.getMessage());
      case INSUFFICIENT_RESOURCES:
        return ServiceBrokerException.unprocessable(
            "There is not enough capacity for this plan: " + e.getMessage());
      case PAYMENT_FAILED:
        return ServiceBrokerException.unprocessable(
            "The payment was declined; nothing was charged: " + e.getMessage());
      case CONFLICT:
        return ServiceBrokerException.concurrencyError(
            "Another operation on the service instance is in progress: " + e.getMessage());
      default:
        return e;
    }
  }

  /** A refusal of a plan change from {@code current} to {@code target}. */
  static RuntimeException ofPlanChange(MinisPodException e, Plan current, Plan target) {
    if (e instanceof InvalidPlanException invalid) {
      String reason = invalid.reason();
      String why;
      if (UpgradeDecision.NOT_AN_UPGRADE.equals(reason)) {
        why =
            "only upgrades to a plan of a higher tier are allowed ("
                + current.slug()
                + " is tier "
                + current.tier()
                + ", "
                + target.slug()
                + " is tier "
                + target.tier()
                + ")";
      } else if (InvalidPlanException.STORAGE_CANNOT_GROW.equals(reason)) {
        why = "it has more storage and the platform cannot grow an instance's volumes";
      } else if (UpgradeDecision.INACTIVE_PLAN.equals(reason)) {
        why = "the plan is no longer offered";
      } else {
        why = "the plan change is not allowed (" + reason + ")";
      }
      return ServiceBrokerException.unprocessable(
          "Cannot change the plan from " + current.slug() + " to " + target.slug() + ": " + why);
    }
    return of(e);
  }

  /** What a platform's user reads while an operation runs, once it succeeded, or why it failed. */
  static String describe(Operation op) {
    String what =
        switch (op.kind()) {
          case SUBSCRIBE -> "Provisioning the instance";
          case UPGRADE -> "Changing the instance's plan";
          case CANCEL -> "Deprovisioning the instance";
          default -> "Updating the instance";
        };
    switch (op.status()) {
      case RUNNING:
        return what + " (step " + op.step() + ")";
      case SUCCEEDED:
        return what + ": done";
      default:
        return what + " failed: " + failure(op.failure());
    }
  }

  private static String failure(MinisPodException failure) {
    if (failure == null) {
      return "no reason was recorded";
    }
    switch (failure.code()) {
      case PAYMENT_FAILED:
        return "the payment was declined, nothing was charged (" + failure.getMessage() + ")";
      case PROVISIONING_FAILED:
        return "the platform could not run it; its resources were removed, its quota released"
            + " and the payment refunded ("
            + failure.getMessage()
            + ")";
      case QUOTA_EXCEEDED:
        return "the plan is full (" + failure.getMessage() + ")";
      case INSUFFICIENT_RESOURCES:
        return "there is not enough capacity (" + failure.getMessage() + ")";
      default:
        return failure.getMessage();
    }
  }
}
