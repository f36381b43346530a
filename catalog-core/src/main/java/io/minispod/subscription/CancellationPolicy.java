package io.minispod.subscription;

import java.time.Instant;

/**
 * How much of what was paid for the current period is refunded when a subscription is cancelled.
 * The default refunds nothing: the instance is gone at once, the period stays paid.
 */
@FunctionalInterface
public interface CancellationPolicy {

  /** Refunds nothing. */
  CancellationPolicy NO_REFUND = (subscription, at) -> 0;

  /**
   * The refund for a cancellation.
   *
   * @param subscription the subscription being cancelled, with what was paid for the period
   * @param at when it is cancelled
   * @return the amount to refund in minor units of the plan's currency, from 0 to {@code
   *     subscription.amountPaid()}
   */
  long refundOnCancel(Subscription subscription, Instant at);
}
