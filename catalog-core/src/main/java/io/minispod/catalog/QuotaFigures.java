package io.minispod.catalog;

/**
 * A plan's capacity as its quota pool reports it.
 *
 * @param total how many subscriptions the plan can hold
 * @param used how many it holds now (pending holds included)
 */
public record QuotaFigures(long total, long used) {

  /**
   * How many more subscriptions the plan can take.
   *
   * @return {@code total - used}, never below 0
   */
  public long available() {
    return Math.max(0, total - used);
  }
}
