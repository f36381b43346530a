package io.minispod.catalog.internal;

import io.minispod.catalog.template.TemplateContext;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders of template environment values: {@code ${host}}, {@code ${protocol}}, {@code
 * ${url}}, {@code ${secret:NAME}} and {@code ${companion:NAME}}. Every {@code ${} in a value must
 * open one of them; there is no escape, because no supported app needs a literal {@code ${}.
 */
public final class Placeholders {

  private static final Pattern PLACEHOLDER =
      Pattern.compile(
          "\\$\\{(host|protocol|url|secret|companion)(?::([a-z0-9]([a-z0-9-]*[a-z0-9])?))?}");

  private Placeholders() {}

  /**
   * What is wrong with the placeholders of a value, or {@code null} when they are all known.
   *
   * @param value an environment value
   * @param secrets the secret names the template declares
   * @param companions the companion names the template declares
   */
  public static String problem(String value, Set<String> secrets, Set<String> companions) {
    int from = 0;
    while (true) {
      int start = value.indexOf("${", from);
      if (start < 0) {
        return null;
      }
      Matcher m = PLACEHOLDER.matcher(value);
      if (!m.find(start) || m.start() != start) {
        return "has an unknown placeholder at position "
            + start
            + "; expected ${host}, ${protocol}, ${url}, ${secret:NAME} or ${companion:NAME}";
      }
      String kind = m.group(1);
      String argument = m.group(2);
      boolean takesArgument = kind.equals("secret") || kind.equals("companion");
      if (takesArgument != (argument != null)) {
        return takesArgument
            ? "placeholder ${" + kind + "} needs a name, as in ${" + kind + ":NAME}"
            : "placeholder ${" + kind + "} takes no name";
      }
      if (kind.equals("secret") && !secrets.contains(argument)) {
        return "refers to secret '" + argument + "', which the template does not declare";
      }
      if (kind.equals("companion") && !companions.contains(argument)) {
        return "refers to companion '" + argument + "', which the template does not declare";
      }
      from = m.end();
    }
  }

  /** The secret names a value refers to, in order of appearance. */
  public static Set<String> secretsIn(String value) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(value);
    while (m.find()) {
      if (m.group(1).equals("secret")) {
        names.add(m.group(2));
      }
    }
    return names;
  }

  /** Whether a value has any placeholder. */
  public static boolean any(String value) {
    return value.contains("${");
  }

  /**
   * Fills in a value's placeholders.
   *
   * @throws IllegalArgumentException if the context lacks a secret or companion the value names
   */
  public static String resolve(String value, TemplateContext context) {
    if (!any(value)) {
      return value;
    }
    Matcher m = PLACEHOLDER.matcher(value);
    StringBuilder resolved = new StringBuilder();
    while (m.find()) {
      String replacement =
          switch (m.group(1)) {
            case "host" -> context.host();
            case "protocol" -> context.protocol();
            case "url" -> context.url();
            case "secret" -> required(context.secretValues().get(m.group(2)), "secret", m.group(2));
            default -> required(context.companionHosts().get(m.group(2)), "companion", m.group(2));
          };
      m.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(resolved);
    return resolved.toString();
  }

  private static String required(String value, String kind, String name) {
    if (value == null) {
      throw new IllegalArgumentException(
          "the template context has no value for " + kind + " '" + name + "'");
    }
    return value;
  }
}
