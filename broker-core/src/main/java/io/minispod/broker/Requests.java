package io.minispod.broker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the request records share: copying JSON objects. */
final class Requests {

  private Requests() {}

  /** An unmodifiable copy; {@code null} reads as empty. JSON {@code null} values are kept. */
  static Map<String, Object> copy(Map<String, Object> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
