package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.InstanceBackup;
import io.minispod.provisioner.InstanceBackup.Reason;
import io.minispod.subscription.Instance;
import io.minispod.subscription.InstanceStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The instance representation carries its backups as API.md shows them. */
final class InstanceBackupsViewTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant CREATED = Instant.parse("2026-05-01T08:00:00Z");

  private static Instance instance() {
    return new Instance(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "n8n",
        "pro",
        InstanceStatus.RUNNING,
        "https://n8n-k3x9q2mt.apps.test",
        new Resources(1000, 1024, 5),
        null,
        null,
        Map.of(),
        null,
        null,
        CREATED,
        List.of());
  }

  @Test
  void instanceView_withBackups_listsIdTakenAtAndReasonNewestFirst() {
    Instance instance =
        instance()
            .withBackups(
                List.of(
                    new InstanceBackup(
                        "b2", Instant.parse("2026-05-03T00:00:00Z"), Reason.SCHEDULED),
                    new InstanceBackup(
                        "b1", Instant.parse("2026-05-02T00:00:00Z"), Reason.BEFORE_UPGRADE)));

    JsonNode json = JSON.valueToTree(Views.InstanceView.of(instance));

    assertThat(json.path("backups")).hasSize(2);
    JsonNode newest = json.path("backups").get(0);
    assertThat(newest.path("id").asString()).isEqualTo("b2");
    assertThat(newest.path("takenAt").asString()).isEqualTo("2026-05-03T00:00:00Z");
    assertThat(newest.path("reason").asString()).isEqualTo("SCHEDULED");
    assertThat(json.path("backups").get(1).path("reason").asString()).isEqualTo("BEFORE_UPGRADE");
  }

  @Test
  void instanceView_planWithoutBackups_hasAnEmptyList() {
    JsonNode json = JSON.valueToTree(Views.InstanceView.of(instance()));

    assertThat(json.path("backups").isArray()).isTrue();
    assertThat(json.path("backups")).isEmpty();
  }
}
