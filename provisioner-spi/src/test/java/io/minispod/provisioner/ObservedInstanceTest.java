package io.minispod.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ValidationException;
import io.minispod.provisioner.ObservedInstance.State;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class ObservedInstanceTest {

  private static final ResourceLimits BASIC = new ResourceLimits(500, 512, 5);

  private final InstanceSpec planned = InMemoryProvisionerTest.ghost(UUID.randomUUID(), BASIC);

  @Test
  void driftedFrom_cpuOrMemoryDifferOrVolumeSmaller_isDrift() {
    assertThat(running(new ResourceLimits(500, 512, 5)).driftedFrom(planned)).isFalse();
    assertThat(running(new ResourceLimits(501, 512, 5)).driftedFrom(planned)).isTrue();
    assertThat(running(new ResourceLimits(500, 256, 5)).driftedFrom(planned)).isTrue();
    assertThat(running(new ResourceLimits(500, 512, 4)).driftedFrom(planned)).isTrue();
  }

  @Test
  void driftedFrom_largerVolumeOrNoVolumePlanned_isNoDrift() {
    assertThat(running(new ResourceLimits(500, 512, 10)).driftedFrom(planned)).isFalse();
    InstanceSpec noVolume = InMemoryProvisionerTest.withoutVolume(planned);
    assertThat(running(new ResourceLimits(500, 512, 0)).driftedFrom(noVolume)).isFalse();
    InstanceSpec zeroGiB = planned.resizedTo("tiny", new ResourceLimits(500, 512, 0));
    assertThat(running(new ResourceLimits(500, 512, 0)).driftedFrom(zeroGiB)).isFalse();
  }

  @Test
  void driftedFrom_anotherInstanceOrUnknownResources_isRefused() {
    InstanceSpec other = InMemoryProvisionerTest.ghost(UUID.randomUUID(), BASIC);
    assertThatThrownBy(() -> running(BASIC).driftedFrom(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(other.instanceId().toString());
    ObservedInstance incomplete =
        new ObservedInstance(planned.instanceId(), "alice", State.INCOMPLETE, null);
    assertThatThrownBy(() -> incomplete.driftedFrom(planned))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is INCOMPLETE");
  }

  @Test
  void ref_namesTheInstanceToDeprovision() {
    ObservedInstance deleting =
        new ObservedInstance(planned.instanceId(), "alice", State.DELETING, null);
    assertThat(deleting.ref()).isEqualTo(planned.ref());
  }

  @Test
  void new_badFields_namesEveryOne() {
    assertThatThrownBy(() -> new ObservedInstance(null, " ", null, BASIC))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("instanceId", "ownerId", "state"));
    assertThatThrownBy(() -> new ObservedInstance(UUID.randomUUID(), "alice", State.COMPLETE, null))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("resources"));
    assertThatThrownBy(
            () -> new ObservedInstance(UUID.randomUUID(), "alice", State.DELETING, BASIC))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("resources"));
  }

  private ObservedInstance running(ResourceLimits resources) {
    return new ObservedInstance(planned.instanceId(), "alice", State.COMPLETE, resources);
  }
}
