package io.minispod.quota;

import io.minispod.FieldErrors;

/**
 * An amount taken from one pool, such as one slot of {@code plan:pro} or 500 millicores of {@code
 * cluster:cpu-millicores}.
 *
 * @param poolKey the pool's key
 * @param amount how much, always positive
 */
public record QuotaItem(String poolKey, long amount) {

  /**
   * Validates the item.
   *
   * @throws io.minispod.ValidationException if the key is blank or too long, or the amount is not
   *     positive
   */
  public QuotaItem {
    FieldErrors errors = new FieldErrors();
    PoolKeys.check(errors, "poolKey", poolKey);
    errors.require(amount > 0, "amount", "must be positive, was " + amount);
    errors.throwIfAny();
  }

  /**
   * Shorthand for {@code new QuotaItem(poolKey, amount)}.
   *
   * @param poolKey the pool's key
   * @param amount how much, positive
   * @return the item
   */
  public static QuotaItem of(String poolKey, long amount) {
    return new QuotaItem(poolKey, amount);
  }
}
