package io.minispod.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.FieldErrors;
import io.minispod.ValidationException;
import io.minispod.billing.CurrencyScales;
import io.minispod.billing.Price;
import io.minispod.catalog.CatalogSeed;
import io.minispod.catalog.CategoryDraft;
import io.minispod.catalog.Fixtures;
import io.minispod.catalog.PageRequest;
import io.minispod.catalog.PlanDraft;
import io.minispod.catalog.ServiceDraft;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Companion;
import io.minispod.catalog.template.GeneratedSecret;
import io.minispod.catalog.template.Probe;
import io.minispod.catalog.template.Resources;
import io.minispod.catalog.template.RunAs;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

final class CatalogValidationTest {

  private static Map<String, String> errors(Consumer<FieldErrors> check) {
    FieldErrors errors = new FieldErrors();
    check.accept(errors);
    try {
      errors.throwIfAny();
      return Map.of();
    } catch (ValidationException e) {
      return e.fieldErrors();
    }
  }

  private static Map<String, String> serviceErrors(ServiceDraft d) {
    return errors(
        e ->
            CatalogValidation.service(
                e, d.slug(), d.name(), d.categorySlug(), d.description(), d.tags(), d.template()));
  }

  private static Map<String, String> templateErrors(AppTemplate template) {
    return errors(e -> CatalogValidation.template(e, "template", template));
  }

  @Test
  void service_seedDrafts_haveNoProblem() {
    for (ServiceDraft draft : CatalogSeed.services()) {
      assertThat(serviceErrors(draft)).as(draft.slug()).isEmpty();
      for (PlanDraft plan : CatalogSeed.plans(draft.slug(), CurrencyScales.iso4217())) {
        assertThat(planErrors(plan)).as(draft.slug() + "/" + plan.slug()).isEmpty();
      }
    }
  }

  @Test
  void service_manyBadFields_reportsEveryOneAtOnce() {
    AppTemplate template =
        AppTemplate.builder("nginx", 0)
            .env("GOOD", "x")
            .env("URL", "${nope}")
            .managedEnv("TOKEN", "${secret:missing}")
            .volumePath("relative/path")
            .build();
    ServiceDraft draft =
        new ServiceDraft(
            "Bad_Slug", " ", "", "x".repeat(4001), List.of("ok", "Not-OK", "ok"), template);

    Map<String, String> errors = serviceErrors(draft);

    assertThat(errors)
        .containsKeys(
            "slug",
            "name",
            "categorySlug",
            "description",
            "tags[1]",
            "tags[2]",
            "template.image",
            "template.port",
            "template.env.URL",
            "template.env.TOKEN",
            "template.volumePath");
    assertThat(errors.get("slug")).contains("DNS label").contains("Bad_Slug");
    assertThat(errors.get("description")).contains("4000").contains("4001");
    assertThat(errors.get("tags[2]")).contains("repeats");
    assertThat(errors.get("template.env.TOKEN")).contains("missing");
    assertThat(errors.get("template.image")).contains("pin");
  }

  @Test
  void service_missingTemplate_isRequired() {
    assertThat(serviceErrors(new ServiceDraft("a", "A", "c", null, null, null)))
        .containsEntry("template", "is required");
  }

  @Test
  void slug_overLong_isRefusedNotTruncated() {
    String slug = "a".repeat(64);
    assertThat(errors(e -> CatalogValidation.slug(e, "slug", slug)).get("slug"))
        .contains("at most 63")
        .contains("64");
    assertThat(CatalogValidation.isSlug(slug)).isFalse();
    assertThat(CatalogValidation.isSlug("a".repeat(63))).isTrue();
    assertThat(CatalogValidation.isSlug("-a")).isFalse();
    assertThat(CatalogValidation.isSlug("a-")).isFalse();
    assertThat(CatalogValidation.isSlug(null)).isFalse();
  }

