package io.minispod.quota;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;

/** A request named a pool that was never defined. Nothing was changed. */
public final class UnknownPoolException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  private final String poolKey;

  UnknownPoolException(String poolKey) {
    super(ErrorCode.NOT_FOUND, "No pool " + poolKey, Map.of("poolKey", poolKey));
    this.poolKey = poolKey;
  }

  /**
   * The key that named no pool.
   *
   * @return the key
   */
  public String poolKey() {
    return poolKey;
  }
}
