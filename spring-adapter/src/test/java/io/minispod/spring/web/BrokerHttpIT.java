package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.billing.Price;
import io.minispod.broker.ServiceBroker;
import io.minispod.catalog.CatalogAdmin;
import io.minispod.catalog.CatalogSeed;
import io.minispod.catalog.Plan;
import io.minispod.catalog.PlanDraft;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.ServiceDraft;
import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.InMemoryBindingCredentials;
import io.minispod.provisioner.InMemoryProvisioner;
import io.minispod.provisioner.InstanceRef;
import io.minispod.spring.web.OsbClient.Answer;
import io.minispod.subscription.Subscriptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Open Service Broker API over a real port, as a platform calls it (through {@link OsbClient},
 * written from the spec): authentication, the version header, the catalog, asynchronous provision,
 * update and deprovision polled to their end with a slow provisioner, and the spec's status codes.
 */
final class BrokerHttpIT {

  private static final String BROKER_USER = "platform";
  private static final String BROKER_PASSWORD = "broker-secret";

  private static RunningApp app;
  private static OsbClient osb;
  private static ServiceDefinition service;
  private static ServiceDefinition tiny;

  private Map<String, Object> context;

  @BeforeAll
  static void startApp() {
    app =
        RunningApp.start(
            Map.of(
                "minispod.broker.enabled", "true",
                "minispod.broker.username", BROKER_USER,
                "minispod.broker.password", BROKER_PASSWORD));
    osb = new OsbClient(port(), BROKER_USER, BROKER_PASSWORD);
    service = service(5);
    tiny = service(1);
  }

  @AfterAll
  static void stopApp() {
    app.close();
  }

  @BeforeEach
  void newSpace() {
    String space = UUID.randomUUID().toString();
    context = Map.of("platform", "cloudfoundry", "organization_guid", "org-1", "space_guid", space);
  }

  @AfterEach
  void releasePlatform() {
    app.bean(InMemoryProvisioner.class).release();
  }

  private static int port() {
    return Integer.parseInt(app.context().getEnvironment().getProperty("local.server.port"));
  }

  /** A service with plans basic, pro and business of one capacity each. */
  private static ServiceDefinition service(long capacity) {
    CatalogAdmin admin = app.bean(CatalogAdmin.class);
    String slug = "osb-" + UUID.randomUUID().toString().substring(0, 8);
    ServiceDefinition created =
        admin.createService(
            new ServiceDraft(
                slug,
                "Broker " + slug,
                "automation",
                "A service for the broker's tests",
                List.of("test"),
                CatalogSeed.ghostTemplate()));
    for (int tier = 1; tier <= 3; tier++) {
      String plan = List.of("basic", "pro", "business").get(tier - 1);
      admin.createPlan(
          created.id(),
          new PlanDraft(
              plan,
              plan,
              tier,
              Price.monthly(100_000L * tier, "IDR"),
              new Resources(500 * tier, 512 * tier, 5 * tier),
              capacity,
              Map.of()));
    }
    return created;
  }

  private static String plan(ServiceDefinition of, String slug) {
    return app.bean(io.minispod.catalog.Catalog.class)
        .port()
        .service(of.id())
        .plan(slug)
        .map(Plan::id)
        .orElseThrow()
        .toString();
  }

  private Answer provision(String instanceId, String planSlug) {
    return osb.provision(
        instanceId, service.id().toString(), plan(service, planSlug), context, true);
  }

