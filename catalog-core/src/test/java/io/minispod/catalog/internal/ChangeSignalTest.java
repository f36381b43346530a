package io.minispod.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class ChangeSignalTest {

  @Test
  void parse_catalogPayload_isCatalogChange() {
    assertThat(ChangeSignal.parse("catalog").kind()).isEqualTo(ChangeSignal.Kind.CATALOG);
  }

  @Test
  void quotaPayloads_roundTrip_keepOriginAndIds() {
    List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID());
    List<String> payloads = ChangeSignal.quotaPayloads("node-1", ids);
    assertThat(payloads).hasSize(1);
    ChangeSignal signal = ChangeSignal.parse(payloads.get(0));
    assertThat(signal.kind()).isEqualTo(ChangeSignal.Kind.QUOTA);
    assertThat(signal.origin()).isEqualTo("node-1");
    assertThat(signal.planIds()).isEqualTo(ids);
  }

  @Test
  void quotaPayloads_manyPlans_areChunkedBelowPostgresLimit() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      ids.add(UUID.randomUUID());
    }
    List<String> payloads = ChangeSignal.quotaPayloads(UUID.randomUUID().toString(), ids);
    assertThat(payloads).hasSize(3);
    List<UUID> parsed = new ArrayList<>();
    for (String payload : payloads) {
      assertThat(payload.getBytes(StandardCharsets.UTF_8).length).isLessThan(8000);
      parsed.addAll(ChangeSignal.parse(payload).planIds());
    }
    assertThat(parsed).isEqualTo(ids);
    assertThat(ChangeSignal.quotaPayloads("n", List.of())).isEmpty();
  }

  @Test
  void parse_foreignPayloads_areUnknown() {
    for (String payload : new String[] {null, "", "hello", "quota:", "quota:n:not-a-uuid"}) {
      assertThat(ChangeSignal.parse(payload).kind())
          .as(payload)
          .isEqualTo(ChangeSignal.Kind.UNKNOWN);
    }
  }
}
