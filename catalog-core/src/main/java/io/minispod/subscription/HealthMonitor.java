package io.minispod.subscription;

import java.time.Duration;

/**
 * Checks the health and usage of every running instance, periodically, across any number of nodes:
 * each round a node claims the instances not checked for an interval ({@code FOR UPDATE SKIP
 * LOCKED}), so each instance is checked by one node per round.
 *
 * <p>An instance moves from {@link InstanceStatus#RUNNING} to {@link InstanceStatus#DEGRADED} after
 * a number of failed checks in a row and back after as many good ones; the {@link AlertSink} hears
 * of both, and of usage above the configured share of the plan's limits, with the plan to upgrade
 * to. {@link Subscriptions#start()} runs it in the background.
 */
public interface HealthMonitor {

  /**
   * How often each instance is checked.
   *
   * @return the interval
   */
  Duration interval();

  /**
   * Runs one round on this node: checks every instance that is due and no other node is checking.
   *
   * @return how many instances this node checked
   */
  int runRound();
}
