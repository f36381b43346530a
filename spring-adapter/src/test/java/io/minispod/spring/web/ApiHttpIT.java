package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.billing.MockPaymentGateway;
import io.minispod.provisioner.InMemoryProvisioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** The contract of API.md over HTTP on a real port, against an embedded PostgreSQL. */
final class ApiHttpIT {

  private static RunningApp app;
  private static ConfigurableApplicationContext context;
  private static Http http;

  @BeforeAll
  static void start() {
    app =
        RunningApp.start(
            Map.of("minispod.instances-per-user", "2", "minispod.web.max-body-bytes", "16384"));
    context = app.context();
    http = app.http();
  }

  @AfterAll
  static void stop() {
    if (context != null) {
      context.close();
    }
  }

  // ---- public catalog ----

  @Test
  void categories_anonymous_listsSeedCategoriesInEnvelope() {
    Http.Response response = http.get(null, "/api/catalog/categories");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().path("success").asBoolean()).isTrue();
    assertThat(response.body().path("timestamp").asString()).isNotBlank();
    assertThat(slugs(response.data())).contains("automation", "publishing");
    assertThat(response.data().get(0).has("serviceCount")).isTrue();
  }

  @Test
  void servicesOfCategory_paginated_hasMeta() {
    Http.Response response =
        http.get(null, "/api/catalog/categories/automation/services?page=1&size=5");
    assertThat(response.status()).isEqualTo(200);
    assertThat(slugs(response.data())).contains("n8n");
    JsonNode meta = response.body().path("meta");
    assertThat(meta.path("page").asInt()).isEqualTo(1);
    assertThat(meta.path("size").asInt()).isEqualTo(5);
    assertThat(meta.path("total").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(meta.path("totalPages").asLong()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void serviceDetails_knownSlug_hasPlansWithPriceResourcesAndQuota() {
    Http.Response response = http.get(null, "/api/catalog/services/n8n");
    assertThat(response.status()).isEqualTo(200);
    JsonNode plan = plan(response.data(), "pro");
    assertThat(plan.path("tier").asInt()).isPositive();
    assertThat(plan.path("price").path("currency").asString()).isEqualTo("IDR");
    assertThat(plan.path("resources").path("cpuMillicores").asInt()).isPositive();
    assertThat(plan.path("quota").path("total").asLong()).isPositive();
    assertThat(plan.path("features").isObject()).isTrue();
  }

  @Test
  void serviceDetails_unknownSlug_is404() {
    Http.Response response = http.get(null, "/api/catalog/services/no-such-service");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.code()).isEqualTo("NOT_FOUND");
    assertThat(response.body().path("success").asBoolean()).isFalse();
  }

  @Test
  void search_byTextAndSort_findsService() {
    Http.Response response = http.get(null, "/api/catalog/search?q=n8n&sort=price&available=true");
    assertThat(response.status()).isEqualTo(200);
    assertThat(slugs(response.data())).contains("n8n");
    assertThat(response.body().path("meta").path("total").asLong()).isPositive();
  }

  @Test
  void search_badParameters_are400WithFields() {
    assertValidation(http.get(null, "/api/catalog/search?size=101"), "size");
    assertValidation(http.get(null, "/api/catalog/search?page=0"), "page");
    assertValidation(http.get(null, "/api/catalog/search?page=abc"), "page");
    assertValidation(http.get(null, "/api/catalog/search?sort=bogus"), "sort");
    assertValidation(http.get(null, "/api/catalog/search?maxPrice=-1"), "maxPrice");
    assertValidation(http.get(null, "/api/catalog/search?available=maybe"), "available");
  }

  @Test
  void unknownApiPathOrMethod_answersEnvelope() {
    Http.Response path = http.get(null, "/api/catalog/nothing-here");
    assertThat(path.status()).isEqualTo(404);
    assertThat(path.code()).isEqualTo("NOT_FOUND");
    Http.Response method = http.delete(null, "/api/catalog/categories");
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.code()).isEqualTo("VALIDATION_FAILED");
    Http.Response media =
        http.sendWithHeader("POST", "/api/user/subscriptions", "Content-Type", "text/plain");
    assertThat(media.status()).isIn(401, 415);
  }

  // ---- authentication and authorisation ----

  @Test
  void userEndpoint_withoutCredentials_is401Envelope() {
    Http.Response response = http.get(null, "/api/user/subscriptions");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.code()).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void userEndpoint_withBadCredentials_is401Envelope() {
    Http.Response response =
        http.sendWithHeader(
            "GET", "/api/user/subscriptions", "Authorization", "Basic Zm9vOmJhcg==");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.code()).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void adminEndpoint_asUser_is403Envelope() {
    Http.Response response = http.get("alice", "/api/admin/services");
    assertThat(response.status()).isEqualTo(403);
    assertThat(response.code()).isEqualTo("FORBIDDEN");
    assertThat(http.get(null, "/api/admin/services").status()).isEqualTo(401);
  }

  // ---- subscriptions, upgrades, instances, billing ----

  @Test
  void subscriptionLifecycle_subscribeUpgradeCancel_followsTheContract() {
    long before = quota("n8n", "pro").path("used").asLong();
    Http.Response created =
        http.post("alice", "/api/user/subscriptions", subscribe("n8n", "pro"), "alice-n8n-1");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    JsonNode subscription = created.data();
    String id = subscription.path("id").asString();
    assertThat(subscription.path("userId").asString()).isEqualTo("alice");
    assertThat(subscription.path("service").path("slug").asString()).isEqualTo("n8n");
    assertThat(subscription.path("plan").path("slug").asString()).isEqualTo("pro");
    assertThat(subscription.path("instance").path("status").asString())
        .isIn("PROVISIONING", "RUNNING");
    assertThat(subscription.path("currentPeriod").path("start").asString()).isNotBlank();
    assertThat(quota("n8n", "pro").path("used").asLong()).isEqualTo(before + 1);

    Http.Response retry =
        http.post("alice", "/api/user/subscriptions", subscribe("n8n", "pro"), "alice-n8n-1");
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.data().path("id").asString()).isEqualTo(id);
    assertThat(quota("n8n", "pro").path("used").asLong()).isEqualTo(before + 1);

    Http.Response reused =
        http.post("alice", "/api/user/subscriptions", subscribe("ghost", "pro"), "alice-n8n-1");
    assertThat(reused.status()).isEqualTo(409);
    assertThat(reused.code()).isEqualTo("CONFLICT");
    long basicUsed = quota("n8n", "basic").path("used").asLong();
    Http.Response otherPlan =
        http.post("alice", "/api/user/subscriptions", subscribe("n8n", "basic"), "alice-n8n-1");
    assertThat(otherPlan.status()).as(otherPlan.text()).isEqualTo(409);
    assertThat(otherPlan.code()).isEqualTo("CONFLICT");
    assertThat(quota("n8n", "basic").path("used").asLong()).isEqualTo(basicUsed);

    Http.Response duplicate =
        http.post("alice", "/api/user/subscriptions", subscribe("n8n", "business"));
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.code()).isEqualTo("DUPLICATE_SUBSCRIPTION");
    JsonNode details = duplicate.body().path("error").path("details");
    assertThat(details.path("existingSubscriptionId").asString()).isEqualTo(id);
    assertThat(details.has("currentPlan")).isTrue();
    assertThat(details.has("upgradeOptions")).isTrue();

    Http.Response list = http.get("alice", "/api/user/subscriptions");
    assertThat(list.status()).isEqualTo(200);
    assertThat(ids(list.data())).contains(id);
    assertThat(http.get("alice", "/api/user/subscriptions/" + id).status()).isEqualTo(200);

    Http.Response options = http.get("alice", "/api/user/subscriptions/" + id + "/upgrade-options");
    assertThat(options.status()).isEqualTo(200);
    JsonNode business = null;
    for (JsonNode option : options.data()) {
      if (option.path("plan").path("slug").asString().equals("business")) {
        business = option;
      }
    }
    assertThat(business).as(options.text()).isNotNull();
    assertThat(business.path("quote").path("currency").asString()).isEqualTo("IDR");
    assertThat(business.has("quotaAvailable")).isTrue();

    Http.Response upgraded =
        http.post(
            "alice",
            "/api/user/subscriptions/" + id + "/upgrade",
            "{\"planSlug\":\"business\"}",
            "alice-up-1");
    assertThat(upgraded.status()).as(upgraded.text()).isEqualTo(200);
    assertThat(upgraded.data().path("plan").path("slug").asString()).isEqualTo("business");
    Http.Response upgradeRetry =
        http.post(
            "alice",
            "/api/user/subscriptions/" + id + "/upgrade",
            "{\"planSlug\":\"business\"}",
            "alice-up-1");
    assertThat(upgradeRetry.status()).as(upgradeRetry.text()).isEqualTo(200);
    assertThat(upgradeRetry.data().path("plan").path("slug").asString()).isEqualTo("business");
    Http.Response upgradeKeyReused =
        http.post(
            "alice",
            "/api/user/subscriptions/" + id + "/upgrade",
            "{\"planSlug\":\"pro\"}",
            "alice-up-1");
    assertThat(upgradeKeyReused.status()).as(upgradeKeyReused.text()).isEqualTo(409);
    assertThat(upgradeKeyReused.code()).isEqualTo("CONFLICT");

    Http.Response downgrade =
        http.post("alice", "/api/user/subscriptions/" + id + "/upgrade", "{\"planSlug\":\"pro\"}");
    assertThat(downgrade.status()).isEqualTo(422);
    assertThat(downgrade.code()).isEqualTo("INVALID_PLAN");
    assertThat(downgrade.body().path("error").path("details").has("reason")).isTrue();

    Http.Response billing = http.get("alice", "/api/user/billing");
    assertThat(billing.status()).isEqualTo(200);
    List<String> types = new ArrayList<>();
    billing.data().forEach(line -> types.add(line.path("type").asString()));
    assertThat(types).contains("CHARGE", "PRORATION_CHARGE");
    // The retried upgrade charged nothing twice.
    assertThat(types.stream().filter("PRORATION_CHARGE"::equals).count()).isEqualTo(1);
    assertThat(billing.body().path("meta").path("total").asLong()).isGreaterThanOrEqualTo(2);

    Http.Response instances = http.get("alice", "/api/user/instances");
    assertThat(instances.status()).isEqualTo(200);
    String instanceId = subscription.path("instance").path("id").asString();
    assertThat(ids(instances.data())).contains(instanceId);
    Http.Response instance = http.get("alice", "/api/user/instances/" + instanceId);
    assertThat(instance.status()).isEqualTo(200);
    assertThat(instance.data().path("resources").path("cpuMillicores").asInt()).isPositive();

    Http.Response patched =
        http.patch(
            "alice",
            "/api/user/instances/" + instanceId,
            "{\"env\":{\"GENERIC_TIMEZONE\":\"Asia/Jakarta\"}}");
    assertThat(patched.status()).as(patched.text()).isEqualTo(200);
    assertThat(patched.data().path("env").path("GENERIC_TIMEZONE").asString())
        .isEqualTo("Asia/Jakarta");
    Http.Response managed =
        http.patch("alice", "/api/user/instances/" + instanceId, "{\"env\":{\"N8N_PORT\":\"1\"}}");
    assertThat(managed.status()).isEqualTo(400);
    assertThat(managed.code()).isEqualTo("VALIDATION_FAILED");

    long usedBusiness = quota("n8n", "business").path("used").asLong();
    assertThat(http.delete("alice", "/api/user/subscriptions/" + id).status()).isEqualTo(204);
    assertThat(quota("n8n", "business").path("used").asLong()).isEqualTo(usedBusiness - 1);
  }

  @Test
  void otherUsersIds_everywhere_are404() {
    Http.Response created =
        http.post("bob", "/api/user/subscriptions", subscribe("ghost", "basic"));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = created.data().path("id").asString();
    String instanceId = created.data().path("instance").path("id").asString();

    assertThat(http.get("carol", "/api/user/subscriptions/" + id).status()).isEqualTo(404);
    assertThat(http.get("carol", "/api/user/subscriptions/" + id + "/upgrade-options").status())
        .isEqualTo(404);
    assertThat(
            http.post(
                    "carol",
                    "/api/user/subscriptions/" + id + "/upgrade",
                    "{\"planSlug\":\"business\"}")
                .status())
        .isEqualTo(404);
    assertThat(http.delete("carol", "/api/user/subscriptions/" + id).status()).isEqualTo(404);
    assertThat(http.get("carol", "/api/user/instances/" + instanceId).status()).isEqualTo(404);
    assertThat(
            http.patch("carol", "/api/user/instances/" + instanceId, "{\"env\":{\"A\":\"b\"}}")
                .status())
        .isEqualTo(404);
    assertThat(http.get("carol", "/api/user/subscriptions/not-a-uuid").status()).isEqualTo(404);
    assertThat(http.get("carol", "/api/user/subscriptions/" + UUID.randomUUID()).code())
        .isEqualTo("NOT_FOUND");
    assertThat(http.get("bob", "/api/user/subscriptions/" + id).status()).isEqualTo(200);
  }

  @Test
  void subscribe_badBodies_are400WithFields() {
    Http.Response malformed = http.post("dave", "/api/user/subscriptions", "{\"serviceSlug\":");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.code()).isEqualTo("VALIDATION_FAILED");
    assertValidation(
        http.post("dave", "/api/user/subscriptions", "{\"serviceSlug\":\"n8n\"}"), "planSlug");
    assertValidation(http.post("dave", "/api/user/subscriptions", "[1,2]"), "body");
    assertThat(http.post("dave", "/api/user/subscriptions", "x".repeat(20_000)).status())
        .isEqualTo(413);
    Http.Response chunked = http.postChunked("dave", "/api/user/subscriptions", 40_000);
    assertThat(chunked.status()).isEqualTo(400);
    assertThat(chunked.code()).isEqualTo("VALIDATION_FAILED");
  }

  @Test
  void subscribe_unknownPlanOrService_is422Or404() {
    Http.Response plan = http.post("dave", "/api/user/subscriptions", subscribe("n8n", "platinum"));
    assertThat(plan.status()).isEqualTo(422);
    assertThat(plan.code()).isEqualTo("INVALID_PLAN");
    Http.Response service =
        http.post("dave", "/api/user/subscriptions", subscribe("nothing", "pro"));
    assertThat(service.status()).isEqualTo(404);
    assertThat(service.code()).isEqualTo("NOT_FOUND");
  }

  @Test
  void subscribe_declinedPayment_is402AndKeepsNothing() {
    context.getBean(MockPaymentGateway.class).declineAccount("erin", "card declined");
    long before = quota("ghost", "pro").path("used").asLong();
    Http.Response response =
        http.post("erin", "/api/user/subscriptions", subscribe("ghost", "pro"));
    assertThat(response.status()).as(response.text()).isEqualTo(402);
    assertThat(response.code()).isEqualTo("PAYMENT_FAILED");
    assertThat(quota("ghost", "pro").path("used").asLong()).isEqualTo(before);
    // Nothing is kept, not even a listing of the failed attempt.
    assertThat(http.get("erin", "/api/user/subscriptions").data()).isEmpty();
    assertThat(http.post("erin", "/api/user/subscriptions", subscribe("n8n", "basic")).status())
        .isEqualTo(402);
  }

  @Test
  void subscribe_provisionerFailure_is502AndCompensates() {
    long before = quota("ghost", "business").path("used").asLong();
    context.getBean(InMemoryProvisioner.class).failNext(1, false);
    Http.Response response =
        http.post("frank", "/api/user/subscriptions", subscribe("ghost", "business"));
    assertThat(response.status()).as(response.text()).isEqualTo(502);
    assertThat(response.code()).isEqualTo("PROVISIONING_FAILED");
    assertThat(quota("ghost", "business").path("used").asLong()).isEqualTo(before);
  }

  @Test
  void subscribe_beyondInstancesPerUser_is409InsufficientResources() {
    assertThat(http.post("grace", "/api/user/subscriptions", subscribe("n8n", "basic")).status())
        .isEqualTo(201);
    assertThat(http.post("grace", "/api/user/subscriptions", subscribe("ghost", "basic")).status())
        .isEqualTo(201);
    String serviceId = createService("grace-extra");
    createPlan(serviceId, "solo", 1, 10);
    Http.Response third =
        http.post("grace", "/api/user/subscriptions", subscribe("grace-extra", "solo"));
    assertThat(third.status()).as(third.text()).isEqualTo(409);
    assertThat(third.code()).isEqualTo("INSUFFICIENT_RESOURCES");
  }

  @Test
  void subscribe_fortyUsersOnThreeSlots_exactlyThreeWin() throws Exception {
    String serviceId = createService("race");
    createPlan(serviceId, "tiny", 1, 3);
    ExecutorService pool = Executors.newFixedThreadPool(TestApplication.RACERS);
    CountDownLatch go = new CountDownLatch(1);
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 1; i <= TestApplication.RACERS; i++) {
      String user = "racer" + i;
      futures.add(
          pool.submit(
              () -> {
                go.await();
                Http.Response r =
                    http.post(user, "/api/user/subscriptions", subscribe("race", "tiny"));
                outcomes
                    .computeIfAbsent(r.status() + " " + r.code(), k -> new AtomicInteger())
                    .incrementAndGet();
                return null;
              }));
    }
    go.countDown();
    for (Future<?> future : futures) {
      future.get();
    }
    pool.shutdown();
    assertThat(outcomes.get("201 ")).as(outcomes.toString()).hasValue(3);
    assertThat(outcomes.get("409 QUOTA_EXCEEDED")).as(outcomes.toString()).hasValue(37);
    JsonNode quota = quota("race", "tiny");
    assertThat(quota.path("used").asLong()).isEqualTo(3);
    assertThat(quota.path("available").asLong()).isZero();
  }

  @Test
  void subscribe_fullPlan_is409QuotaExceededWithDetails() {
    String serviceId = createService("full");
    createPlan(serviceId, "one", 1, 1);
    assertThat(http.post("racer1", "/api/user/subscriptions", subscribe("full", "one")).status())
        .isEqualTo(201);
    Http.Response full = http.post("racer2", "/api/user/subscriptions", subscribe("full", "one"));
    assertThat(full.status()).isEqualTo(409);
    assertThat(full.code()).isEqualTo("QUOTA_EXCEEDED");
    JsonNode details = full.body().path("error").path("details");
    assertThat(details.path("planName").asString()).isNotBlank();
    assertThat(details.path("availableQuota").asLong()).isZero();
    assertThat(details.path("totalQuota").asLong()).isEqualTo(1);
  }

  // ---- admin ----

  @Test
  void adminServicesAndPlans_crud_followTheContract() {
    String serviceId = createService("admin-crud");
    Http.Response list = http.get("admin", "/api/admin/services?size=100");
    assertThat(list.status()).isEqualTo(200);
    assertThat(slugs(list.data())).contains("admin-crud", "n8n");

    Http.Response again = http.post("admin", "/api/admin/services", serviceJson("admin-crud"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("CONFLICT");
    assertValidation(http.post("admin", "/api/admin/services", "{\"slug\":\"x\"}"), "name");
    assertValidation(
        http.post(
            "admin",
            "/api/admin/services",
            "{\"slug\":\"y\",\"name\":\"Y\",\"categorySlug\":\"automation\",\"template\":{}}"),
        "template.image");

    Http.Response renamed =
        http.put("admin", "/api/admin/services/" + serviceId, "{\"name\":\"Renamed\"}");
    assertThat(renamed.status()).as(renamed.text()).isEqualTo(200);
    assertThat(renamed.data().path("name").asString()).isEqualTo("Renamed");

    String planId = createPlan(serviceId, "pro", 2, 5);
    assertThat(http.get(null, "/api/catalog/services/admin-crud").data().path("name").asString())
        .isEqualTo("Renamed");
    Http.Response plans = http.get("admin", "/api/admin/services/" + serviceId + "/plans");
    assertThat(plans.status()).isEqualTo(200);
    assertThat(slugs(plans.data())).contains("pro");

    assertThat(
            http.post("racer3", "/api/user/subscriptions", subscribe("admin-crud", "pro")).status())
        .isEqualTo(201);
    Http.Response shrink =
        http.put(
            "admin", "/api/admin/services/" + serviceId + "/plans/" + planId, "{\"quotaTotal\":0}");
    assertThat(shrink.status()).as(shrink.text()).isEqualTo(409);
    assertThat(shrink.code()).isEqualTo("CONFLICT");
    Http.Response grow =
        http.put(
            "admin", "/api/admin/services/" + serviceId + "/plans/" + planId, "{\"quotaTotal\":9}");
    assertThat(grow.status()).as(grow.text()).isEqualTo(200);
    assertThat(grow.data().path("quota").path("total").asLong()).isEqualTo(9);

    assertThat(http.delete("admin", "/api/admin/services/" + serviceId).status()).isEqualTo(204);
    assertThat(http.get(null, "/api/catalog/services/admin-crud").status()).isEqualTo(404);
    assertThat(http.get("racer3", "/api/user/subscriptions").data().size()).isEqualTo(1);
    assertThat(http.put("admin", "/api/admin/services/" + UUID.randomUUID(), "{}").status())
        .isEqualTo(404);
  }

  @Test
  void adminAnalytics_allThree_answer200() {
    Http.Response subscriptions = http.get("admin", "/api/admin/analytics/subscriptions");
    assertThat(subscriptions.status()).as(subscriptions.text()).isEqualTo(200);
    assertThat(subscriptions.data().has("counts")).isTrue();
    Http.Response quota = http.get("admin", "/api/admin/analytics/quota");
    assertThat(quota.status()).isEqualTo(200);
    assertThat(quota.data().get(0).has("percent")).isTrue();
    Http.Response revenue =
        http.get("admin", "/api/admin/analytics/revenue?from=2020-01-01&to=2100-01-01");
    assertThat(revenue.status()).as(revenue.text()).isEqualTo(200);
    assertValidation(http.get("admin", "/api/admin/analytics/revenue?from=yesterday"), "from");
  }

  // ---- helpers ----

  private static String createService(String slug) {
    Http.Response created = http.post("admin", "/api/admin/services", serviceJson(slug));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.data().path("id").asString();
  }

  private static String serviceJson(String slug) {
    return """
        {"slug":"%s","name":"%s","categorySlug":"automation","description":"test service",
         "tags":["test"],"template":{"image":"nginx:1.27","port":8080,
         "env":{"TZ":"UTC"},"volumePath":"/data"}}"""
        .formatted(slug, slug);
  }

  private static String createPlan(String serviceId, String slug, int tier, int quota) {
    Http.Response created =
        http.post(
            "admin",
            "/api/admin/services/" + serviceId + "/plans",
            """
            {"slug":"%s","name":"%s","tier":%d,
             "price":{"amount":100000,"currency":"IDR","period":"MONTHLY"},
             "resources":{"cpuMillicores":250,"memoryMiB":256,"storageGiB":1},
             "quotaTotal":%d,"features":{"customDomain":false}}"""
                .formatted(slug, slug, tier, quota));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.data().path("id").asString();
  }

  private static String subscribe(String service, String plan) {
    return "{\"serviceSlug\":\"" + service + "\",\"planSlug\":\"" + plan + "\"}";
  }

  private static JsonNode quota(String service, String plan) {
    return plan(http.get(null, "/api/catalog/services/" + service).data(), plan).path("quota");
  }

  private static JsonNode plan(JsonNode service, String slug) {
    for (JsonNode plan : service.path("plans")) {
      if (plan.path("slug").asString().equals(slug)) {
        return plan;
      }
    }
    throw new AssertionError("no plan " + slug + " in " + service);
  }

  private static List<String> slugs(JsonNode items) {
    List<String> slugs = new ArrayList<>();
    items.forEach(item -> slugs.add(item.path("slug").asString()));
    return slugs;
  }

  private static List<String> ids(JsonNode items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.path("id").asString()));
    return ids;
  }

  private static void assertValidation(Http.Response response, String field) {
    assertThat(response.status()).as(response.text()).isEqualTo(400);
    assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(response.body().path("error").path("details").path("fields").has(field))
        .as(response.text())
        .isTrue();
  }
}
