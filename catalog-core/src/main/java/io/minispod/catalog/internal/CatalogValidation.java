package io.minispod.catalog.internal;

import io.minispod.FieldErrors;
import io.minispod.ValidationException;
import io.minispod.billing.CurrencyScales;
import io.minispod.billing.Price;
import io.minispod.catalog.CategoryDraft;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Companion;
import io.minispod.catalog.template.GeneratedSecret;
import io.minispod.catalog.template.Probe;
import io.minispod.catalog.template.Resources;
import io.minispod.catalog.template.RunAs;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rules of catalog input. Each check records its problems under the field's path (such as
 * {@code template.companions[0].port}) so that a request learns every bad field at once; nothing
 * here touches the database (existence and uniqueness are checked by the admin in its transaction).
 */
public final class CatalogValidation {

  public static final int MAX_SLUG_LENGTH = 63;
  static final int MAX_NAME_LENGTH = 100;
  static final int MAX_DESCRIPTION_LENGTH = 4000;
  static final int MAX_CATEGORY_DESCRIPTION_LENGTH = 2000;
  static final int MAX_TAGS = 20;
  public static final int MAX_TAG_LENGTH = 32;
  static final int MAX_IMAGE_LENGTH = 255;
  static final int MAX_ENV = 100;
  static final int MAX_ENV_KEY_LENGTH = 128;
  static final int MAX_ENV_VALUE_LENGTH = 4096;
  static final int MAX_PATH_LENGTH = 255;
  static final int MAX_SECRETS = 10;
  static final int MIN_SECRET_LENGTH = 16;
  static final int MAX_SECRET_LENGTH = 128;
  static final int MAX_COMPANIONS = 5;
  static final int MAX_TIER = 1000;
  static final long MAX_PRICE = 1_000_000_000_000_000L;
  static final int MAX_CPU_MILLICORES = 256_000;
  static final int MAX_MEMORY_MIB = 4_194_304;
  static final int MAX_STORAGE_GIB = 65_536;
  static final long MAX_QUOTA_TOTAL = 1_000_000_000;
  static final int MAX_FEATURES = 50;
  static final int MAX_FEATURE_TEXT_LENGTH = 200;
  static final int MAX_DISPLAY_ORDER = 1_000_000;