  @Test
  void name_controlCharactersOrPadding_areRefused() {
    assertThat(errors(e -> CatalogValidation.name(e, "name", "a\u0007b"))).containsKey("name");
    assertThat(errors(e -> CatalogValidation.name(e, "name", " padded"))).containsKey("name");
    assertThat(errors(e -> CatalogValidation.name(e, "name", "x".repeat(101)))).containsKey("name");
    assertThat(errors(e -> CatalogValidation.name(e, "name", "Fine Name"))).isEmpty();
  }

  @Test
  void description_lineBreaksAllowedOtherControlsNot() {
    assertThat(
            errors(e -> CatalogValidation.description(e, "d", "line one\nline two\tand tab", 100)))
        .isEmpty();
    assertThat(errors(e -> CatalogValidation.description(e, "d", "bell\u0007", 100)))
        .containsKey("d");
  }

  @Test
  void image_references_acceptPinnedAndRefuseFloating() {
    for (String good :
        List.of(
            "ghost:6.71.0-alpine",
            "n8nio/n8n:2.38.5",
            "registry.example.com:5000/team/app:1.2.3",
            "mysql@sha256:" + "a".repeat(64),
            "quay.io/org/app:v1@sha256:" + "0".repeat(64))) {
      assertThat(errors(e -> CatalogValidation.image(e, "image", good))).as(good).isEmpty();
    }
    assertThat(errors(e -> CatalogValidation.image(e, "image", "ghost:latest")).get("image"))
        .contains("latest");
    assertThat(errors(e -> CatalogValidation.image(e, "image", "ghost")).get("image"))
        .contains("pin");
    assertThat(errors(e -> CatalogValidation.image(e, "image", "Ghost:1"))).containsKey("image");
    assertThat(errors(e -> CatalogValidation.image(e, "image", "ghost@sha256:xyz")).get("image"))
        .contains("digest");
    assertThat(errors(e -> CatalogValidation.image(e, "image", "ghost:bad tag")))
        .containsKey("image");
    assertThat(errors(e -> CatalogValidation.image(e, "image", "a:" + "1".repeat(300))))
        .containsKey("image");
    assertThat(errors(e -> CatalogValidation.image(e, "image", null)))
        .containsEntry("image", "is required");
  }

  @Test
  void template_badSecretsProbesAndCompanions_areNamedByPath() {
    AppTemplate template =
        AppTemplate.builder("app:1", 80)
            .secret(new GeneratedSecret("Key", 8, null))
            .secret(GeneratedSecret.alphanumeric("dup", 16))
            .secret(GeneratedSecret.alphanumeric("dup", 16))
            .env("A", "${companion:db}")
            .env("B", "${host:x}")
            .env("C", "${secret}")
            .env("D", "${companion:ghost}")
            .readiness(
                new Probe(
                    Probe.Kind.HTTP,
                    "no-slash",
                    70000,
                    null,
                    Map.of("Bad Header", "v"),
                    -1,
                    0,
                    0,
                    0))
            .liveness(Probe.exec())
            .runAs(new RunAs(0, 0, 0))
            .companion(
                Companion.builder("db", "mysql", 0)
                    .env("P", "${secret:nope}")
                    .volumePath("/var/../etc")
                    .build())
            .companion(
                Companion.builder("db", "mysql:8", 3306)
                    .resources(new Resources(0, 0, 0))
                    .readiness(new Probe(null, null, 0, null, null, 0, 1, 1, 1))
                    .build())
            .build();

    Map<String, String> errors = templateErrors(template);

    assertThat(errors)
        .containsKeys(
            "template.secrets[0].name",
            "template.secrets[0].length",
            "template.secrets[0].alphabet",
            "template.secrets[2].name",
            "template.env.B",
            "template.env.C",
            "template.env.D",
            "template.readiness.path",
            "template.readiness.port",
            "template.readiness.httpHeaders",
            "template.readiness.initialDelaySeconds",
            "template.readiness.periodSeconds",
            "template.readiness.timeoutSeconds",
            "template.readiness.failureThreshold",
            "template.liveness.command",
            "template.runAs.user",
            "template.runAs.group",
            "template.runAs.fsGroup",
            "template.companions[0].image",
            "template.companions[0].port",
            "template.companions[0].env.P",
            "template.companions[0].volumePath",
            "template.companions[0].resources",
            "template.companions[1].name",
            "template.companions[1].resources.cpuMillicores",
            "template.companions[1].resources.memoryMiB",
            "template.companions[1].resources.storageGiB",
            "template.companions[1].readiness.kind");
    assertThat(errors).doesNotContainKey("template.env.A");
    assertThat(errors.get("template.env.B")).contains("takes no name");
    assertThat(errors.get("template.env.C")).contains("needs a name");
  }