  private static void assertOsbError(Answer answer, int status, String error, String part) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    if (error == null) {
      assertThat(answer.body().has("error")).as(answer.text()).isFalse();
    } else {
      assertThat(answer.text("error")).isEqualTo(error);
    }
    assertThat(answer.text("description")).contains(part);
  }

  @Test
  void catalog_servesEveryActiveServiceWithPlansInTheSpecsFields() {
    Answer answer = osb.catalog();

    assertThat(answer.status()).isEqualTo(200);
    JsonNode offering = null;
    for (JsonNode s : answer.body().path("services")) {
      if (s.path("id").asString().equals(service.id().toString())) {
        offering = s;
      }
    }
    assertThat(offering).as("our service is offered").isNotNull();
    assertThat(offering.path("name").asString()).isEqualTo(service.slug());
    assertThat(offering.path("bindable").asBoolean()).isTrue();
    assertThat(offering.path("bindings_retrievable").asBoolean()).isTrue();
    assertThat(offering.path("plan_updateable").asBoolean()).isTrue();
    assertThat(offering.path("instances_retrievable").asBoolean()).isTrue();
    JsonNode plans = offering.path("plans");
    assertThat(plans).hasSize(3);
    assertThat(plans.get(0).path("id").asString()).isEqualTo(plan(service, "basic"));
    assertThat(plans.get(0).path("plan_updateable").asBoolean()).isTrue();
    assertThat(plans.get(2).path("plan_updateable").asBoolean()).isFalse();
    assertThat(plans.get(0).path("free").asBoolean()).isFalse();
    assertThat(plans.get(0).path("metadata").path("quota").path("available").asLong()).isEqualTo(5);
    assertThat(plans.get(0).path("metadata").path("price").path("currency").asString())
        .isEqualTo("IDR");
  }

  @Test
  void withoutOrWithWrongCredentials_is401WithTheOsbBody_evenForAHostsUser() {
    assertOsbError(new OsbClient(port(), null, null).catalog(), 401, null, "credentials");
    assertOsbError(new OsbClient(port(), BROKER_USER, "wrong").catalog(), 401, null, "");
    assertOsbError(
        new OsbClient(port(), "alice", TestApplication.PASSWORD).catalog(), 401, null, "");
    assertThat(new OsbClient(port(), null, null).send("GET", "/catalog", null, Map.of()).status())
        .isEqualTo(401);
  }

  @Test
  void apiVersionBelow213OrMissing_is412() {
    assertOsbError(osb.withVersion("2.12").catalog(), 412, null, "2.13 to 2.17");
    assertOsbError(osb.withVersion(null).catalog(), 412, null, "is missing");
    assertThat(osb.withVersion("2.13").catalog().status()).isEqualTo(200);
  }

  @Test
  void provision_withMaintenanceInfo_is422MaintenanceInfoConflict_andKeepsNothing() {
    String body =
        "{\"service_id\":\"%s\",\"plan_id\":\"%s\",\"context\":{\"platform\":\"cloudfoundry\",\"space_guid\":\"%s\"},\"maintenance_info\":{\"version\":\"2.0.0\"}}"
            .formatted(service.id(), plan(service, "basic"), UUID.randomUUID());

    Answer answer =
        osb.send("PUT", "/service_instances/maint-1?accepts_incomplete=true", body, Map.of());

    assertOsbError(answer, 422, "MaintenanceInfoConflict", "maintenance_info");
    assertThat(osb.fetch("maint-1").status()).isEqualTo(404);
  }

  @Test
  void provision_withoutAcceptsIncomplete_is422AsyncRequired() {
    Answer answer =
        osb.provision("sync-1", service.id().toString(), plan(service, "basic"), context, false);

    assertOsbError(answer, 422, "AsyncRequired", "accepts_incomplete");
  }

  @Test
  void provision_slowPlatform_pollsToTheEnd_withTheSpecsRepeatRules() {
    InMemoryProvisioner provisioner = app.bean(InMemoryProvisioner.class);
    provisioner.hang();

    Answer started = provision("slow-1", "basic");
    String operation = started.text("operation");

    assertThat(started.status()).as(started.text()).isEqualTo(202);
    assertThat(operation).isNotBlank();
    Answer polled = osb.lastOperation("slow-1", operation);
    assertThat(polled.status()).isEqualTo(200);
    assertThat(polled.text("state")).isEqualTo("in progress");
    Answer identical = provision("slow-1", "basic");
    assertThat(identical.status()).isEqualTo(202);
    assertThat(identical.text("operation")).isEqualTo(operation);
    assertOsbError(provision("slow-1", "pro"), 409, null, "other attributes");
    assertOsbError(
        osb.deprovision("slow-1", service.id().toString(), plan(service, "basic"), true),
        422,
        "ConcurrencyError",
        "in progress");
    assertOsbError(
        osb.update("slow-1", service.id().toString(), plan(service, "pro"), plan(service, "basic")),
        422,
        "ConcurrencyError",
        "in progress");
    assertThat(osb.fetch("slow-1").status()).isEqualTo(404);

    provisioner.release();
    Answer done = osb.poll("slow-1", operation);

    assertThat(done.text("state")).as(done.text()).isEqualTo("succeeded");
    Answer again = provision("slow-1", "basic");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.text("dashboard_url")).contains("apps");
    Answer fetched = osb.fetch("slow-1");
    assertThat(fetched.status()).isEqualTo(200);
    assertThat(fetched.text("plan_id")).isEqualTo(plan(service, "basic"));
    assertThat(fetched.text("service_id")).isEqualTo(service.id().toString());
  }

  @Test
  void update_downgrade_isRefused422WithTheReason_andThePlanStays() {
    String operation = provision("down-1", "pro").text("operation");
    assertThat(osb.poll("down-1", operation).text("state")).isEqualTo("succeeded");

    Answer refused =
        osb.update("down-1", service.id().toString(), plan(service, "basic"), plan(service, "pro"));

    assertOsbError(refused, 422, null, "only upgrades to a plan of a higher tier are allowed");
    assertThat(osb.fetch("down-1").text("plan_id")).isEqualTo(plan(service, "pro"));
  }

  @Test
  void provision_intoAFullPlan_is422WithTheQuota() {
    Answer first =
        osb.provision("full-1", tiny.id().toString(), plan(tiny, "basic"), context, true);
    assertThat(osb.poll("full-1", first.text("operation")).text("state")).isEqualTo("succeeded");
    Map<String, Object> otherSpace =
        Map.of("platform", "cloudfoundry", "space_guid", UUID.randomUUID().toString());

    Answer full =
        osb.provision("full-2", tiny.id().toString(), plan(tiny, "basic"), otherSpace, true);

    assertOsbError(full, 422, null, "The plan is full");
    assertThat(full.text("description")).contains("0 of 1 available");
  }

  @Test
  void deprovision_isPolledUntilGone_then410() {
    String provisioned = provision("del-1", "basic").text("operation");
    assertThat(osb.poll("del-1", provisioned).text("state")).isEqualTo("succeeded");
    assertOsbError(
        osb.deprovision("del-1", service.id().toString(), plan(service, "basic"), false),
        422,
        "AsyncRequired",
        "");

    Answer started =
        osb.deprovision("del-1", service.id().toString(), plan(service, "basic"), true);

    assertThat(started.status()).isEqualTo(202);
    Answer gone = osb.poll("del-1", started.text("operation"));
    assertThat(gone.status()).as(gone.text()).isEqualTo(410);
    assertOsbError(
        osb.deprovision("del-1", service.id().toString(), plan(service, "basic"), true),
        410,
        null,
        "does not exist");
    assertThat(osb.fetch("del-1").status()).isEqualTo(404);
  }

  @Test
  void malformedRequests_are400WithTheOsbBody() {
    assertOsbError(
        osb.send("PUT", "/service_instances/bad-1?accepts_incomplete=true", "{not json", Map.of()),
        400,
        null,
        "malformed");
    assertOsbError(
        osb.send(
            "PUT",
            "/service_instances/bad-1?accepts_incomplete=true",
            "{\"service_id\": 5, \"plan_id\": \"x\"}",
            Map.of()),
        400,
        null,
        "service_id must be a string");
    assertOsbError(
        osb.send("DELETE", "/service_instances/bad-1?accepts_incomplete=true", null, Map.of()),
        400,
        null,
        "service_id and plan_id are required");
    assertOsbError(
        osb.send(
            "PUT",
            "/service_instances/bad-1?accepts_incomplete=true",
            "{\"service_id\":\""
                + service.id()
                + "\",\"plan_id\":\""
                + plan(service, "basic")
                + "\"}",
            Map.of("X-Broker-API-Originating-Identity", "cloudfoundry not-base64!")),
        400,
        null,
        "Originating-Identity");
  }

  @Test
  void originatingIdentity_ownsTheInstance_whenNoSpaceIsGiven() {
    String identity =
        "kubernetes "
            + java.util.Base64.getEncoder()
                .encodeToString(
                    "{\"username\":\"kate\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Answer started =
        osb.send(
            "PUT",
            "/service_instances/id-1?accepts_incomplete=true",
            "{\"service_id\":\""
                + service.id()
                + "\",\"plan_id\":\""
                + plan(service, "basic")
                + "\"}",
            Map.of("X-Broker-API-Originating-Identity", identity));

    assertThat(started.status()).as(started.text()).isEqualTo(202);
    assertThat(osb.poll("id-1", started.text("operation")).text("state")).isEqualTo("succeeded");
    assertThat(app.bean(Subscriptions.class).subscriptions().subscriptions("kubernetes:user:kate"))
        .hasSize(1);
  }

  @Test
  void
      platformLifecycle_catalogProvisionPollFetchUpdatePollBindFetchUnbindDeprovisionPollUntilGone() {
    JsonNode offering = null;
    for (JsonNode s : osb.catalog().body().path("services")) {
      if (s.path("name").asString().equals(service.slug())) {
        offering = s;
      }
    }
    assertThat(offering).isNotNull();
    String serviceId = offering.path("id").asString();
    String basic = offering.path("plans").get(0).path("id").asString();
    String pro = offering.path("plans").get(1).path("id").asString();

    Answer provisioned = osb.provision("life-1", serviceId, basic, context, true);
    assertThat(provisioned.status()).isEqualTo(202);
    assertThat(osb.poll("life-1", provisioned.text("operation")).text("state"))
        .isEqualTo("succeeded");
    assertThat(osb.fetch("life-1").text("plan_id")).isEqualTo(basic);

    Answer updated = osb.update("life-1", serviceId, pro, basic);
    assertThat(updated.status()).isEqualTo(202);
    assertThat(osb.poll("life-1", updated.text("operation")).text("state")).isEqualTo("succeeded");
    assertThat(osb.fetch("life-1").text("plan_id")).isEqualTo(pro);

    Answer bound = osb.bind("life-1", "life-bind-1", serviceId, pro, "app-1");
    assertThat(bound.status()).as(bound.text()).isEqualTo(201);
    JsonNode credentials = bound.body().path("credentials");
    assertThat(credentials.path("uri").asString()).contains("apps");
    assertThat(osb.bind("life-1", "life-bind-1", serviceId, pro, "app-1").status()).isEqualTo(200);
    assertThat(osb.bind("life-1", "life-bind-1", serviceId, pro, "app-2").status()).isEqualTo(409);
    Answer fetchedBinding = osb.fetchBinding("life-1", "life-bind-1");
    assertThat(fetchedBinding.status()).isEqualTo(200);
    assertThat(fetchedBinding.body().path("credentials")).isEqualTo(credentials);
    InstanceRef instance = instanceOf("life-1");
    String username = credentials.path("username").asString();
    String password = credentials.path("password").asString();
    assertThat(app.bean(InMemoryBindingCredentials.class).accepts(instance, username, password))
        .isTrue();

    Answer unbound = osb.unbind("life-1", "life-bind-1", serviceId, pro);
    assertThat(unbound.status()).isEqualTo(200);
    assertThat(unbound.text()).isEqualTo("{}");
    assertThat(app.bean(InMemoryBindingCredentials.class).accepts(instance, username, password))
        .as("the credential stops working after unbind")
        .isFalse();
    assertThat(osb.unbind("life-1", "life-bind-1", serviceId, pro).status()).isEqualTo(410);
    assertThat(osb.fetchBinding("life-1", "life-bind-1").status()).isEqualTo(404);

    Answer deleted = osb.deprovision("life-1", serviceId, pro, true);
    assertThat(deleted.status()).isEqualTo(202);
    assertThat(osb.poll("life-1", deleted.text("operation")).status()).isEqualTo(410);
    assertThat(osb.deprovision("life-1", serviceId, pro, true).status()).isEqualTo(410);
  }

  @Test
  void race_fortyPlatformRequestsOnAThreeSlotPlan_giveExactlyThreeInstances_andNothingElse()
      throws Exception {
    ServiceDefinition small = service(3);
    String basic = plan(small, "basic");
    ExecutorService pool = Executors.newFixedThreadPool(TestApplication.RACERS);
    List<Answer> answers = new ArrayList<>();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Answer>> futures = new ArrayList<>();
      for (int i = 0; i < TestApplication.RACERS; i++) {
        String instanceId = "racer-" + i;
        Map<String, Object> space =
            Map.of("platform", "cloudfoundry", "space_guid", "race-space-" + i);
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return osb.provision(instanceId, small.id().toString(), basic, space, true);
                }));
      }
      go.countDown();
      for (Future<Answer> future : futures) {
        answers.add(future.get());
      }
    } finally {
      pool.shutdownNow();
    }

    List<Answer> accepted = answers.stream().filter(a -> a.status() == 202).toList();
    List<Answer> refused = answers.stream().filter(a -> a.status() == 422).toList();
    assertThat(accepted).hasSize(3);
    assertThat(refused).hasSize(TestApplication.RACERS - 3);
    assertThat(refused).allSatisfy(a -> assertThat(a.text("description")).contains("full"));
    for (int i = 0; i < TestApplication.RACERS; i++) {
      Answer last = osb.lastOperation("racer-" + i, null);
      if (last.status() == 200) {
        assertThat(osb.poll("racer-" + i, null).text("state")).isEqualTo("succeeded");
      } else {
        assertThat(last.status()).as("a refused id is not kept").isEqualTo(410);
      }
    }
    assertThat(
            app.bean(io.minispod.catalog.CatalogService.class)
                .getServiceDetails(small.slug())
                .plans()
                .get(0)
                .quota()
                .used())
        .isEqualTo(3);
    long live = 0;
    for (int i = 0; i < TestApplication.RACERS; i++) {
      live +=
          app.bean(Subscriptions.class)
              .subscriptions()
              .subscriptions("cf:space:race-space-" + i)
              .size();
    }
    assertThat(live).as("subscriptions of all racers, failed attempts excluded").isEqualTo(3);
  }

  /** The platform-side instance a provisioned OSB instance runs as. */
  private InstanceRef instanceOf(String instanceId) {
    String owner = "cf:space:" + context.get("space_guid");
    var subscription = app.bean(Subscriptions.class).subscriptions().subscriptions(owner).get(0);
    return new InstanceRef(subscription.instance().id(), owner);
  }

  @Test
  void brokerIsOffByDefault_andV2IsLeftToTheHostsChains() {
    try (RunningApp plain = RunningApp.start(Map.of())) {
      assertThat(plain.context().getBeansOfType(ServiceBroker.class)).isEmpty();
      int plainPort =
          Integer.parseInt(plain.context().getEnvironment().getProperty("local.server.port"));
      assertThat(new OsbClient(plainPort, BROKER_USER, BROKER_PASSWORD).catalog().status())
          .as("the host's chain answers: the platform is no user of the host")
          .isEqualTo(401);
    }
  }

  @Test
  void enabledWithoutCredentials_refusesToStart_namingTheProperty() {
    assertThatThrownBy(() -> RunningApp.start(Map.of("minispod.broker.enabled", "true")))
        .hasStackTraceContaining("minispod.broker.username");
    assertThatThrownBy(
            () ->
                RunningApp.start(
                    Map.of("minispod.broker.enabled", "true", "minispod.broker.username", "p")))
        .hasStackTraceContaining("minispod.broker.password");
  }
}
