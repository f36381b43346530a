package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ResourceLimits;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class FootprintTest {

  private final InstanceSpec ghost =
      AppTemplates.ghost(
          UUID.randomUUID(), "alice", "ghost-k3x9q2mt", "basic", new ResourceLimits(500, 512, 5));

  @Test
  void of_appWithCompanion_sumsBothAndCountsPodsAndVolumes() {
    Footprint footprint =
        Footprint.of(ghost, Map.of(), c -> Names.volume("ghost-k3x9q2mt", c.name()));

    assertThat(footprint).isEqualTo(new Footprint(750, 1024, 7, 2, 2));
  }

  @Test
  void of_volumeAlreadyLarger_countsItsRealSize() {
    Footprint footprint =
        Footprint.of(
            ghost,
            Map.of("ghost-k3x9q2mt-app-data", 20L),
            c -> Names.volume("ghost-k3x9q2mt", c.name()));

    assertThat(footprint.storageGiB()).isEqualTo(22);
  }

  @Test
  void encode_thenDecode_roundTrips() {
    Footprint footprint = new Footprint(1250, 1536, 12, 2, 2);

    assertThat(footprint.encode())
        .isEqualTo("cpu=1250m,memory=1536Mi,storage=12Gi,pods=2,volumes=2");
    assertThat(Footprint.decode(footprint.encode())).contains(footprint);
  }

  @Test
  void decode_notAFootprint_isEmpty() {
    assertThat(Footprint.decode(null)).isEmpty();
    assertThat(Footprint.decode("hello")).isEmpty();
    assertThat(Footprint.decode("cpu=1,memory=2Mi,storage=3Gi,pods=1,volumes=1")).isEmpty();
    assertThat(Footprint.decode("cpu=xm,memory=2Mi,storage=3Gi,pods=1,volumes=1")).isEmpty();
    assertThat(Footprint.decode("cpu=-1m,memory=2Mi,storage=3Gi,pods=1,volumes=1")).isEmpty();
    assertThat(Footprint.decode("cpu=1m,memory=2Mi")).isEmpty();
  }

  @Test
  void sum_severalFootprints_addsEveryFigure() {
    assertThat(
            Footprint.sum(List.of(new Footprint(1, 2, 3, 4, 5), new Footprint(10, 20, 30, 40, 50))))
        .isEqualTo(new Footprint(11, 22, 33, 44, 55));
    assertThat(Footprint.sum(List.of())).isEqualTo(Footprint.ZERO);
  }
}
