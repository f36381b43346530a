package io.minispod.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minispod.provisioner.InstanceBackup;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.Provisioner;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class TimedProvisionerTest {

  @Test
  void canGrowStorage_ofAPlatformThatCannot_isFalseThroughTheTimer() {
    Provisioner fixedStorage =
        (Provisioner)
            Proxy.newProxyInstance(
                Provisioner.class.getClassLoader(),
                new Class<?>[] {Provisioner.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("canGrowStorage")) {
                    return false;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });

    assertThat(new TimedProvisioner(fixedStorage, new SimpleMeterRegistry()).canGrowStorage())
        .isFalse();
  }

  @Test
  void backups_passThroughTheTimer_andABackUpIsTimed() {
    InstanceRef ref = new InstanceRef(UUID.randomUUID(), "alice");
    InstanceBackup backup =
        new InstanceBackup(
            "0123456789ab", Instant.parse("2026-05-04T08:00:00Z"), InstanceBackup.Reason.SCHEDULED);
    Provisioner withBackups =
        (Provisioner)
            Proxy.newProxyInstance(
                Provisioner.class.getClassLoader(),
                new Class<?>[] {Provisioner.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "supportsBackups" -> true;
                      case "backUp" -> Optional.of(backup);
                      case "backups" -> List.of(backup);
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TimedProvisioner timed = new TimedProvisioner(withBackups, registry);

    Optional<InstanceBackup> taken = timed.backUp(ref, "k", InstanceBackup.Reason.SCHEDULED, 3);

    assertThat(timed.supportsBackups()).isTrue();
    assertThat(taken).contains(backup);
    assertThat(timed.backups(ref)).containsExactly(backup);
    assertThat(
            registry
                .get("minispod.provisioning.duration")
                .tag("operation", "back-up")
                .tag("outcome", "success")
                .timer()
                .count())
        .isEqualTo(1);
  }
}
