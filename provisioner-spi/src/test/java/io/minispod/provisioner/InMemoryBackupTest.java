package io.minispod.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.provisioner.InstanceBackup.Reason;
import io.minispod.provisioner.ProvisionerCall.Operation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Backups of the in-memory provisioner: dated by its clock, idempotent by key, pruned, removed. */
final class InMemoryBackupTest {

  private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

  /** A clock a test moves by hand. */
  private static final class MovingClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MovingClock clock = new MovingClock();
  private final InMemoryProvisioner provisioner = new InMemoryProvisioner("apps.test", clock);
  private final InstanceSpec spec =
      InMemoryProvisionerTest.ghost(UUID.randomUUID(), new ResourceLimits(500, 512, 5));

  @Test
  void backUp_newInstance_isDatedByTheClockAndListed() {
    provisioner.provision(spec);

    InstanceBackup backup =
        provisioner.backUp(spec.ref(), "upgrade:1", Reason.BEFORE_UPGRADE, 3).orElseThrow();

    assertThat(provisioner.supportsBackups()).isTrue();
    assertThat(backup.takenAt()).isEqualTo(T0);
    assertThat(backup.reason()).isEqualTo(Reason.BEFORE_UPGRADE);
    assertThat(backup.id()).matches("[0-9a-f]{12}");
    assertThat(provisioner.backups(spec.ref())).containsExactly(backup);
  }

  @Test
  void backUp_sameKeyAgain_takesNoSecondBackup() {
    provisioner.provision(spec);
    InstanceBackup first =
        provisioner.backUp(spec.ref(), "upgrade:1", Reason.BEFORE_UPGRADE, 3).orElseThrow();
    clock.now = T0.plus(Duration.ofMinutes(5));

    InstanceBackup again =
        provisioner.backUp(spec.ref(), "upgrade:1", Reason.BEFORE_UPGRADE, 3).orElseThrow();

    assertThat(again).isEqualTo(first);
    assertThat(provisioner.backups(spec.ref())).containsExactly(first);
  }

  @Test
  void backUp_beyondKeep_prunesTheOldestAndListsNewestFirst() {
    provisioner.provision(spec);
    for (int day = 0; day < 4; day++) {
      clock.now = T0.plus(Duration.ofDays(day));
      provisioner.backUp(spec.ref(), "day:" + day, Reason.SCHEDULED, 2);
    }

    List<InstanceBackup> kept = provisioner.backups(spec.ref());

    assertThat(kept)
        .extracting(InstanceBackup::takenAt)
        .containsExactly(T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(2)));
  }

  @Test
  void backUp_missingInstance_hasNothingToBackUp() {
    assertThat(provisioner.backUp(spec.ref(), "k", Reason.SCHEDULED, 1)).isEmpty();
    assertThat(provisioner.backups(spec.ref())).isEmpty();
  }

  @Test
  void backUp_instanceWithoutVolume_hasNothingToBackUp() {
    InstanceSpec withMysql = InMemoryProvisionerTest.withoutVolume(spec);
    InstanceSpec stateless =
        new InstanceSpec(
            spec.instanceId(),
            spec.ownerId(),
            spec.subdomain(),
            spec.serviceSlug(),
            spec.planSlug(),
            withMysql.app(),
            List.of(),
            java.util.Set.of("mysql-password"));
    provisioner.provision(stateless);

    assertThat(withMysql.hasData()).as("its companion keeps data").isTrue();
    assertThat(stateless.hasData()).isFalse();
    assertThat(provisioner.backUp(spec.ref(), "k", Reason.SCHEDULED, 1)).isEmpty();
  }

  @Test
  void backUp_keepBelowOne_isRefused() {
    assertThatThrownBy(() -> provisioner.backUp(spec.ref(), "k", Reason.SCHEDULED, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keep must be at least 1");
  }

  @Test
  void backUp_injectedFailure_isRecordedAndTakesNothing() {
    provisioner.provision(spec);
    provisioner.failNext(1, true);

    assertThatThrownBy(() -> provisioner.backUp(spec.ref(), "k", Reason.SCHEDULED, 1))
        .isInstanceOfSatisfying(
            ProvisioningException.class, e -> assertThat(e.retryable()).isTrue());
    assertThat(provisioner.backups(spec.ref())).isEmpty();
    assertThat(provisioner.calls())
        .contains(new ProvisionerCall(Operation.BACK_UP, spec.instanceId(), false));
  }

  @Test
  void deprovision_removesTheBackups() {
    provisioner.provision(spec);
    provisioner.backUp(spec.ref(), "k", Reason.SCHEDULED, 1);

    provisioner.deprovision(spec.ref());

    assertThat(provisioner.backups(spec.ref())).isEmpty();
  }

  @Test
  void defaults_aProvisionerWithoutBackups_takesAndListsNone() {
    Provisioner plain = new WithoutBackups(provisioner);

    assertThat(plain.supportsBackups()).isFalse();
    assertThat(plain.backups(spec.ref())).isEmpty();
    assertThatThrownBy(() -> plain.backUp(spec.ref(), "k", Reason.SCHEDULED, 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void instanceBackup_missingPart_isRefused() {
    assertThatThrownBy(() -> new InstanceBackup("a", T0, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("reason");
  }

  /** A provisioner that implements only what the SPI requires. */
  private record WithoutBackups(Provisioner delegate) implements Provisioner {
    @Override
    public ProvisionedInstance provision(InstanceSpec spec) {
      return delegate.provision(spec);
    }

    @Override
    public void resize(InstanceSpec spec) {
      delegate.resize(spec);
    }

    @Override
    public void deprovision(InstanceRef instance) {
      delegate.deprovision(instance);
    }

    @Override
    public InstanceHealth health(InstanceRef instance) {
      return delegate.health(instance);
    }

    @Override
    public java.util.Optional<ResourceUsage> usage(InstanceRef instance) {
      return delegate.usage(instance);
    }

    @Override
    public List<ObservedInstance> instances() {
      return delegate.instances();
    }
  }
}
