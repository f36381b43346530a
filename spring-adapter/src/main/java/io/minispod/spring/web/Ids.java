package io.minispod.spring.web;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;
import java.util.UUID;

/** Path ids: one that is not a UUID cannot name anything, so it is a 404 like an unknown one. */
final class Ids {

  private Ids() {}

  static UUID parse(String what, String id) {
    try {
      if (id != null && id.length() == 36) {
        return UUID.fromString(id);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the 404 below
    }
    throw new MinisPodException(ErrorCode.NOT_FOUND, "No " + what + " with that id", Map.of());
  }
}
