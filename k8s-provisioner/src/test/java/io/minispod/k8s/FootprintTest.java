package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.provisioner.ContainerSpec;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ResourceLimits;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

final class FootprintTest {

  /** The app gets 1024 MiB of scratch space, MySQL 256. */
  private static final ToLongFunction<ContainerSpec> SCRATCH =
      c -> c.name().equals("app") ? 1024 : 256;

  private final InstanceSpec ghost =
      AppTemplates.ghost(
          UUID.randomUUID(), "alice", "ghost-k3x9q2mt", "basic", new ResourceLimits(500, 512, 5));

  @Test
  void of_appWithCompanion_sumsBothAndCountsPodsAndVolumes() {
    Footprint footprint =
        Footprint.of(ghost, Map.of(), c -> Names.volume("ghost-k3x9q2mt", c.name()), SCRATCH);

    assertThat(footprint).isEqualTo(new Footprint(750, 1024, 7, 1280, 2, 2));
  }

  @Test
  void of_volumeAlreadyLarger_countsItsRealSize() {
    Footprint footprint =
        Footprint.of(
            ghost,
            Map.of("ghost-k3x9q2mt-app-data", 20L),
            c -> Names.volume("ghost-k3x9q2mt", c.name()),
            SCRATCH);

    assertThat(footprint.storageGiB()).isEqualTo(22);
  }

  @Test
  void encode_thenDecode_roundTrips() {
    Footprint footprint = new Footprint(1250, 1536, 12, 2048, 2, 2);

    assertThat(footprint.encode())
        .isEqualTo("cpu=1250m,memory=1536Mi,storage=12Gi,ephemeral=2048Mi,pods=2,volumes=2");
    assertThat(Footprint.decode(footprint.encode(), 512)).contains(footprint);
  }

  @Test
  void decode_shareWrittenBeforeScratchSpaceWasCounted_countsTheDefaultPerPod() {
    assertThat(Footprint.decode("cpu=750m,memory=1024Mi,storage=7Gi,pods=2,volumes=2", 1024))
        .contains(new Footprint(750, 1024, 7, 2048, 2, 2));
  }

  @Test
  void decode_notAFootprint_isEmpty() {
    assertThat(Footprint.decode(null, 0)).isEmpty();
    assertThat(Footprint.decode("hello", 0)).isEmpty();
    assertThat(Footprint.decode("cpu=1,memory=2Mi,storage=3Gi,pods=1,volumes=1", 0)).isEmpty();
    assertThat(Footprint.decode("cpu=xm,memory=2Mi,storage=3Gi,pods=1,volumes=1", 0)).isEmpty();
    assertThat(Footprint.decode("cpu=-1m,memory=2Mi,storage=3Gi,pods=1,volumes=1", 0)).isEmpty();
    assertThat(Footprint.decode("cpu=1m,memory=2Mi,storage=3Gi,ephemeral=4Gi,pods=1,volumes=1", 0))
        .isEmpty();
    assertThat(Footprint.decode("cpu=1m,memory=2Mi", 0)).isEmpty();
  }

  @Test
  void sum_severalFootprints_addsEveryFigure() {
    assertThat(
            Footprint.sum(
                List.of(new Footprint(1, 2, 3, 4, 5, 6), new Footprint(10, 20, 30, 40, 50, 60))))
        .isEqualTo(new Footprint(11, 22, 33, 44, 55, 66));
    assertThat(Footprint.sum(List.of())).isEqualTo(Footprint.ZERO);
  }
}