  private static final Pattern SLUG = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern TAG = Pattern.compile("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");
  private static final Pattern IMAGE_NAME =
      Pattern.compile(
          "([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
              + "(:[0-9]{1,5})?/)?"
              + "[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*(/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern IMAGE_DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern FEATURE_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
  private static final String SLUG_RULE =
      "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter"
          + " or digit";

  private CatalogValidation() {}

  /** Whether a text is a well-formed slug (a DNS label of at most 63 characters). */
  static boolean isSlug(String value) {
    return value != null && value.length() <= MAX_SLUG_LENGTH && SLUG.matcher(value).matches();
  }

  static void slug(FieldErrors errors, String field, String value) {
    if (errors.require(value != null && !value.isEmpty(), field, "is required")
        && errors.require(
            value.length() <= MAX_SLUG_LENGTH,
            field,
            "must be at most " + MAX_SLUG_LENGTH + " characters, was " + value.length())) {
      errors.require(SLUG.matcher(value).matches(), field, SLUG_RULE + ", was '" + value + "'");
    }
  }

  static void name(FieldErrors errors, String field, String value) {
    if (errors.require(value != null && !value.isBlank(), field, "is required")
        && errors.require(
            value.length() <= MAX_NAME_LENGTH,
            field,
            "must be at most " + MAX_NAME_LENGTH + " characters, was " + value.length())) {
      errors.require(
          value.chars().noneMatch(Character::isISOControl),
          field,
          "must not contain control characters");
      errors.require(value.equals(value.strip()), field, "must not begin or end with white space");
    }
  }

  static void description(FieldErrors errors, String field, String value, int maxLength) {
    if (value != null
        && errors.require(
            value.length() <= maxLength,
            field,
            "must be at most " + maxLength + " characters, was " + value.length())) {
      errors.require(
          value
              .chars()
              .noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t'),
          field,
          "must not contain control characters other than line breaks and tabs");
    }
  }

  static void category(FieldErrors errors, CategoryDraft draft) {
    slug(errors, "slug", draft.slug());
    name(errors, "name", draft.name());
    description(errors, "description", draft.description(), MAX_CATEGORY_DESCRIPTION_LENGTH);
    if (draft.displayOrder() != null) {
      int order = draft.displayOrder();
      errors.require(
          Math.abs(order) <= MAX_DISPLAY_ORDER,
          "displayOrder",
          "must be between -" + MAX_DISPLAY_ORDER + " and " + MAX_DISPLAY_ORDER + ", was " + order);
    }
  }

  /** Checks a whole service (a draft, or an update merged onto the stored service). */
  static void service(
      FieldErrors errors,
      String slug,
      String name,
      String categorySlug,
      String description,
      List<String> tags,
      AppTemplate template) {
    slug(errors, "slug", slug);
    name(errors, "name", name);
    slug(errors, "categorySlug", categorySlug);
    description(errors, "description", description, MAX_DESCRIPTION_LENGTH);
    tags(errors, tags);
    if (errors.require(template != null, "template", "is required")) {
      template(errors, "template", template);
    }
  }

  static void tags(FieldErrors errors, List<String> tags) {
    if (!errors.require(
        tags.size() <= MAX_TAGS, "tags", "must be at most " + MAX_TAGS + ", were " + tags.size())) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i);
      String field = "tags[" + i + "]";
      if (errors.require(tag != null, field, "must not be null")
          && errors.require(
              tag.length() <= MAX_TAG_LENGTH,
              field,
              "must be at most " + MAX_TAG_LENGTH + " characters, was " + tag.length())
          && errors.require(
              TAG.matcher(tag).matches(),
              field,
              "must be lower-case letters, digits and '-', starting and ending with a letter or"
                  + " digit, was '"
                  + tag
                  + "'")) {
        errors.require(seen.add(tag), field, "repeats tag '" + tag + "'");
      }
    }
  }

  static void template(FieldErrors errors, String path, AppTemplate template) {
    image(errors, path + ".image", template.image());
    port(errors, path + ".port", template.port());
    Set<String> secretNames = secrets(errors, path + ".secrets", template.secrets());
    Set<String> companionNames = new HashSet<>();
    for (Companion companion : template.companions()) {
      if (companion != null && companion.name() != null) {
        companionNames.add(companion.name());
      }
    }
    env(errors, path + ".env", template.env(), secretNames, companionNames);
    for (String key : template.managedEnv()) {
      errors.require(
          template.env().containsKey(key),
          path + ".managedEnv",
          "names '" + key + "', which the environment does not set");
    }
    volumePath(errors, path + ".volumePath", template.volumePath());
    probe(errors, path + ".readiness", template.readiness());
    probe(errors, path + ".liveness", template.liveness());
    runAs(errors, path + ".runAs", template.runAs());
    companions(errors, path + ".companions", template.companions(), secretNames, companionNames);
  }

  static void image(FieldErrors errors, String field, String image) {
    if (!errors.require(image != null && !image.isBlank(), field, "is required")
        || !errors.require(
            image.length() <= MAX_IMAGE_LENGTH,
            field,
            "must be at most " + MAX_IMAGE_LENGTH + " characters, was " + image.length())) {
      return;
    }
    String reference = image;
    String digest = null;
    int at = image.indexOf('@');
    if (at >= 0) {
      digest = image.substring(at + 1);
      reference = image.substring(0, at);
    }
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    String tag = colon > slash ? reference.substring(colon + 1) : null;
    String repository = colon > slash ? reference.substring(0, colon) : reference;
    String expected = "such as ghost:6.71.0-alpine or n8nio/n8n@sha256:<64 hex digits>";
    errors.require(
        IMAGE_NAME.matcher(repository).matches(),
        field,
        "must be an image reference, " + expected + ", was '" + image + "'");
    if (digest != null) {
      errors.require(
          IMAGE_DIGEST.matcher(digest).matches(),
          field,
          "has a malformed digest; expected sha256:<64 lower-case hex digits>");
    }
    if (tag != null) {
      errors.require(IMAGE_TAG.matcher(tag).matches(), field, "has a malformed tag '" + tag + "'");
      errors.require(
          !tag.equals("latest"),
          field,
          "must pin a version: 'latest' changes under running instances");
    }
    errors.require(
        tag != null || digest != null,
        field,
        "must pin a version with a tag or digest, " + expected);
  }

  static void port(FieldErrors errors, String field, int port) {
    errors.require(port >= 1 && port <= 65535, field, "must be between 1 and 65535, was " + port);
  }

  private static Set<String> secrets(
      FieldErrors errors, String path, List<GeneratedSecret> secrets) {
    Set<String> names = new HashSet<>();
    if (!errors.require(
        secrets.size() <= MAX_SECRETS,
        path,
        "must be at most " + MAX_SECRETS + ", were " + secrets.size())) {
      return names;
    }
    for (int i = 0; i < secrets.size(); i++) {
      GeneratedSecret secret = secrets.get(i);
      String field = path + "[" + i + "]";
      if (!errors.require(secret != null, field, "must not be null")) {
        continue;
      }
      slug(errors, field + ".name", secret.name());
      if (secret.name() != null) {
        errors.require(
            names.add(secret.name()), field + ".name", "repeats secret '" + secret.name() + "'");
      }
      errors.require(
          secret.length() >= MIN_SECRET_LENGTH && secret.length() <= MAX_SECRET_LENGTH,
          field + ".length",
          "must be between "
              + MIN_SECRET_LENGTH
              + " and "
              + MAX_SECRET_LENGTH
              + ", was "
              + secret.length());
      errors.require(secret.alphabet() != null, field + ".alphabet", "is required");
    }
    return names;
  }

  private static void env(
      FieldErrors errors,
      String path,
      Map<String, String> env,
      Set<String> secrets,
      Set<String> companions) {
    if (!errors.require(
        env.size() <= MAX_ENV,
        path,
        "must have at most " + MAX_ENV + " variables, had " + env.size())) {
      return;
    }
    env.forEach(
        (key, value) -> {
          String field = path + "." + key;
          if (!errors.require(
              key.length() <= MAX_ENV_KEY_LENGTH && ENV_KEY.matcher(key).matches(),
              path,
              "has a bad variable name '"
                  + abbreviate(key)
                  + "'; expected a letter or '_', then letters, digits, '_', '.' or '-', at most "
                  + MAX_ENV_KEY_LENGTH
                  + " characters")) {
            return;
          }
          if (errors.require(value != null, field, "must not be null")
              && errors.require(
                  value.length() <= MAX_ENV_VALUE_LENGTH,
                  field,
                  "must be at most " + MAX_ENV_VALUE_LENGTH + " characters, was " + value.length())
              && errors.require(value.indexOf('\0') < 0, field, "must not contain NUL")) {
            String problem = Placeholders.problem(value, secrets, companions);
            errors.require(problem == null, field, problem);
          }
        });
  }

  private static void volumePath(FieldErrors errors, String field, String path) {
    if (errors.require(
            path.length() <= MAX_PATH_LENGTH,
            field,
            "must be at most " + MAX_PATH_LENGTH + " characters, was " + path.length())
        && errors.require(
            path.startsWith("/") && path.length() > 1,
            field,
            "must be an absolute path below /, was '" + path + "'")) {
      errors.require(
          List.of(path.split("/")).stream().noneMatch(segment -> segment.equals("..")),
          field,
          "must not contain '..'");
      errors.require(
          path.chars().noneMatch(Character::isISOControl),
          field,
          "must not contain control characters");
    }
  }

  private static void probe(FieldErrors errors, String path, Probe probe) {
    if (!errors.require(probe.kind() != null, path + ".kind", "is required")) {
      return;
    }
    switch (probe.kind()) {
      case HTTP -> {
        String probePath = probe.path();
        errors.require(
            probePath != null
                && probePath.startsWith("/")
                && probePath.length() <= MAX_PATH_LENGTH
                && probePath
                    .chars()
                    .noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)),
            path + ".path",
            "must be a path starting with '/', without spaces, at most "
                + MAX_PATH_LENGTH
                + " characters");
        port(errors, path + ".port", probe.port());
        errors.require(
            probe.httpHeaders().size() <= 10, path + ".httpHeaders", "must be at most 10");
        probe
            .httpHeaders()
            .forEach(
                (name, value) ->
                    errors.require(
                        HEADER_NAME.matcher(name).matches()
                            && value != null
                            && value.length() <= 256
                            && value.chars().noneMatch(Character::isISOControl),
                        path + ".httpHeaders",
                        "has a bad header '"
                            + abbreviate(name)
                            + "'; expected a name of letters, digits and '-' and a value of at"
                            + " most 256 characters"));
      }
      case TCP -> port(errors, path + ".port", probe.port());
      case EXEC ->
          errors.require(
              !probe.command().isEmpty()
                  && probe.command().size() <= 20
                  && probe.command().stream().allMatch(arg -> arg != null && arg.length() <= 1024),
              path + ".command",
              "must be 1 to 20 arguments of at most 1024 characters");
    }
    errors.require(
        probe.initialDelaySeconds() >= 0 && probe.initialDelaySeconds() <= 3600,
        path + ".initialDelaySeconds",
        "must be between 0 and 3600, was " + probe.initialDelaySeconds());
    errors.require(
        probe.periodSeconds() >= 1 && probe.periodSeconds() <= 3600,
        path + ".periodSeconds",
        "must be between 1 and 3600, was " + probe.periodSeconds());
    errors.require(
        probe.timeoutSeconds() >= 1 && probe.timeoutSeconds() <= 3600,
        path + ".timeoutSeconds",
        "must be between 1 and 3600, was " + probe.timeoutSeconds());
    errors.require(
        probe.failureThreshold() >= 1 && probe.failureThreshold() <= 1000,
        path + ".failureThreshold",
        "must be between 1 and 1000, was " + probe.failureThreshold());
  }

  private static void runAs(FieldErrors errors, String path, RunAs runAs) {
    long max = Integer.MAX_VALUE;
    errors.require(
        runAs.user() >= 1 && runAs.user() <= max,
        path + ".user",
        "must be a non-root id from 1 to " + max + ", was " + runAs.user());
    errors.require(
        runAs.group() >= 1 && runAs.group() <= max,
        path + ".group",
        "must be from 1 to " + max + ", was " + runAs.group());
    errors.require(
        runAs.fsGroup() >= 1 && runAs.fsGroup() <= max,
        path + ".fsGroup",
        "must be from 1 to " + max + ", was " + runAs.fsGroup());
  }

  private static void companions(
      FieldErrors errors,
      String path,
      List<Companion> companions,
      Set<String> secrets,
      Set<String> companionNames) {
    if (!errors.require(
        companions.size() <= MAX_COMPANIONS,
        path,
        "must be at most " + MAX_COMPANIONS + ", were " + companions.size())) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < companions.size(); i++) {
      Companion companion = companions.get(i);
      String field = path + "[" + i + "]";
      if (!errors.require(companion != null, field, "must not be null")) {
        continue;
      }
      slug(errors, field + ".name", companion.name());
      if (companion.name() != null) {
        errors.require(
            seen.add(companion.name()),
            field + ".name",
            "repeats companion '" + companion.name() + "'");
      }
      image(errors, field + ".image", companion.image());
      port(errors, field + ".port", companion.port());
      env(errors, field + ".env", companion.env(), secrets, companionNames);
      if (companion.volumePath() != null) {
        volumePath(errors, field + ".volumePath", companion.volumePath());
      }
      if (errors.require(companion.resources() != null, field + ".resources", "is required")) {
        resources(errors, field + ".resources", companion.resources());
      }
      probe(errors, field + ".readiness", companion.readiness());
      probe(errors, field + ".liveness", companion.liveness());
      runAs(errors, field + ".runAs", companion.runAs());
    }
  }

  /** Checks a whole plan (a draft, or an update merged onto the stored plan). */
  static void plan(
      FieldErrors errors,
      CurrencyScales scales,
      String slug,
      String name,
      Integer tier,
      Price price,
      Resources resources,
      Long quotaTotal,
      Map<String, Object> features) {
    slug(errors, "slug", slug);
    name(errors, "name", name);
    if (errors.require(tier != null, "tier", "is required")) {
      errors.require(
          tier >= 1 && tier <= MAX_TIER,
          "tier",
          "must be between 1 and " + MAX_TIER + ", was " + tier);
    }
    if (errors.require(price != null, "price", "is required")) {
      price(errors, scales, "price", price);
    }
    if (errors.require(resources != null, "resources", "is required")) {
      resources(errors, "resources", resources);
    }
    if (errors.require(quotaTotal != null, "quotaTotal", "is required")) {
      errors.require(
          quotaTotal >= 0 && quotaTotal <= MAX_QUOTA_TOTAL,
          "quotaTotal",
          "must be between 0 and " + MAX_QUOTA_TOTAL + ", was " + quotaTotal);
    }
    features(errors, "features", features);
  }

  /**
   * Checks what billing-core's {@link Price} leaves to the catalog: its own constructor already
   * refuses a negative amount, an unknown currency and a missing interval. The currency must also
   * have a scale, by billing's own rule ({@link CurrencyScales#scaleOf}): a plan billing would
   * refuse to charge (XAU, XXX without a configured scale) is refused when it is written.
   */
  static void price(FieldErrors errors, CurrencyScales scales, String path, Price price) {
    long amount = price.amount().minorUnits();
    errors.require(
        amount <= MAX_PRICE,
        path + ".amount",
        "must be between 0 and " + MAX_PRICE + " minor units, was " + amount);
    try {
      scales.scaleOf(price.amount().currency());
    } catch (ValidationException e) {
      e.fieldErrors()
          .values()
          .forEach(problem -> errors.require(false, path + ".currency", problem));
    }
  }

  static void resources(FieldErrors errors, String path, Resources resources) {
    errors.require(
        resources.cpuMillicores() >= 1 && resources.cpuMillicores() <= MAX_CPU_MILLICORES,
        path + ".cpuMillicores",
        "must be between 1 and " + MAX_CPU_MILLICORES + ", was " + resources.cpuMillicores());
    errors.require(
        resources.memoryMiB() >= 1 && resources.memoryMiB() <= MAX_MEMORY_MIB,
        path + ".memoryMiB",
        "must be between 1 and " + MAX_MEMORY_MIB + ", was " + resources.memoryMiB());
    errors.require(
        resources.storageGiB() >= 1 && resources.storageGiB() <= MAX_STORAGE_GIB,
        path + ".storageGiB",
        "must be between 1 and " + MAX_STORAGE_GIB + ", was " + resources.storageGiB());
  }

  static void features(FieldErrors errors, String path, Map<String, Object> features) {
    if (!errors.require(
        features.size() <= MAX_FEATURES,
        path,
        "must have at most " + MAX_FEATURES + " entries, had " + features.size())) {
      return;
    }
    features.forEach(
        (key, value) -> {
          if (!errors.require(
              key != null && FEATURE_KEY.matcher(key).matches(),
              path,
              "has a bad key '"
                  + (key == null ? "null" : abbreviate(key))
                  + "'; expected a letter, then letters, digits, '_', '.' or '-', at most 64"
                  + " characters")) {
            return;
          }
          String field = path + "." + key;
          if (value instanceof String text) {
            errors.require(
                text.length() <= MAX_FEATURE_TEXT_LENGTH,
                field,
                "must be at most " + MAX_FEATURE_TEXT_LENGTH + " characters, was " + text.length());
          } else {
            errors.require(
                value instanceof Boolean || integral(value) != null,
                field,
                "must be true, false, a whole number or a text");
          }
        });
  }

  /**
   * The features with every number as a {@link Long}, sorted by key; call after {@link #features}
   * found no problem.
   */
  static Map<String, Object> normalisedFeatures(Map<String, Object> features) {
    Map<String, Object> normalised = new TreeMap<>();
    features.forEach(
        (key, value) -> normalised.put(key, value instanceof Number ? integral(value) : value));
    return normalised;
  }

  /** The value as a long if it is a whole number within range, else {@code null}. */
  private static Long integral(Object value) {
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big && big.bitLength() < 64) {
      return big.longValue();
    }
    if (value instanceof BigDecimal decimal) {
      try {
        return decimal.longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
        return (long) d;
      }
    }
    return null;
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
