package io.minispod;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 in lower-case hex: what every module binds an idempotency key to (the fingerprint of the
 * request that first used it), and how names derived from ids are shortened.
 */
public final class Sha256 {

  private static final char PART_SEPARATOR = '\u001f';

  private Sha256() {}

  /**
   * The digest of a text.
   *
   * @param text the text, read as UTF-8
   * @return 64 lower-case hex digits
   */
  public static String hex(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * The fingerprint of a request: the digest of its parts, each followed by the ASCII unit
   * separator, so that {@code ("ab", "c")} and {@code ("a", "bc")} differ.
   *
   * @param parts the request's parts, in a fixed order ({@code toString()} of each)
   * @return 64 lower-case hex digits
   */
  public static String fingerprint(Object... parts) {
    StringBuilder canonical = new StringBuilder();
    for (Object part : parts) {
      canonical.append(part).append(PART_SEPARATOR);
    }
    return hex(canonical.toString());
  }
}
