package io.minispod.catalog.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The payloads sent on the {@value #CHANNEL} channel. {@code catalog} comes from the triggers on
 * the catalog tables (any committed change); {@code quota:<node>:<plan id>,…} from {@link
 * io.minispod.catalog.CatalogPort#quotaChanged} on the node that changed those plans' usage.
 */
record ChangeSignal(Kind kind, String origin, List<UUID> planIds) {

  /** The PostgreSQL channel; the migration's trigger function uses the same name. */
  static final String CHANNEL = "minispod_catalog";

  /** What the catalog triggers send. */
  static final String CATALOG = "catalog";

  private static final String QUOTA_PREFIX = "quota:";

  /** Plan ids per notification: PostgreSQL payloads must stay below 8,000 bytes. */
  static final int PLANS_PER_PAYLOAD = 150;

  enum Kind {
    /** The catalog structure changed: drop everything. */
    CATALOG,
    /** Some plans' usage changed: drop their quota figures. */
    QUOTA,
    /** Not understood: drop everything, to be safe. */
    UNKNOWN
  }

  static ChangeSignal parse(String payload) {
    if (CATALOG.equals(payload)) {
      return new ChangeSignal(Kind.CATALOG, null, List.of());
    }
    if (payload != null && payload.startsWith(QUOTA_PREFIX)) {
      int colon = payload.indexOf(':', QUOTA_PREFIX.length());
      if (colon > 0) {
        try {
          List<UUID> ids = new ArrayList<>();
          for (String id : payload.substring(colon + 1).split(",")) {
            if (!id.isEmpty()) {
              ids.add(UUID.fromString(id));
            }
          }
          return new ChangeSignal(
              Kind.QUOTA, payload.substring(QUOTA_PREFIX.length(), colon), List.copyOf(ids));
        } catch (IllegalArgumentException e) {
          // falls through: not one of ours
        }
      }
    }
    return new ChangeSignal(Kind.UNKNOWN, null, List.of());
  }

  /** The payloads announcing that some plans' usage changed, in chunks that fit a NOTIFY. */
  static List<String> quotaPayloads(String origin, Collection<UUID> planIds) {
    List<String> payloads = new ArrayList<>();
    StringBuilder payload = null;
    int inPayload = 0;
    for (UUID planId : planIds) {
      if (payload == null || inPayload == PLANS_PER_PAYLOAD) {
        if (payload != null) {
          payloads.add(payload.toString());
        }
        payload = new StringBuilder(QUOTA_PREFIX).append(origin).append(':');
        inPayload = 0;
      } else {
        payload.append(',');
      }
      payload.append(planId);
      inPayload++;
    }
    if (payload != null) {
      payloads.add(payload.toString());
    }
    return payloads;
  }
}
