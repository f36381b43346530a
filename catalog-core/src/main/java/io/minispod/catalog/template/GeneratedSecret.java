package io.minispod.catalog.template;

import java.security.SecureRandom;

/**
 * A secret value the platform generates for each instance, such as n8n's encryption key or a
 * database password. Template environment values refer to it as {@code ${secret:NAME}}.
 *
 * <p>The value is generated once, when the instance is first provisioned, and kept for the
 * instance's life: upgrades, resizes and restarts reuse it (n8n cannot read its credentials with a
 * new encryption key). Provisioners store it in a Kubernetes Secret, never in a ConfigMap or a log.
 *
 * @param name the secret's name, a DNS label such as {@code encryption-key}
 * @param length how many characters to generate, from 16 to 128
 * @param alphabet which characters to use
 */
public record GeneratedSecret(String name, int length, Alphabet alphabet) {

  /** The characters a secret is drawn from. */
  public enum Alphabet {
    /** {@code A-Z a-z 0-9}: safe in URLs, shell variables and connection strings. */
    ALPHANUMERIC("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
    /** {@code 0-9 a-f}. */
    HEX("0123456789abcdef");

    private final String characters;

    Alphabet(String characters) {
      this.characters = characters;
    }

    /**
     * The characters of this alphabet.
     *
     * @return them, in order
     */
    public String characters() {
      return characters;
    }
  }

  /**
   * An alphanumeric secret.
   *
   * @param name the secret's name
   * @param length how many characters
   * @return the definition
   */
  public static GeneratedSecret alphanumeric(String name, int length) {
    return new GeneratedSecret(name, length, Alphabet.ALPHANUMERIC);
  }

  /**
   * Generates a value for a new instance.
   *
   * @param random a cryptographically strong source
   * @return {@link #length()} characters of the {@link #alphabet()}
   */
  public String generate(SecureRandom random) {
    String characters = alphabet.characters();
    StringBuilder value = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      value.append(characters.charAt(random.nextInt(characters.length())));
    }
    return value.toString();
  }
}
