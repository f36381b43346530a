package io.minispod.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.InstanceRef;
import io.minispod.subscription.OperationStatus;
import io.minispod.subscription.Subscription;
import io.minispod.testkit.FreshDatabase;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bindings over a real database: per-binding credentials that stop working once unbound. */
final class ServiceBindingIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private BrokerPlatform platform;
  private ServiceBroker broker;
  private ServiceDefinition service;
  private String owner;
  private String space;

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

  private void provisioned(String instanceId) {
    OperationResponse started =
        broker.provision(platform.provision(service, instanceId, "basic", space));
    assertThat(platform.await(owner, started.operation()).status())
        .isEqualTo(OperationStatus.SUCCEEDED);
  }

  private BindRequest bind(String instanceId, String bindingId, String app) {
    return new BindRequest(
        instanceId,
        bindingId,
        service.id().toString(),
        platform.planId(service, "basic"),
        app,
        Map.of());
  }

  private InstanceRef instanceOf(String instanceId) {
    Subscription s = platform.subscriptions.subscriptions().subscriptions(owner).get(0);
    return new InstanceRef(s.instance().id(), owner);
  }

  private boolean works(String instanceId, ServiceBinding binding) {
    return platform.bindings.accepts(
        instanceOf(instanceId),
        (String) binding.credentials().get("username"),
        (String) binding.credentials().get("password"));
  }

  private static void assertRefused(ThrowingCallable call, int status, String error) {
    BrokerAssertions.assertRefused(call, status, error, "");
  }

  @Test
  void bind_201_repeat200_fetch_thenUnbindRevokesTheCredential_andIsGoneAfter() {
    provisioned("inst-1");

    ServiceBinding created = broker.bind(bind("inst-1", "bind-1", "app-1"));
    ServiceBinding repeated = broker.bind(bind("inst-1", "bind-1", "app-1"));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.credentials()).containsKeys("uri", "username", "password");
    assertThat((String) created.credentials().get("uri")).contains("apps.test");
    assertThat(repeated.status()).isEqualTo(200);
    assertThat(repeated.credentials()).isEqualTo(created.credentials());
    assertThat(broker.binding("inst-1", "bind-1").credentials()).isEqualTo(created.credentials());
    assertThat(works("inst-1", created)).isTrue();

    broker.unbind(new UnbindRequest("inst-1", "bind-1", null, null));

    assertThat(works("inst-1", created)).isFalse();
    assertRefused(
        () -> broker.unbind(new UnbindRequest("inst-1", "bind-1", null, null)), 410, null);
    assertRefused(() -> broker.binding("inst-1", "bind-1"), 404, null);
  }

  @Test
  void bind_refusals_followTheSpec() {
    assertRefused(() -> broker.bind(bind("nobody", "bind-x", null)), 422, null);
    platform.provisioner.hang();
    OperationResponse slow =
        broker.provision(platform.provision(service, "slow-1", "basic", space));
    assertRefused(() -> broker.bind(bind("slow-1", "bind-y", null)), 422, "ConcurrencyError");
    platform.provisioner.release();
    platform.await(owner, slow.operation());
    broker.bind(bind("slow-1", "bind-z", "app-1"));

    assertRefused(() -> broker.bind(bind("slow-1", "bind-z", "app-2")), 409, null);
    assertRefused(
        () ->
            broker.bind(
                new BindRequest("slow-1", "bind-p", null, null, null, Map.of("role", "admin"))),
        400,
        null);
    assertRefused(() -> broker.binding("other", "bind-z"), 404, null);
    ServiceBroker unbindable =
        ServiceBroker.builder(platform.catalog, platform.subscriptions).build();
    assertRefused(() -> unbindable.bind(bind("slow-1", "bind-q", null)), 400, null);
    assertThat(unbindable.catalog()).allSatisfy(o -> assertThat(o.bindable()).isFalse());
    assertThat(broker.catalog()).allSatisfy(o -> assertThat(o.bindable()).isTrue());
  }

  @Test
  void deprovision_revokesTheBindingsThePlatformLeft() {
    provisioned("inst-2");
    ServiceBinding left = broker.bind(bind("inst-2", "bind-2", "app-1"));

    OperationResponse deleting =
        broker.deprovision(new DeprovisionRequest("inst-2", null, null, true, null));

    assertThat(works("inst-2", left)).isFalse();
    assertThat(platform.await(owner, deleting.operation()).status())
        .isEqualTo(OperationStatus.SUCCEEDED);
    assertThat(platform.bindings.size()).isZero();
  }
}
