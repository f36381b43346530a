package io.minispod.broker;

import static io.minispod.broker.BrokerAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.billing.MockPaymentGateway;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.subscription.Operation;
import io.minispod.subscription.OperationStatus;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.testkit.FreshDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker over a real database and the in-memory platform: the spec's status codes, its
 * idempotency rules, and operations polled to their end.
 */
final class ServiceBrokerIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private BrokerPlatform platform;
  private ServiceBroker broker;
  private ServiceDefinition service;
  private String space;
  private String owner;

  @BeforeEach
  void start() {
    platform = new BrokerPlatform(db.dataSource());
    broker = platform.broker;
    service = platform.service(5, 5, 5);
    space = UUID.randomUUID().toString();
    owner = "cf:space:" + space;
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  private ProvisionRequest provision(String instanceId, String plan) {
    return provision(instanceId, plan, space);
  }

  private ProvisionRequest provision(String instanceId, String plan, String inSpace) {
    return platform.provision(service, instanceId, plan, inSpace);
  }

  private UpdateRequest update(String instanceId, String plan) {
    return new UpdateRequest(
        instanceId,
        service.id().toString(),
        platform.planId(service, plan),
        Map.of(),
        Map.of(),
        null,
        null,
        true,
        null);
  }

  private DeprovisionRequest deprovision(String instanceId) {
    return new DeprovisionRequest(instanceId, service.id().toString(), null, true, null);
  }

  /** Provisions and waits until the instance runs. */
  private String provisioned(String instanceId, String plan) {
    OperationResponse started = broker.provision(provision(instanceId, plan));
    assertThat(platform.await(owner, started.operation()).status())
        .isEqualTo(OperationStatus.SUCCEEDED);
    return started.operation();
  }

  @Test
  void catalog_offersActiveServicesWithPlansQuotaAndTheUpgradeOnlyRule() {
    ServiceOffering offering =
        broker.catalog().stream()
            .filter(o -> o.id().equals(service.id().toString()))
            .findFirst()
            .orElseThrow();

    assertThat(offering.name()).isEqualTo(service.slug());
    assertThat(offering.description()).isEqualTo("A test service");
    assertThat(offering.planUpdateable()).isTrue();
    assertThat(offering.instancesRetrievable()).isTrue();
    assertThat(offering.tags()).containsExactly("test");
    assertThat(offering.plans())
        .extracting(ServicePlan::name)
        .containsExactly("basic", "pro", "business");
    assertThat(offering.plans())
        .extracting(ServicePlan::planUpdateable)
        .containsExactly(true, true, false);
    ServicePlan basic = offering.plans().get(0);
    assertThat(basic.id()).isEqualTo(platform.planId(service, "basic"));
    assertThat(basic.free()).isFalse();
    assertThat(basic.description()).contains("500 millicores");
    assertThat(basic.metadata())
        .containsEntry("tier", 1)
        .containsEntry("quota", Map.of("total", 5L, "available", 5L))
        .containsEntry("changesTo", List.of("pro", "business"));
    assertThat(offering.plans().get(2).metadata()).containsEntry("changesTo", List.of());
  }

  @Test
  void provision_withoutAcceptsIncomplete_isAsyncRequired_andKeepsNothing() {
    ProvisionRequest sync =
        new ProvisionRequest(
            "sync-1",
            service.id().toString(),
            platform.planId(service, "basic"),
            Map.of("platform", "cloudfoundry", "space_guid", space),
            null,
            null,
            Map.of(),
            null,
            false,
            null);

    assertRefused(() -> broker.provision(sync), 422, "AsyncRequired", "accepts_incomplete");
    assertRefused(() -> broker.lastOperation("sync-1", null), 410, null, "does not exist");
  }

  @Test
  void provision_slowPlatform_isPolledInProgress_repeatsAre202_thenSucceeded_then200() {
    platform.provisioner.hang();

    OperationResponse first = broker.provision(provision("slow-1", "basic"));
    OperationResponse repeated = broker.provision(provision("slow-1", "basic"));

    assertThat(first.status()).isEqualTo(202);
    assertThat(repeated).isEqualTo(first);
    LastOperation running = broker.lastOperation("slow-1", first.operation());
    assertThat(running.state()).isEqualTo(OperationState.IN_PROGRESS);
    assertThat(running.description()).startsWith("Provisioning the instance");
    assertRefused(() -> broker.instance("slow-1"), 404, null, "still being provisioned");
    assertRefused(() -> broker.deprovision(deprovision("slow-1")), 422, "ConcurrencyError", "");
    assertRefused(() -> broker.update(update("slow-1", "pro")), 422, "ConcurrencyError", "");

    platform.provisioner.release();
    platform.await(owner, first.operation());

    assertThat(broker.lastOperation("slow-1", null).state()).isEqualTo(OperationState.SUCCEEDED);
    OperationResponse again = broker.provision(provision("slow-1", "basic"));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.dashboardUrl()).contains("apps.test");
    ServiceInstance instance = broker.instance("slow-1");
    assertThat(instance.serviceId()).isEqualTo(service.id().toString());
    assertThat(instance.planId()).isEqualTo(platform.planId(service, "basic"));
    assertThat(instance.dashboardUrl()).isEqualTo(again.dashboardUrl());
    assertThat(platform.gateway.calls())
        .as("the owner's billing account is charged the first period")
        .anySatisfy(
            call -> {
              assertThat(call.operation()).isEqualTo(MockPaymentGateway.Operation.CHARGE);
              assertThat(call.accountId()).isEqualTo(owner);
              assertThat(call.amount().minorUnits()).isEqualTo(100_000L);
            });
  }

  @Test
  void provision_sameIdOtherAttributes_isConflict_evenWhileTheFirstRuns() {
    platform.provisioner.hang();
    broker.provision(provision("taken-1", "basic"));

    assertRefused(
        () -> broker.provision(provision("taken-1", "pro")), 409, null, "other attributes");
    assertRefused(
        () -> broker.provision(provision("taken-1", "basic", "another-space")),
        409,
        null,
        "other attributes");
  }

  @Test
  void provision_concurrentIdenticalRequests_startOneSubscription() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<OperationResponse>> racers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        racers.add(() -> broker.provision(provision("race-1", "basic")));
      }
      List<String> operations = new ArrayList<>();
      for (Future<OperationResponse> answer : pool.invokeAll(racers)) {
        OperationResponse response = answer.get();
        if (response.operation() != null) {
          operations.add(response.operation());
        }
      }
      assertThat(operations).isNotEmpty();
      assertThat(operations).containsOnly(operations.get(0));
    } finally {
      pool.shutdownNow();
    }
    List<Subscription> subscriptions = platform.subscriptions.subscriptions().subscriptions(owner);
    assertThat(subscriptions).hasSize(1);
  }

  @Test
  void provision_fullPlan_is422WithTheQuota_andTheIdStaysFree() {
    ServiceDefinition tiny = platform.service(1, 1, 1);
    ServiceDefinition saved = service;
    service = tiny;
    provisioned("full-1", "basic");

    assertRefused(
        () -> broker.provision(provision("full-2", "basic", "other-space")),
        422,
        null,
        "The plan is full");
    assertRefused(() -> broker.lastOperation("full-2", null), 410, null, "does not exist");
    service = saved;
  }

  @Test
  void provision_secondInstanceOfTheServiceInOneSpace_isRefusedWithTheRule() {
    provisioned("one-1", "basic");

    assertRefused(() -> broker.provision(provision("one-2", "pro")), 422, null, "one per service");
  }

  @Test
  void provision_badRequests_areRefusedBeforeAnythingIsKept() {
    ProvisionRequest valid = provision("bad-1", "basic");

    assertRefused(
        () -> broker.provision(withService(valid, UUID.randomUUID().toString())),
        400,
        null,
        "not a service offering");
    assertRefused(() -> broker.provision(withService(valid, "not-a-uuid")), 400, null, "not an id");
    assertRefused(
        () -> broker.provision(withPlan(valid, UUID.randomUUID().toString())),
        400,
        null,
        "not an active plan");
    assertRefused(
        () ->
            broker.provision(
                changed(
                    valid,
                    valid.serviceId(),
                    valid.planId(),
                    valid.context(),
                    Map.of("size", 3),
                    null)),
        400,
        null,
        "no parameters");
    assertRefused(
        () ->
            broker.provision(
                changed(
                    valid, valid.serviceId(), valid.planId(), valid.context(), Map.of(), "1.0.0")),
        422,
        "MaintenanceInfoConflict",
        "maintenance_info");
    assertRefused(
        () ->
            broker.provision(
                changed(
                    valid,
                    valid.serviceId(),
                    valid.planId(),
                    Map.of("platform", "other"),
                    Map.of(),
                    null)),
        400,
        null,
        "Cannot tell whose instance");
    assertRefused(
        () -> broker.provision(withId(valid, "x".repeat(ServiceBroker.MAX_ID_LENGTH + 1))),
        400,
        null,
        "instance_id");
    assertRefused(() -> broker.instance("bad-1"), 404, null, "does not exist");
  }

  @Test
  void provision_failedOnThePlatform_pollsFailedWithWhy_deleteIsGone_andTheIdCanBeRetried() {
    platform.provisioner.failNext(1, false);

    OperationResponse failed = broker.provision(provision("fail-1", "basic"));
    platform.await(owner, failed.operation());

    LastOperation last = broker.lastOperation("fail-1", failed.operation());
    assertThat(last.state()).isEqualTo(OperationState.FAILED);
    assertThat(last.description()).contains("the platform could not run it");
    assertRefused(() -> broker.instance("fail-1"), 404, null, "does not exist");
    assertRefused(() -> broker.deprovision(deprovision("fail-1")), 410, null, "does not exist");

    OperationResponse retried = broker.provision(provision("fail-1", "basic"));
    assertThat(retried.status()).isEqualTo(202);
    assertThat(retried.operation()).isNotEqualTo(failed.operation());
    assertThat(platform.await(owner, retried.operation()).status())
        .isEqualTo(OperationStatus.SUCCEEDED);
    assertRefused(
        () -> broker.lastOperation("fail-1", failed.operation()), 400, null, "not an operation");
  }

  @Test
  void provision_declinedPayment_pollsFailedWithThePaymentReason() {
    platform.gateway.declineNext(1, "card expired");

    OperationResponse started = broker.provision(provision("pay-1", "basic"));
    platform.await(owner, started.operation());

    LastOperation last = broker.lastOperation("pay-1", null);
    assertThat(last.state()).isEqualTo(OperationState.FAILED);
    assertThat(last.description()).contains("payment was declined");
  }

  @Test
  void update_upgrade_isPolledToTheNewPlan_resentWhileRunningIs202_sameIsNoOp() {
    provisioned("up-1", "basic");
    platform.provisioner.hang();

    OperationResponse started = broker.update(update("up-1", "pro"));
    OperationResponse resent = broker.update(update("up-1", "pro"));

    assertThat(started.status()).isEqualTo(202);
    assertThat(resent).isEqualTo(started);
    assertRefused(() -> broker.update(update("up-1", "business")), 422, "ConcurrencyError", "");
    assertRefused(() -> broker.instance("up-1"), 422, "ConcurrencyError", "in progress");
    assertThat(broker.lastOperation("up-1", null).description()).startsWith("Changing");

    platform.provisioner.release();
    platform.await(owner, started.operation());

    assertThat(broker.lastOperation("up-1", started.operation()).state())
        .isEqualTo(OperationState.SUCCEEDED);
    assertThat(broker.instance("up-1").planId()).isEqualTo(platform.planId(service, "pro"));
    assertThat(broker.update(update("up-1", "pro")).status()).isEqualTo(200);
  }

  @Test
  void update_downgradeOrBadRequests_areRefusedWithWhy() {
    provisioned("down-1", "pro");

    assertRefused(
        () -> broker.update(update("down-1", "basic")),
        422,
        null,
        "only upgrades to a plan of a higher tier are allowed (pro is tier 2, basic is tier 1)");
    UpdateRequest sync =
        new UpdateRequest(
            "down-1",
            service.id().toString(),
            platform.planId(service, "business"),
            Map.of(),
            Map.of(),
            null,
            null,
            false,
            null);
    assertRefused(() -> broker.update(sync), 422, "AsyncRequired", "");
    assertRefused(
        () ->
            broker.update(
                new UpdateRequest(
                    "down-1",
                    UUID.randomUUID().toString(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    true,
                    null)),
        400,
        null,
        "belongs to service");
    assertRefused(
        () ->
            broker.update(
                new UpdateRequest("down-1", null, null, null, null, null, "2.0.0", true, null)),
        422,
        "MaintenanceInfoConflict",
        "");
    assertRefused(() -> broker.update(update("nobody", "pro")), 404, null, "does not exist");
    assertThat(broker.instance("down-1").planId()).isEqualTo(platform.planId(service, "pro"));
  }

  @Test
  void deprovision_isPolledUntilGone_thenEverythingIs410_andTheIdCanBeProvisionedAgain() {
    provisioned("del-1", "basic");
    platform.provisioner.hang();
    assertRefused(
        () -> broker.deprovision(new DeprovisionRequest("del-1", null, null, false, null)),
        422,
        "AsyncRequired",
        "");

    OperationResponse started = broker.deprovision(deprovision("del-1"));
    OperationResponse resent = broker.deprovision(deprovision("del-1"));

    assertThat(started.status()).isEqualTo(202);
    assertThat(resent).isEqualTo(started);
    assertThat(broker.lastOperation("del-1", null).state()).isEqualTo(OperationState.IN_PROGRESS);
    platform.provisioner.release();
    platform.await(owner, started.operation());

    assertRefused(() -> broker.lastOperation("del-1", started.operation()), 410, null, "");
    assertRefused(() -> broker.deprovision(deprovision("del-1")), 410, null, "does not exist");
    assertRefused(() -> broker.instance("del-1"), 404, null, "");
    assertThat(platform.subscriptions.subscriptions().subscriptions(owner))
        .extracting(Subscription::status)
        .containsExactly(SubscriptionStatus.CANCELLED);
    assertRefused(() -> broker.deprovision(deprovision("never")), 410, null, "does not exist");

    Operation again =
        platform.await(owner, broker.provision(provision("del-1", "pro")).operation());
    assertThat(again.status()).isEqualTo(OperationStatus.SUCCEEDED);
  }

  private static ProvisionRequest withService(ProvisionRequest r, String serviceId) {
    return changed(r, serviceId, r.planId(), r.context(), Map.of(), null);
  }

  private static ProvisionRequest withPlan(ProvisionRequest r, String planId) {
    return changed(r, r.serviceId(), planId, r.context(), Map.of(), null);
  }

  private static ProvisionRequest withId(ProvisionRequest r, String instanceId) {
    return new ProvisionRequest(
        instanceId, r.serviceId(), r.planId(), r.context(), null, null, Map.of(), null, true, null);
  }

  /** The request with other attributes and without the deprecated space fields. */
  private static ProvisionRequest changed(
      ProvisionRequest r,
      String serviceId,
      String planId,
      Map<String, Object> context,
      Map<String, Object> parameters,
      String maintenanceInfoVersion) {
    return new ProvisionRequest(
        r.instanceId(),
        serviceId,
        planId,
        context,
        null,
        null,
        parameters,
        maintenanceInfoVersion,
        true,
        null);
  }
}
