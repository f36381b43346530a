package io.minispod.k8s;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Makes the value of a generated secret. Tests plug in a predictable one for golden files. */
@FunctionalInterface
interface SecretGenerator {

  /** 24 random bytes from {@link SecureRandom}, hex-encoded: 48 characters safe in any config. */
  SecretGenerator SECURE_RANDOM =
      new SecretGenerator() {
        private final SecureRandom random = new SecureRandom();

        @Override
        public String generate(String key) {
          byte[] bytes = new byte[24];
          random.nextBytes(bytes);
          return HexFormat.of().formatHex(bytes);
        }
      };

  /**
   * A fresh value for a secret.
   *
   * @param key the secret's key, such as {@code mysql-password}
   * @return the value
   */
  String generate(String key);
}
