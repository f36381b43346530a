package io.minispod.catalog;

import io.minispod.billing.BillingInterval;
import io.minispod.billing.CurrencyScales;
import io.minispod.billing.Price;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Companion;
import io.minispod.catalog.template.GeneratedSecret;
import io.minispod.catalog.template.Probe;
import io.minispod.catalog.template.Resources;
import io.minispod.catalog.template.RunAs;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed catalog: the Automation and Publishing categories, n8n and Ghost with runnable
 * templates, and Basic, Pro and Business plans of each, priced in IDR.
 *
 * <p>{@link #apply} is idempotent and safe to run from several nodes at once: it creates what is
 * missing (by slug) and leaves everything that exists as it is, edits by admins included. An
 * archived seed service stays archived.
 *
 * <p>Prices are written here in major units (n8n Pro costs IDR 250,000 a month) and converted to
 * minor units with the catalog's {@linkplain CatalogAdmin#currencyScales() currency scales}, which
 * are billing's: with ISO 4217's two decimals for IDR (the default) n8n Pro is stored as 25,000,000
 * minor units, with {@code currencyScale("IDR", 0)} as 250,000; either way it is IDR 250,000 to
 * whoever pays. Plans that exist already are never changed, prices included.
 *
 * <p>The templates:
 *
 * <ul>
 *   <li><b>n8n</b> {@value #N8N_IMAGE}: port 5678, data at {@code /home/node/.n8n}, {@code
 *       N8N_HOST}, {@code N8N_PROTOCOL} and {@code WEBHOOK_URL} from the instance's host, a
 *       generated {@code N8N_ENCRYPTION_KEY} kept across upgrades, readiness on {@code
 *       /healthz/readiness} and liveness on {@code /healthz}, uid/gid 1000.
 *   <li><b>Ghost</b> {@value #GHOST_IMAGE}: port 2368, content at {@code /var/lib/ghost/content},
 *       {@code url} from the instance's host, a {@value #MYSQL_IMAGE} companion whose passwords are
 *       generated, readiness on {@code /ghost/api/admin/site/}, uid/gid 1000 (MySQL 999).
 * </ul>
 */
public final class CatalogSeed {

  private static final Logger log = LoggerFactory.getLogger(CatalogSeed.class);

  /** The pinned n8n image. */
  public static final String N8N_IMAGE = "n8nio/n8n:2.38.5";

  /** The pinned Ghost image. */
  public static final String GHOST_IMAGE = "ghost:6.71.0-alpine";

  /** The pinned MySQL image of Ghost's companion. */
  public static final String MYSQL_IMAGE = "mysql:8.4.11";

  /** The currency of the seed prices. */
  public static final String CURRENCY = "IDR";

  private static final List<CategoryDraft> CATEGORIES =
      List.of(
          new CategoryDraft(
              "automation", "Automation", "Workflow automation and integration tools.", 10),
          new CategoryDraft(
              "publishing", "Publishing", "Blogs, newsletters and membership sites.", 20));

  private CatalogSeed() {}

  /**
   * The n8n template.
   *
   * @return a runnable template for {@value #N8N_IMAGE}
   */
  public static AppTemplate n8nTemplate() {
    return AppTemplate.builder(N8N_IMAGE, 5678)
        .managedEnv("N8N_HOST", "${host}")
        .managedEnv("N8N_PORT", "5678")
        .managedEnv("N8N_PROTOCOL", "${protocol}")
        .managedEnv("WEBHOOK_URL", "${url}/")
        .managedEnv("N8N_EDITOR_BASE_URL", "${url}/")
        .managedEnv("N8N_PROXY_HOPS", "1")
        .managedEnv("N8N_ENCRYPTION_KEY", "${secret:encryption-key}")
        .managedEnv("N8N_USER_FOLDER", "/home/node")
        .managedEnv("N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS", "true")
        .env("GENERIC_TIMEZONE", "UTC")
        .env("TZ", "UTC")
        .secret(GeneratedSecret.alphanumeric("encryption-key", 48))
        .volumePath("/home/node/.n8n")
        .readiness(Probe.http("/healthz/readiness", 5678).withTiming(10, 10, 5, 30))
        .liveness(Probe.http("/healthz", 5678).withTiming(30, 20, 5, 6))
        .runAs(RunAs.NODE)
        .build();
  }

  /**
   * The Ghost template, with its MySQL companion.
   *
   * @return a runnable template for {@value #GHOST_IMAGE} and {@value #MYSQL_IMAGE}
   */
  public static AppTemplate ghostTemplate() {
    Companion mysql =
        Companion.builder("mysql", MYSQL_IMAGE, 3306)
            .env("MYSQL_ROOT_PASSWORD", "${secret:db-root-password}")
            .env("MYSQL_DATABASE", "ghost")
            .env("MYSQL_USER", "ghost")
            .env("MYSQL_PASSWORD", "${secret:db-password}")
            .volumePath("/var/lib/mysql")
            .resources(new Resources(500, 1024, 5))
            .readiness(Probe.tcp(3306).withTiming(10, 10, 5, 30))
            .liveness(Probe.tcp(3306).withTiming(60, 20, 5, 6))
            .runAs(RunAs.of(999))
            .build();
    return AppTemplate.builder(GHOST_IMAGE, 2368)
        .managedEnv("url", "${url}")
        .managedEnv("NODE_ENV", "production")
        .managedEnv("database__client", "mysql")
        .managedEnv("database__connection__host", "${companion:mysql}")
        .managedEnv("database__connection__port", "3306")
        .managedEnv("database__connection__user", "ghost")
        .managedEnv("database__connection__password", "${secret:db-password}")
        .managedEnv("database__connection__database", "ghost")
        .secret(GeneratedSecret.alphanumeric("db-password", 32))
        .secret(GeneratedSecret.alphanumeric("db-root-password", 32))
        .volumePath("/var/lib/ghost/content")
        // Ghost redirects plain-HTTP requests to its https url; the header keeps the probe at 200.
        .readiness(
            Probe.http("/ghost/api/admin/site/", 2368)
                .withHeader("X-Forwarded-Proto", "https")
                .withTiming(20, 10, 5, 30))
        .liveness(Probe.tcp(2368).withTiming(120, 20, 5, 6))
        .runAs(RunAs.NODE)
        .companion(mysql)
        .build();
  }

  /**
   * The seed services.
   *
   * @return n8n and Ghost, ready to create
   */
  public static List<ServiceDraft> services() {
    return List.of(
        new ServiceDraft(
            "n8n",
            "n8n",
            "automation",
            "Workflow automation with hundreds of integrations: connect apps, APIs and AI models"
                + " with a visual editor, and add code where you need it.",
            List.of("workflow", "automation", "integration", "no-code"),
            n8nTemplate()),
        new ServiceDraft(
            "ghost",
            "Ghost",
            "publishing",
            "A professional publishing platform: a fast blog with newsletters, memberships and"
                + " paid subscriptions built in.",
            List.of("blog", "cms", "newsletter", "publishing"),
            ghostTemplate()));
  }

  /**
   * The seed plans of a seed service, priced at the given scales.
   *
   * <p>Monthly prices in IDR: n8n Basic 100,000, Pro 250,000, Business 500,000; Ghost Basic 75,000,
   * Pro 175,000, Business 350,000. Features say only what the platform does or states: {@code
   * customDomain}, {@code backups} (n8n) and {@code support}.
   *
   * @param serviceSlug {@code n8n} or {@code ghost}
   * @param scales the currency scales the catalog and billing use (see {@link
   *     CatalogAdmin#currencyScales()})
   * @return Basic, Pro and Business; empty for another slug
   * @throws io.minispod.ValidationException if IDR's scale is so large that a price does not fit a
   *     {@code long} of minor units
   */
  public static List<PlanDraft> plans(String serviceSlug, CurrencyScales scales) {
    Objects.requireNonNull(scales, "scales");
    return switch (serviceSlug) {
      case "n8n" ->
          List.of(
              plan(
                  "basic",
                  "Basic",
                  1,
                  100_000,
                  scales,
                  new Resources(500, 512, 2),
                  50,
                  Map.of("customDomain", false, "backups", "weekly", "support", "community")),
              plan(
                  "pro",
                  "Pro",
                  2,
                  250_000,
                  scales,
                  new Resources(1000, 1024, 5),
                  20,
                  Map.of("customDomain", true, "backups", "daily", "support", "email")),
              plan(
                  "business",
                  "Business",
                  3,
                  500_000,
                  scales,
                  new Resources(2000, 2048, 10),
                  10,
                  Map.of("customDomain", true, "backups", "daily", "support", "priority")));
      case "ghost" ->
          List.of(
              plan(
                  "basic",
                  "Basic",
                  1,
                  75_000,
                  scales,
                  new Resources(500, 768, 2),
                  50,
                  Map.of("customDomain", false, "support", "community")),
              plan(
                  "pro",
                  "Pro",
                  2,
                  175_000,
                  scales,
                  new Resources(1000, 1024, 5),
                  20,
                  Map.of("customDomain", true, "support", "email")),
              plan(
                  "business",
                  "Business",
                  3,
                  350_000,
                  scales,
                  new Resources(2000, 2048, 10),
                  10,
                  Map.of("customDomain", true, "support", "priority")));
      default -> List.of();
    };
  }

  private static PlanDraft plan(
      String slug,
      String name,
      int tier,
      long monthlyMajorUnits,
      CurrencyScales scales,
      Resources resources,
      long quotaTotal,
      Map<String, Object> features) {
    Price price =
        new Price(
            scales.fromMajor(BigDecimal.valueOf(monthlyMajorUnits), Currency.getInstance(CURRENCY)),
            BillingInterval.MONTHLY);
    return new PlanDraft(slug, name, tier, price, resources, quotaTotal, features);
  }

  /**
   * Creates whatever part of the seed catalog is missing, pricing new plans at the admin's
   * {@linkplain CatalogAdmin#currencyScales() currency scales}.
   *
   * @param admin the catalog admin
   * @return what was created
   */
  public static SeedReport apply(CatalogAdmin admin) {
    int categories = 0;
    int services = 0;
    int plans = 0;
    List<String> existingCategories =
        admin.listCategories().stream().map(ServiceCategory::slug).toList();
    for (CategoryDraft category : CATEGORIES) {
      if (!existingCategories.contains(category.slug())
          && created(() -> admin.createCategory(category))) {
        categories++;
      }
    }
    for (ServiceDraft draft : services()) {
      Optional<ServiceDefinition> existing = admin.findService(draft.slug());
      if (existing.isEmpty() && created(() -> admin.createService(draft))) {
        services++;
      }
      ServiceDefinition service = admin.findService(draft.slug()).orElseThrow();
      List<String> existingPlans =
          admin.listPlans(service.id()).stream().map(p -> p.plan().slug()).toList();
      for (PlanDraft plan : plans(draft.slug(), admin.currencyScales())) {
        if (!existingPlans.contains(plan.slug())
            && created(() -> admin.createPlan(service.id(), plan))) {
          plans++;
        }
      }
    }
    SeedReport report = new SeedReport(categories, services, plans);
    log.info(
        "Seed catalog applied: {} categories, {} services and {} plans created",
        categories,
        services,
        plans);
    return report;
  }

  /** Runs a create; another node creating the same thing at the same moment counts as done. */
  private static boolean created(Runnable create) {
    try {
      create.run();
      return true;
    } catch (CatalogConflictException e) {
      return false;
    }
  }
}
