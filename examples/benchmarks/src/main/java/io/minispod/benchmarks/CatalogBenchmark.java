package io.minispod.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.minispod.billing.Price;
import io.minispod.catalog.Catalog;
import io.minispod.catalog.CatalogAdmin;
import io.minispod.catalog.CatalogSeed;
import io.minispod.catalog.CategoryDraft;
import io.minispod.catalog.Page;
import io.minispod.catalog.PlanDraft;
import io.minispod.catalog.SearchQuery;
import io.minispod.catalog.SearchSort;
import io.minispod.catalog.ServiceCategory;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.ServiceDraft;
import io.minispod.catalog.ServiceSummary;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Resources;
import io.minispod.quota.QuotaManager;
import io.minispod.testkit.PostgresServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;

/**
 * Latency of the public catalog on the seed catalog plus generated services (1,000 by default),
 * each with three plans, on one node:
 *
 * <ul>
 *   <li>{@code getServiceDetails (cached)}: every service warm, then reads of random services;
 *   <li>{@code getServiceDetails (uncached)}: {@link Catalog#invalidateCaches()} before each call
 *       (outside the timing), so the service, its tags and plans and the quota figures are read
 *       from PostgreSQL;
 *   <li>{@code searchServices (uncached)}: 500 varied queries (word prefixes, some with a category,
 *       maximum price or "available" filter, every sort) with every cache dropped before each call:
 *       the worst case, right after a catalog change;
 *   <li>{@code searchServices (new query)}: the same queries made unique (a maximum price above
 *       every price) so that none is in the search cache, with the other caches warm;
 *   <li>{@code searchServices (cached)}: the same queries repeated.
 * </ul>
 *
 * <p>The embedded PostgreSQL runs with its crash-safe defaults; {@code MINISPOD_DB_URL} points the
 * benchmark elsewhere. Targets of the issue: cached details p99 ≤ 20 µs, search p99 ≤ 5 ms.
 *
 * <p>Options: {@code --services 1000}.
 */
final class CatalogBenchmark {

  private static final String[] WORDS = {
    "workflow",
    "automation",
    "analytics",
    "dashboard",
    "monitoring",
    "database",
    "backup",
    "storage",
    "search",
    "email",
    "newsletter",
    "forms",
    "survey",
    "chat",
    "video",
    "calendar",
    "billing",
    "invoice",
    "inventory",
    "commerce",
    "shop",
    "booking",
    "ticket",
    "helpdesk",
    "wiki",
    "notes",
    "documents",
    "files",
    "sync",
    "gallery",
    "photos",
    "music",
    "podcast",
    "stream",
    "metrics",
    "logging",
    "tracing",
    "alerts",
    "uptime",
    "status",
    "password",
    "vault",
    "identity",
    "login",
    "gateway",
    "proxy",
    "cache",
    "queue",
    "scheduler",
    "cron",
    "pipeline",
    "builder",
    "editor",
    "design",
    "whiteboard",
    "kanban",
    "project",
    "tasks",
    "crm",
    "contacts",
    "social",
    "forum",
    "community",
    "learning",
    "courses",
    "quiz",
    "translation",
    "maps",
    "weather",
    "finance",
    "budget",
    "expenses",
    "payroll",
    "hiring",
    "recruiting",
    "reports",
    "charts",
    "spreadsheet",
    "notebook",
    "jupyter",
    "python",
    "node",
    "server",
    "static",
    "site",
    "blog",
    "portfolio",
    "landing",
    "webhook",
    "api",
    "integration",
    "connector",
    "bot",
    "assistant"
  };

  private static final String[] SYLLABLES = {
    "ka", "lo", "mi", "ra", "ten", "vo", "zu", "bel", "cor", "dan", "fi", "gar", "hol", "jin",
    "kor", "lum", "mar", "nor", "pix", "qua", "ros", "sol", "tri", "ul", "ven", "wex", "yor", "zen"
  };

  private static final String[] CATEGORIES = {
    "developer-tools",
    "analytics",
    "communication",
    "productivity",
    "commerce",
    "media",
    "security",
    "data"
  };

  private CatalogBenchmark() {}

