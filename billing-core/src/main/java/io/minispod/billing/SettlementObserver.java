package io.minispod.billing;

import java.util.UUID;

/**
 * Lets this package's tests see where a settlement stands, so that they can line up threads and
 * nodes without sleeping. Called on the settling thread, with no transaction open.
 */
interface SettlementObserver {

  /** Observes nothing. */
  SettlementObserver NONE = new SettlementObserver() {};

  /**
   * A caller claimed a line for a gateway attempt and is about to call the gateway.
   *
   * @param lineId the line
   * @param attempt the attempt's number
   */
  default void claimed(UUID lineId, long attempt) {}

  /**
   * A caller found another caller's attempt in progress and starts waiting for its answer.
   *
   * @param lineId the line
   * @param attempt the number of the attempt it waits for
   */
  default void waiting(UUID lineId, long attempt) {}

  /**
   * A gateway answer was not recorded: the attempt's claim had lapsed and another attempt took the
   * line over.
   *
   * @param lineId the line
   * @param attempt the number of the stale attempt
   */
  default void fenced(UUID lineId, long attempt) {}
}