  @Test
  void template_managedKeyNotInEnvironment_isRefused() {
    AppTemplate template =
        new AppTemplate(
            "app:1", 80, Map.of(), java.util.Set.of("GHOST"), null, null, null, null, null, null);
    assertThat(templateErrors(template).get("template.managedEnv")).contains("GHOST");
  }

  @Test
  void template_environmentLimits_areEnforced() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("1BAD", "x");
    env.put("LONG", "v".repeat(4097));
    env.put("NUL", "a\0b");
    env.put("NULL", null);
    assertThat(templateErrors(AppTemplate.builder("app:1", 80).build())).isEmpty();
    Map<String, String> errors =
        templateErrors(new AppTemplate("app:1", 80, env, null, null, "/", null, null, null, null));
    assertThat(errors)
        .containsKeys(
            "template.env",
            "template.env.LONG",
            "template.env.NUL",
            "template.env.NULL",
            "template.volumePath");
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 101; i++) {
      many.put("K" + i, "v");
    }
    assertThat(
            templateErrors(
                new AppTemplate("app:1", 80, many, null, null, null, null, null, null, null)))
        .containsKey("template.env");
  }

  @Test
  void template_tooManySecretsOrCompanions_areRefused() {
    AppTemplate.Builder builder = AppTemplate.builder("app:1", 80);
    for (int i = 0; i < 11; i++) {
      builder.secret(GeneratedSecret.alphanumeric("s" + i, 16));
    }
    for (int i = 0; i < 6; i++) {
      builder.companion(
          Companion.builder("c" + i, "db:1", 5432).resources(new Resources(1, 1, 1)).build());
    }
    assertThat(templateErrors(builder.build()))
        .containsKeys("template.secrets", "template.companions");
  }

  @Test
  void tags_tooMany_areRefused() {
    List<String> tags = java.util.stream.IntStream.range(0, 21).mapToObj(i -> "t" + i).toList();
    assertThat(errors(e -> CatalogValidation.tags(e, tags)).get("tags")).contains("21");
    assertThat(errors(e -> CatalogValidation.tags(e, java.util.Arrays.asList("a", null))))
        .containsKey("tags[1]");
    assertThat(errors(e -> CatalogValidation.tags(e, List.of("x".repeat(33)))))
        .containsKey("tags[0]");
  }

  private static Map<String, String> planErrors(PlanDraft p) {
    return planErrors(p, CurrencyScales.iso4217());
  }

  private static Map<String, String> planErrors(PlanDraft p, CurrencyScales scales) {
    return errors(
        e ->
            CatalogValidation.plan(
                e,
                scales,
                p.slug(),
                p.name(),
                p.tier(),
                p.price(),
                p.resources(),
                p.quotaTotal(),
                p.features()));
  }

  @Test
  void plan_manyBadFields_reportsEveryOneAtOnce() {
    Map<String, Object> features = new LinkedHashMap<>();
    features.put("fine", true);
    features.put("9bad", 1);
    features.put("ratio", 1.5);
    features.put("text", "y".repeat(201));
    features.put("list", List.of());
    PlanDraft draft =
        new PlanDraft(
            "PRO",
            "",
            0,
            Price.monthly(CatalogValidation.MAX_PRICE + 1, "IDR"),
            new Resources(0, -1, 0),
            -5L,
            features);

    Map<String, String> errors = planErrors(draft);

    assertThat(errors)
        .containsKeys(
            "slug",
            "name",
            "tier",
            "price.amount",
            "resources.cpuMillicores",
            "resources.memoryMiB",
            "resources.storageGiB",
            "quotaTotal",
            "features",
            "features.ratio",
            "features.text",
            "features.list");
  }

  @Test
  void plan_missingParts_areRequired() {
    Map<String, String> errors =
        planErrors(new PlanDraft("pro", "Pro", null, null, null, null, null));
    assertThat(errors)
        .containsEntry("tier", "is required")
        .containsEntry("price", "is required")
        .containsEntry("resources", "is required")
        .containsEntry("quotaTotal", "is required");
    // A price with an unknown or missing currency cannot be made: billing-core's Money refuses it.
    assertThatThrownBy(() -> Price.monthly(1, "XYZ")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Price.monthly(1, null)).isInstanceOf(ValidationException.class);
  }

  @Test
  void plan_currencyBillingRefuses_isRefusedOnPriceCurrencyByBillingsRule() {
    for (String code : List.of("XAU", "XXX", "XDR")) {
      PlanDraft draft = Fixtures.plan("basic", 1, 1, 1);
      PlanDraft inCode =
          new PlanDraft(
              draft.slug(),
              draft.name(),
              draft.tier(),
              Price.monthly(1, code),
              draft.resources(),
              draft.quotaTotal(),
              draft.features());
      String problem = planErrors(inCode).get("price.currency");
      assertThat(problem).as(code).contains(code).contains("minor unit");
      // The same message billing gives: one rule, billing-core's, not a copy of it.
      assertThatThrownBy(
              () -> CurrencyScales.iso4217().scaleOf(java.util.Currency.getInstance(code)))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.fieldErrors()).containsEntry("currency", problem));
      // A scale configured for it, as billing would be, makes it acceptable.
      assertThat(planErrors(inCode, CurrencyScales.iso4217().withScale(code, 3))).isEmpty();
    }
    assertThat(planErrors(Fixtures.plan("basic", 1, 1, 1))).isEmpty();
  }

  @Test
  void features_numbers_areNormalisedToLong() {
    Map<String, Object> features = new LinkedHashMap<>();
    features.put("int", 3);
    features.put("short", (short) 2);
    features.put("big", BigInteger.TEN);
    features.put("decimal", new BigDecimal("4"));
    features.put("whole", 5.0d);
    features.put("flag", false);
    features.put("text", "email");
    assertThat(errors(e -> CatalogValidation.features(e, "features", features))).isEmpty();
    assertThat(CatalogValidation.normalisedFeatures(features))
        .containsExactlyEntriesOf(
            new java.util.TreeMap<>(
                Map.of(
                    "big", 10L,
                    "decimal", 4L,
                    "flag", false,
                    "int", 3L,
                    "short", 2L,
                    "text", "email",
                    "whole", 5L)));
    Map<String, Object> bad = new LinkedHashMap<>();
    bad.put("fraction", new BigDecimal("4.5"));
    bad.put("huge", BigInteger.TWO.pow(70));
    bad.put("nan", Double.NaN);
    assertThat(errors(e -> CatalogValidation.features(e, "features", bad)))
        .containsKeys("features.fraction", "features.huge", "features.nan");
    Map<String, Object> many = new LinkedHashMap<>();
    for (int i = 0; i < 51; i++) {
      many.put("f" + i, true);
    }
    assertThat(errors(e -> CatalogValidation.features(e, "features", many)))
        .containsKey("features");
  }

  @Test
  void category_badFields_areAllReported() {
    assertThat(
            errors(
                e ->
                    CatalogValidation.category(
                        e, new CategoryDraft("", null, "d".repeat(2001), 2_000_000))))
        .containsKeys("slug", "name", "description", "displayOrder");
    assertThatCode(
            () -> {
              FieldErrors e = new FieldErrors();
              CatalogValidation.category(e, Fixtures.category("tools", "Tools", 1));
              e.throwIfAny();
            })
        .doesNotThrowAnyException();
  }

  @Test
  void pageRequest_outOfRange_namesBothFields() {
    assertThatThrownBy(() -> PageRequest.of(0, 101))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("page", "size"));
    assertThat(PageRequest.of(3, 20).offset()).isEqualTo(40);
    assertThat(PageRequest.first()).isEqualTo(new PageRequest(1, PageRequest.DEFAULT_SIZE));
  }
}