  static void main(String[] args) throws Exception {
    int services = 1_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--services")) {
        services = Integer.parseInt(args[i + 1]);
      } else {
        throw new IllegalArgumentException("unknown option " + args[i] + "; expected --services N");
      }
    }
    try (PostgresServer server = PostgresServer.start(Map.of());
        HikariDataSource dataSource = server.pool(server.createDatabase(), 8);
        QuotaManager quota = QuotaManager.builder(dataSource).build()) {
      long loadStart = System.nanoTime();
      try (Catalog loader = Catalog.builder(dataSource, quota).listenForChanges(false).build()) {
        CatalogSeed.apply(loader.admin());
        generate(loader.admin(), services);
      }
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      try (Catalog catalog = Catalog.builder(dataSource, quota).build()) {
        run(catalog, services, loadSeconds);
      }
    }
  }

  private static void run(Catalog catalog, int services, double loadSeconds) {
    List<String> slugs = new ArrayList<>();
    int page = 1;
    Page<ServiceSummary> all;
    do {
      all = catalog.service().searchServices(SearchQuery.builder().page(page++, 100).build());
      all.items().forEach(s -> slugs.add(s.slug()));
    } while (!all.items().isEmpty());
    int plans =
        slugs.stream()
            .mapToInt(slug -> catalog.service().getServiceDetails(slug).plans().size())
            .sum();
    Random random = new Random(7);
    List<SearchQuery> queries = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      queries.add(randomQuery(random));
    }

    // Cached details: every service warm, then many reads of random services.
    Histogram cachedDetails =
        measure(
            200_000,
            1_000_000,
            i -> catalog.service().getServiceDetails(slugs.get((int) ((i * 7919L) % slugs.size()))),
            null);
    Histogram uncachedDetails =
        measure(
            1_000,
            3_000,
            i -> catalog.service().getServiceDetails(slugs.get((int) ((i * 7919L) % slugs.size()))),
            catalog::invalidateCaches);
    Histogram uncachedSearch =
        measure(
            1_000,
            3_000,
            i -> catalog.service().searchServices(queries.get(i % queries.size())),
            catalog::invalidateCaches);
    // A query this node has not cached yet (made unique by a maximum price above every price),
    // with the service and quota caches warm: the common case of a search miss.
    Histogram newSearch =
        measure(
            3_000,
            3_000,
            i -> catalog.service().searchServices(unique(queries.get(i % queries.size()), i)),
            null);
    Histogram cachedSearch =
        measure(
            20_000,
            200_000,
            i -> catalog.service().searchServices(queries.get(i % queries.size())),
            null);

    System.out.printf(
        Locale.ROOT,
        "Catalog benchmark: seed catalog + %,d generated services = %,d active services, %,d active"
            + " plans (loaded in %.1f s), %d search queries%n",
        services,
        slugs.size(),
        plans,
        loadSeconds,
        queries.size());
    System.out.printf(
        Locale.ROOT,
        "%-32s %10s %10s %10s %10s %10s%n",
        "operation",
        "calls",
        "p50 µs",
        "p99 µs",
        "p99.9 µs",
        "max µs");
    print("getServiceDetails (cached)", cachedDetails);
    print("getServiceDetails (uncached)", uncachedDetails);
    print("searchServices (uncached)", uncachedSearch);
    print("searchServices (new query)", newSearch);
    print("searchServices (cached)", cachedSearch);
    System.out.printf(
        Locale.ROOT,
        "targets: cached getServiceDetails p99 <= 20 µs (%s); searchServices p99 <= 5000 µs"
            + " (uncached: %s, new query: %s)%n",
        verdict(cachedDetails, 20_000),
        verdict(uncachedSearch, 5_000_000),
        verdict(newSearch, 5_000_000));
  }

  private static String verdict(Histogram histogram, long p99Nanos) {
    return histogram.getValueAtPercentile(99) <= p99Nanos ? "met" : "missed";
  }

  /** Runs warm-up calls untimed, then times each measured call in nanoseconds. */
  private static Histogram measure(int warmup, int calls, IntConsumer call, Runnable before) {
    for (int i = 0; i < warmup; i++) {
      if (before != null) {
        before.run();
      }
      call.accept(i);
    }
    Histogram histogram = new Histogram(60_000_000_000L, 3);
    for (int i = 0; i < calls; i++) {
      if (before != null) {
        before.run();
      }
      long start = System.nanoTime();
      call.accept(warmup + i);
      histogram.recordValue(System.nanoTime() - start);
    }
    return histogram;
  }

  private static void print(String operation, Histogram histogram) {
    System.out.printf(
        Locale.ROOT,
        "%-32s %10d %10.1f %10.1f %10.1f %10.1f%n",
        operation,
        histogram.getTotalCount(),
        histogram.getValueAtPercentile(50) / 1000.0,
        histogram.getValueAtPercentile(99) / 1000.0,
        histogram.getValueAtPercentile(99.9) / 1000.0,
        histogram.getMaxValue() / 1000.0);
  }

  private static SearchQuery unique(SearchQuery query, int i) {
    return new SearchQuery(
        query.text(),
        query.categorySlug(),
        query.tag(),
        1_000_000_000_000L + i,
        java.util.Currency.getInstance("IDR"),
        query.available(),
        query.sort(),
        query.page());
  }

  private static SearchQuery randomQuery(Random random) {
    SearchQuery.Builder query = SearchQuery.builder();
    String word = WORDS[random.nextInt(WORDS.length)];
    String text = word.substring(0, Math.min(word.length(), 3 + random.nextInt(3)));
    if (random.nextInt(4) == 0) {
      String second = WORDS[random.nextInt(WORDS.length)];
      text += " " + second.substring(0, Math.min(second.length(), 4));
    }
    query.text(text);
    if (random.nextInt(5) == 0) {
      query.category(CATEGORIES[random.nextInt(CATEGORIES.length)]);
    }
    if (random.nextInt(8) == 0) {
      query.maxPrice((long) (1 + random.nextInt(40)) * 50_000).currency("IDR");
    }
    if (random.nextInt(6) == 0) {
      query.available(true);
    }
    query.sort(SearchSort.values()[random.nextInt(SearchSort.values().length)]);
    return query.build();
  }

  /** Creates the extra categories and the services with three plans each, on four threads. */
  private static void generate(CatalogAdmin admin, int count) throws Exception {
    for (int i = 0; i < CATEGORIES.length; i++) {
      String slug = CATEGORIES[i];
      admin.createCategory(
          new CategoryDraft(
              slug, Character.toUpperCase(slug.charAt(0)) + slug.substring(1), "", 100 + i));
    }
    List<String> categories = admin.listCategories().stream().map(ServiceCategory::slug).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        tasks.add(
            pool.submit(
                () -> {
                  for (int n = thread; n < count; n += 4) {
                    createService(admin, categories, n);
                  }
                  return null;
                }));
      }
      for (Future<?> task : tasks) {
        task.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void createService(CatalogAdmin admin, List<String> categories, int n) {
    Random random = new Random(n);
    StringBuilder name = new StringBuilder();
    for (int s = 0; s < 2 + random.nextInt(2); s++) {
      name.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
    }
    name.setCharAt(0, Character.toUpperCase(name.charAt(0)));
    String title = name + " " + capitalise(WORDS[random.nextInt(WORDS.length)]);
    StringBuilder description = new StringBuilder("A self-hosted");
    for (int w = 0; w < 12 + random.nextInt(12); w++) {
      description.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
    }
    description.append('.');
    List<String> tags = new ArrayList<>();
    for (int t = 0; t < 1 + random.nextInt(4); t++) {
      String tag = WORDS[random.nextInt(WORDS.length)];
      if (!tags.contains(tag)) {
        tags.add(tag);
      }
    }
    String slug =
        String.format(Locale.ROOT, "svc-%04d-%s", n, name.toString().toLowerCase(Locale.ROOT));
    ServiceDefinition service =
        admin.createService(
            new ServiceDraft(
                slug,
                title,
                categories.get(random.nextInt(categories.size())),
                description.toString(),
                tags,
                AppTemplate.builder(
                        "registry.example.com/apps/" + slug + ":1." + n % 10 + ".0", 8080)
                    .managedEnv("APP_URL", "${url}")
                    .env("TZ", "UTC")
                    .build()));
    long base = (1 + random.nextInt(20)) * 50_000L;
    // Some services are sold by the year, at ten months' price (all of a service's plans share
    // one billing interval).
    boolean yearly = random.nextInt(4) == 0;
    for (int tier = 1; tier <= 3; tier++) {
      admin.createPlan(
          service.id(),
          new PlanDraft(
              new String[] {"basic", "pro", "business"}[tier - 1],
              new String[] {"Basic", "Pro", "Business"}[tier - 1],
              tier,
              yearly ? Price.yearly(base * tier * 10, "IDR") : Price.monthly(base * tier, "IDR"),
              new Resources(500 * tier, 512 * tier, 2 * tier),
              (long) random.nextInt(20),
              Map.of("tier", (long) tier)));
    }
  }

  private static String capitalise(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
