package io.minispod.billing;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;
import java.util.UUID;

/** No ledger line has the id. */
public final class UnknownBillingLineException extends MinisPodException {

  private static final long serialVersionUID = 1L;

  /** The id asked for. */
  private final UUID lineId;

  UnknownBillingLineException(UUID lineId) {
    super(
        ErrorCode.NOT_FOUND, "No billing line " + lineId, Map.of("lineId", String.valueOf(lineId)));
    this.lineId = lineId;
  }

  /**
   * The id asked for.
   *
   * @return the id
   */
  public UUID lineId() {
    return lineId;
  }
}
