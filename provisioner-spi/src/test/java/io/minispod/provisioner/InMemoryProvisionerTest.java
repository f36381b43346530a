package io.minispod.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.ValidationException;
import io.minispod.provisioner.ProvisionerCall.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class InMemoryProvisionerTest {

  private final InMemoryProvisioner provisioner = new InMemoryProvisioner("apps.test");

  static InstanceSpec ghost(UUID id, ResourceLimits plan) {
    ContainerSpec app =
        new ContainerSpec(
            "app",
            "ghost:6.3.0-alpine",
            2368,
            Map.of("url", "{{url}}"),
            Map.of("database__connection__password", "mysql-password"),
            "/var/lib/ghost/content",
            ProbeSpec.http("/ghost/api/admin/site/", Duration.ofSeconds(20)),
            null,
            1000L,
            1000L,
            plan);
    ContainerSpec mysql =
        new ContainerSpec(
            "mysql",
            "mysql:8.4.3",
            3306,
            Map.of("MYSQL_DATABASE", "ghost"),
            Map.of(
                "MYSQL_PASSWORD", "mysql-password", "MYSQL_ROOT_PASSWORD", "mysql-root-password"),
            "/var/lib/mysql",
            null,
            null,
            999L,
            999L,
            new ResourceLimits(250, 512, 2));
    return new InstanceSpec(
        id,
        "alice",
        "ghost-k3x9q2mt",
        "ghost",
        "basic",
        app,
        List.of(mysql),
        Set.of("mysql-password", "mysql-root-password"));
  }

  /** The same instance with an app that has no volume path (its plan's storage unused). */
  static InstanceSpec withoutVolume(InstanceSpec spec) {
    ContainerSpec app = spec.app();
    return new InstanceSpec(
        spec.instanceId(),
        spec.ownerId(),
        spec.subdomain(),
        spec.serviceSlug(),
        spec.planSlug(),
        new ContainerSpec(
            app.name(),
            app.image(),
            app.port(),
            app.env(),
            app.secretEnv(),
            null,
            app.readiness(),
            app.liveness(),
            app.runAsUser(),
            app.runAsGroup(),
            app.resources()),
        spec.companions(),
        spec.generatedSecrets());
  }

  @Test
  void stop_reportsTheInstanceDownKeepingEverything_andStartBringsItBack() {
    UUID id = UUID.randomUUID();
    InstanceSpec spec = ghost(id, new ResourceLimits(500, 512, 5));
    provisioner.provision(spec);
    Map<String, String> secrets = provisioner.generatedSecrets(id);

    provisioner.stop(spec.ref());
    boolean stopped = provisioner.isStopped(id);
    InstanceHealth whileStopped = provisioner.health(spec.ref());
    provisioner.start(spec.ref());

    assertThat(stopped).isTrue();
    assertThat(whileStopped.healthy()).isFalse();
    assertThat(provisioner.isStopped(id)).isFalse();
    assertThat(provisioner.health(spec.ref()).healthy()).isTrue();
    assertThat(provisioner.generatedSecrets(id)).isEqualTo(secrets);
    assertThat(provisioner.count(Operation.STOP)).isOne();
    assertThat(provisioner.count(Operation.START)).isOne();
    assertThatThrownBy(() -> provisioner.stop(new InstanceRef(UUID.randomUUID(), "nobody")))
        .isInstanceOf(ProvisioningException.class);
  }

  @Test
  void provision_twice_keepsSecretsAndAnswersTheSameUrl() {
    UUID id = UUID.randomUUID();
    InstanceSpec spec = ghost(id, new ResourceLimits(500, 512, 5));

    ProvisionedInstance first = provisioner.provision(spec);
    Map<String, String> secrets = provisioner.generatedSecrets(id);
    ProvisionedInstance again = provisioner.provision(spec);

    assertThat(first.url()).isEqualTo("https://ghost-k3x9q2mt.apps.test");
    assertThat(again).isEqualTo(first);
    assertThat(secrets).containsOnlyKeys("mysql-password", "mysql-root-password");
    assertThat(provisioner.generatedSecrets(id)).isEqualTo(secrets);
    assertThat(provisioner.size()).isOne();
    assertThat(provisioner.count(Operation.PROVISION)).isEqualTo(2);
  }

  @Test
  void resize_growsAndKeepsSecrets_butNeverShrinksStorage() {
    UUID id = UUID.randomUUID();
    InstanceSpec basic = ghost(id, new ResourceLimits(500, 512, 5));
    provisioner.provision(basic);
    Map<String, String> secrets = provisioner.generatedSecrets(id);

    InstanceSpec pro = basic.resizedTo("pro", new ResourceLimits(1000, 1024, 10));
    provisioner.resize(pro);

    assertThat(provisioner.instance(id)).contains(pro);
    assertThat(provisioner.generatedSecrets(id)).isEqualTo(secrets);
    assertThat(pro.totalResources()).isEqualTo(new ResourceLimits(1250, 1536, 12));
    assertThatThrownBy(() -> provisioner.resize(basic))
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED);
              assertThat(e.retryable()).isFalse();
              assertThat(e.reason()).isEqualTo(FailureReason.STORAGE);
              assertThat(e.platformDetail())
                  .contains(
                      "storage cannot shrink: the app's volume has 10Gi, the plan asks for 5Gi");
            })
        .hasMessageContaining("its storage cannot be resized that way");
    assertThat(provisioner.instance(id)).contains(pro);
  }

  @Test
  void resize_instanceThePlatformLost_recreatesItWithTheNewResources() {
    InstanceSpec lost = ghost(UUID.randomUUID(), new ResourceLimits(1, 1, 1));

    provisioner.resize(lost);

    assertThat(provisioner.instance(lost.instanceId())).contains(lost);
    assertThat(provisioner.generatedSecrets(lost.instanceId()))
        .containsOnlyKeys(lost.generatedSecrets());
  }

  @Test
  void deprovision_removesAndIsIdempotent() {
    UUID id = UUID.randomUUID();
    InstanceSpec spec = ghost(id, new ResourceLimits(500, 512, 5));
    provisioner.provision(spec);

    provisioner.deprovision(spec.ref());
    provisioner.deprovision(spec.ref());

    assertThat(provisioner.instance(id)).isEmpty();
    assertThat(provisioner.generatedSecrets(id)).isEmpty();
    assertThat(provisioner.health(spec.ref()).healthy()).isFalse();
  }

  @Test
  void healthAndUsage_reportWhatTheTestSets() {
    UUID id = UUID.randomUUID();
    InstanceSpec spec = ghost(id, new ResourceLimits(500, 512, 5));
    provisioner.provision(spec);
    assertThat(provisioner.health(spec.ref())).isEqualTo(InstanceHealth.up());
    assertThat(provisioner.usage(spec.ref())).isEmpty();

    provisioner.setHealth(id, InstanceHealth.down("crash loop"));
    provisioner.setUsage(id, new ResourceUsage(120, 300, 0.4));

    assertThat(provisioner.health(spec.ref())).isEqualTo(new InstanceHealth(false, "crash loop"));
    assertThat(provisioner.usage(spec.ref())).contains(new ResourceUsage(120, 300, 0.4));
  }

  @Test
  void instances_listEveryInstanceWholeWithItsAppsResources() {
    InstanceSpec ghost = ghost(UUID.randomUUID(), new ResourceLimits(500, 512, 5));
    InstanceSpec noVolume =
        withoutVolume(ghost(UUID.randomUUID(), new ResourceLimits(250, 256, 1)));
    provisioner.provision(ghost);
    provisioner.provision(noVolume);

    List<ObservedInstance> listed = provisioner.instances();

    assertThat(listed)
        .containsExactlyInAnyOrder(
            new ObservedInstance(
                ghost.instanceId(),
                "alice",
                ObservedInstance.State.COMPLETE,
                new ResourceLimits(500, 512, 5)),
            new ObservedInstance(
                noVolume.instanceId(),
                "alice",
                ObservedInstance.State.COMPLETE,
                new ResourceLimits(250, 256, 0)));
    for (ObservedInstance observed : listed) {
      InstanceSpec planned = observed.instanceId().equals(ghost.instanceId()) ? ghost : noVolume;
      assertThat(observed.driftedFrom(planned)).isFalse();
    }
    assertThat(provisioner.calls())
        .filteredOn(c -> c.operation() == Operation.INSTANCES)
        .containsExactly(new ProvisionerCall(Operation.INSTANCES, null, true));
  }

  @Test
  void instances_afterResizeAndDeprovision_listWhatRunsNow() {
    InstanceSpec basic = ghost(UUID.randomUUID(), new ResourceLimits(500, 512, 5));
    InstanceSpec other = ghost(UUID.randomUUID(), new ResourceLimits(500, 512, 5));
    provisioner.provision(basic);
    provisioner.provision(other);

    provisioner.resize(basic.resizedTo("pro", new ResourceLimits(1000, 1024, 10)));
    provisioner.deprovision(other.ref());

    assertThat(provisioner.instances())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.ref()).isEqualTo(basic.ref());
              assertThat(i.resources()).isEqualTo(new ResourceLimits(1000, 1024, 10));
              assertThat(i.driftedFrom(basic)).isTrue();
            });
  }

  @Test
  void lose_takesTheInstanceAwayUnseen_andResizeCreatesItAnew() {
    InstanceSpec spec = ghost(UUID.randomUUID(), new ResourceLimits(500, 512, 5));
    provisioner.provision(spec);
    Map<String, String> secrets = provisioner.generatedSecrets(spec.instanceId());
    int calls = provisioner.calls().size();

    provisioner.lose(spec.instanceId());
    provisioner.lose(UUID.randomUUID());

    assertThat(provisioner.calls()).hasSize(calls);
    assertThat(provisioner.instances()).isEmpty();
    assertThat(provisioner.health(spec.ref()).healthy()).isFalse();
    provisioner.resize(spec);
    assertThat(provisioner.instances())
        .extracting(ObservedInstance::ref)
        .containsExactly(spec.ref());
    assertThat(provisioner.generatedSecrets(spec.instanceId()))
        .containsOnlyKeys(secrets.keySet())
        .isNotEqualTo(secrets);
  }

  @Test
  void drift_changesWhatTheAppRunsWith_untilAResizePutsThePlanBack() {
    InstanceSpec spec = ghost(UUID.randomUUID(), new ResourceLimits(500, 512, 5));
    provisioner.provision(spec);
    Map<String, String> secrets = provisioner.generatedSecrets(spec.instanceId());
    provisioner.setHealth(spec.instanceId(), InstanceHealth.down("slow"));

    provisioner.drift(spec.instanceId(), new ResourceLimits(100, 128, 5));
    provisioner.drift(UUID.randomUUID(), new ResourceLimits(100, 128, 5));

    ObservedInstance drifted = provisioner.instances().get(0);
    assertThat(drifted.resources()).isEqualTo(new ResourceLimits(100, 128, 5));
    assertThat(drifted.driftedFrom(spec)).isTrue();
    assertThat(provisioner.instance(spec.instanceId()).orElseThrow().app().resources())
        .isEqualTo(new ResourceLimits(100, 128, 5));
    assertThat(provisioner.generatedSecrets(spec.instanceId())).isEqualTo(secrets);
    assertThat(provisioner.health(spec.ref()).detail()).isEqualTo("slow");

    provisioner.resize(spec);

    assertThat(provisioner.instances().get(0).driftedFrom(spec)).isFalse();
    assertThat(provisioner.instance(spec.instanceId())).contains(spec);
  }

  @Test
  void instances_failNext_failsNamingNoInstance_whileAFailingInstanceDoesNotMatter() {
    InstanceSpec spec = ghost(UUID.randomUUID(), new ResourceLimits(500, 512, 5));
    provisioner.provision(spec);
    provisioner.failInstance(spec.instanceId());
    provisioner.failNext(1, true);

    assertThatThrownBy(provisioner::instances)
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED);
              assertThat(e.details()).containsOnlyKeys("reason", "reference");
              assertThat(e.reason()).isEqualTo(FailureReason.OTHER);
            })
        .hasMessageStartingWith("Provisioning failed: injected failure of INSTANCES (reference ");
    assertThat(provisioner.instances()).hasSize(1);
    assertThat(provisioner.calls())
        .filteredOn(c -> c.operation() == Operation.INSTANCES)
        .extracting(ProvisionerCall::succeeded)
        .containsExactly(false, true);
  }

  @Test
  void failNext_failsThatManyCallsThenRecovers() {
    UUID id = UUID.randomUUID();
    InstanceSpec spec = ghost(id, new ResourceLimits(500, 512, 5));
    provisioner.failNext(2, true);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> provisioner.provision(spec))
          .isInstanceOfSatisfying(
              ProvisioningException.class, e -> assertThat(e.retryable()).isTrue());
    }
    provisioner.provision(spec);

    assertThat(provisioner.calls())
        .extracting(ProvisionerCall::succeeded)
        .containsExactly(false, false, true);
  }

  @Test
  void failInstance_failsOnlyThatInstanceUntilHealed() {
    InstanceSpec broken = ghost(UUID.randomUUID(), new ResourceLimits(500, 512, 5));
    InstanceSpec fine = ghost(UUID.randomUUID(), new ResourceLimits(500, 512, 5));
    provisioner.failInstance(broken.instanceId());

    assertThatThrownBy(() -> provisioner.provision(broken))
        .isInstanceOf(ProvisioningException.class);
    provisioner.provision(fine);
    provisioner.heal(broken.instanceId());
    provisioner.provision(broken);

    assertThat(provisioner.size()).isEqualTo(2);
  }

  @Test
  void hang_blocksCallsUntilReleased() throws Exception {
    InstanceSpec spec = ghost(UUID.randomUUID(), new ResourceLimits(500, 512, 5));
    provisioner.hang();

    CompletableFuture<ProvisionedInstance> call =
        CompletableFuture.supplyAsync(() -> provisioner.provision(spec));
    assertThat(call).isNotDone();
    assertThat(provisioner.size()).isZero();
    provisioner.release();

    assertThat(call.get(10, TimeUnit.SECONDS).url()).endsWith(".apps.test");
  }

  @Test
  void latency_delaysEveryCall() {
    provisioner.setLatency(Duration.ofMillis(30));
    long start = System.nanoTime();
    provisioner.health(new InstanceRef(UUID.randomUUID(), "alice"));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(30));
  }

  @Test
  void specs_badInput_namesEveryBadField() {
    assertThatThrownBy(
            () ->
                new ContainerSpec(
                    "App_1",
                    "ghost:latest",
                    0,
                    Map.of(),
                    Map.of(),
                    "relative",
                    null,
                    null,
                    0L,
                    null,
                    null))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.fieldErrors())
                    .containsOnlyKeys(
                        "name", "image", "port", "volumePath", "runAsUser", "resources"));
    assertThatThrownBy(() -> new ResourceLimits(0, -1, -1))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.fieldErrors())
                    .containsOnlyKeys("cpuMillicores", "memoryMiB", "storageGiB"));
    InstanceSpec valid = ghost(UUID.randomUUID(), new ResourceLimits(500, 512, 5));
    assertThatThrownBy(
            () ->
                new InstanceSpec(
                    valid.instanceId(),
                    "alice",
                    "Not_A_Label",
                    "ghost",
                    "basic",
                    valid.app(),
                    valid.companions(),
                    Set.of()))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("subdomain", "generatedSecrets"));
    assertThatThrownBy(() -> new ProbeSpec("healthz", Duration.ofSeconds(-1), Duration.ZERO, 0))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.fieldErrors()).hasSize(4));
  }
}
