package io.minispod.broker;

import io.minispod.Sha256;
import java.util.Map;

/**
 * Who a provisioned instance's subscription belongs to (see docs/broker.md): the Cloud Foundry
 * space or the Kubernetes namespace the platform provisions into, so that quota, instance limits
 * and the one live subscription per service hold per space or namespace; without either, the
 * platform's user from the originating identity.
 */
final class Owners {

  /** The longest user id the subscriptions accept. */
  private static final int MAX_OWNER_LENGTH = 150;

  private Owners() {}

  static String of(Map<String, Object> context, String spaceGuid, OriginatingIdentity identity) {
    String platform = text(context, "platform");
    String space = text(context, "space_guid");
    String namespace = text(context, "namespace");
    String owner;
    if (space != null) {
      owner = "cf:space:" + space;
    } else if (namespace != null) {
      String cluster = text(context, "clusterid");
      owner =
          (platform == null ? "kubernetes" : platform)
              + ":namespace:"
              + (cluster == null ? "" : cluster + "/")
              + namespace;
    } else if (spaceGuid != null && !spaceGuid.isBlank()) {
      owner = "cf:space:" + spaceGuid;
    } else if (identity != null && user(identity) != null) {
      owner = identity.platform() + ":user:" + user(identity);
    } else {
      throw ServiceBrokerException.badRequest(
          "Cannot tell whose instance this is: send context.space_guid (Cloud Foundry),"
              + " context.namespace (Kubernetes), space_guid, or an"
              + " X-Broker-API-Originating-Identity header with the platform's user");
    }
    return owner.length() <= MAX_OWNER_LENGTH ? owner : "osb:" + Sha256.hex(owner);
  }

  private static String user(OriginatingIdentity identity) {
    for (String key : new String[] {"user_id", "uid", "username"}) {
      String user = text(identity.properties(), key);
      if (user != null) {
        return user;
      }
    }
    return null;
  }

  private static String text(Map<String, Object> map, String key) {
    Object value = map.get(key);
    return value instanceof String s && !s.isBlank() ? s : null;
  }
}
