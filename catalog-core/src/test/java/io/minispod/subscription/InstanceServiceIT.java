package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.ValidationException;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.template.Resources;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class InstanceServiceIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private final MutableClock clock = MutableClock.at("2026-04-01T00:00:00Z");
  private Platform platform;
  private String user;
  private Subscription subscription;

  @BeforeEach
  void start() {
    platform = Platform.start(db.dataSource(), clock);
    ServiceDefinition service = platform.service(5, 5, 5);
    user = "user-" + UUID.randomUUID();
    subscription = platform.subscribe().subscribe(user, service.slug(), "pro", "k");
  }

  @AfterEach
  void stop() {
    platform.close();
  }

  private InstanceService instances() {
    return platform.subscriptions.instances();
  }

  @Test
  void instances_listAndDetailsShowLimitsAndStatus() {
    Instance instance = instances().instance(user, subscription.instance().id());

    assertThat(instances().instances(user)).containsExactly(instance);
    assertThat(instance.subscriptionId()).isEqualTo(subscription.id());
    assertThat(instance.planSlug()).isEqualTo("pro");
    assertThat(instance.status()).isEqualTo(InstanceStatus.RUNNING);
    assertThat(instance.resources()).isEqualTo(new Resources(1000, 1024, 10));
    assertThat(instance.url()).isEqualTo(subscription.instance().url());
    assertThat(instance.usage()).isNull();
    assertThat(instance.lastHealthCheck()).isNull();
    assertThat(instance.env()).isEmpty();
  }

  @Test
  void updateEnv_freeKeys_areAppliedThroughTheProvisionerAndStored() {
    Instance updated =
        instances()
            .updateEnv(
                user, subscription.instance().id(), Map.of("GENERIC_TIMEZONE", "Asia/Jakarta"));

    assertThat(updated.env()).containsExactly(Map.entry("GENERIC_TIMEZONE", "Asia/Jakarta"));
    assertThat(
            platform.provisioner.instance(subscription.instance().id()).orElseThrow().app().env())
        .containsEntry("GENERIC_TIMEZONE", "Asia/Jakarta");

    Map<String, String> removal = new HashMap<>();
    removal.put("GENERIC_TIMEZONE", null);
    assertThat(instances().updateEnv(user, subscription.instance().id(), removal).env()).isEmpty();
  }

  @Test
  void updateEnv_managedOrMalformedKeys_areAllRefusedAndNothingChanges() {
    Map<String, String> changes =
        Map.of("url", "https://evil.example", "1BAD", "x", "OK_KEY", "${host}");

    assertThatThrownBy(() -> instances().updateEnv(user, subscription.instance().id(), changes))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("env.url", "env.1BAD", "env.OK_KEY"));
    assertThat(instances().instance(user, subscription.instance().id()).env()).isEmpty();
  }

  @Test
  void updateEnv_provisionerRefuses_changesNothing() {
    platform.provisioner.failNext(1, false);

    assertThatThrownBy(
            () -> instances().updateEnv(user, subscription.instance().id(), Map.of("A", "1")))
        .isInstanceOfSatisfying(
            MinisPodException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED));
    assertThat(instances().instance(user, subscription.instance().id()).env()).isEmpty();
  }

  @Test
  void updateEnv_cancelledInstance_isConflict() {
    platform.subscribe().cancel(user, subscription.id());

    assertThatThrownBy(
            () -> instances().updateEnv(user, subscription.instance().id(), Map.of("A", "1")))
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
  }

  @Test
  void instance_ofAnotherUser_isNotFound() {
    assertThatThrownBy(() -> instances().instance("intruder", subscription.instance().id()))
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(instances().instances("intruder")).isEmpty();
  }
}
