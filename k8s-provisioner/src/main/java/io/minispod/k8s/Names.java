package io.minispod.k8s;

import io.minispod.Sha256;

/**
 * How objects are named. Every name is a DNS label of at most 63 characters, so each is valid for
 * any kind (a Service name is the strictest); a name that would be longer is shortened and made
 * unique again by a hash of what was cut.
 */
final class Names {

  static final int MAX_LABEL = 63;

  /** Annotation-free, label-safe hash length of an owner id. */
  private static final int OWNER_KEY_LENGTH = 16;

  private Names() {}

  /** The label value standing for an owner id: never the id itself, which may be anything. */
  static String ownerKey(String ownerId) {
    return sha256(ownerId).substring(0, OWNER_KEY_LENGTH);
  }

  /** The namespace holding every instance of one owner. */
  static String namespace(String prefix, String ownerId) {
    return prefix + ownerKey(ownerId);
  }

  /** {@code base-suffix}, shortened to a DNS label when longer than 63 characters. */
  static String join(String base, String suffix) {
    String joined = base + "-" + suffix;
    if (joined.length() <= MAX_LABEL) {
      return joined;
    }
    String hash = sha256(joined).substring(0, 8);
    int keep = MAX_LABEL - hash.length() - 1;
    String head = joined.substring(0, keep);
    while (head.endsWith("-")) {
      head = head.substring(0, head.length() - 1);
    }
    return head + "-" + hash;
  }

  static String secret(String base) {
    return join(base, "secrets");
  }

  static String env(String base, String component) {
    return join(base, component + "-env");
  }

  static String volume(String base, String component) {
    return join(base, component + "-data");
  }

  static String deployment(String base, String component) {
    return join(base, component);
  }

  /** The app's Service is the instance's base name; a companion's adds its component name. */
  static String service(String base, String component, boolean app) {
    return app ? base : join(base, component);
  }

  /** The snapshot of one volume in one backup. */
  static String snapshot(String volume, String backupId) {
    return join(volume, backupId);
  }

  static String ingress(String base) {
    return base;
  }

  static String tlsSecret(String base) {
    return join(base, "tls");
  }

  /** The certificate of the instance's custom domain, apart from its own host's. */
  static String domainTlsSecret(String base) {
    return join(base, "domain-tls");
  }

  static String ingressPolicy(String base) {
    return join(base, "allow-ingress");
  }

  static String internalPolicy(String base) {
    return join(base, "allow-internal");
  }

  /**
   * The volume of a writable directory, from its path: {@code /var/run/mysqld} gives {@code
   * scratch-var-run-mysqld}.
   */
  static String scratchVolume(String path) {
    String slug = path.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    slug = slug.replaceAll("^-+|-+$", "");
    return join("scratch", slug.isEmpty() ? sha256(path).substring(0, 8) : slug);
  }

  static String sha256(String text) {
    return Sha256.hex(text);
  }
}
