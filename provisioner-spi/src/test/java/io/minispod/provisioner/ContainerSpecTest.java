package io.minispod.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ValidationException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ContainerSpecTest {

  private static final ResourceLimits BASIC = new ResourceLimits(500, 512, 5);

  @Test
  void constructorWithoutScratchSettings_leavesThemToTheProvisioner() {
    ContainerSpec c =
        new ContainerSpec(
            "app",
            "n8nio/n8n:2.10.2",
            5678,
            Map.of(),
            Map.of(),
            "/data",
            null,
            null,
            1000L,
            1000L,
            BASIC);

    assertThat(c.ephemeralStorageMiB()).isNull();
    assertThat(c.writablePaths()).isEmpty();
  }

  @Test
  void scratchSettings_areKept_andWithResourcesKeepsThem() {
    ContainerSpec c = mysql(256, "/var/run/mysqld", "/tmp");

    ContainerSpec resized = c.withResources(new ResourceLimits(1000, 1024, 10));

    assertThat(resized.resources()).isEqualTo(new ResourceLimits(1000, 1024, 10));
    assertThat(resized.ephemeralStorageMiB()).isEqualTo(256);
    assertThat(resized.writablePaths()).containsExactly("/var/run/mysqld", "/tmp");
    assertThat(resized.volumePath()).isEqualTo(c.volumePath());
  }

  @Test
  void resizedTo_keepsTheAppsScratchSettings() {
    InstanceSpec spec =
        new InstanceSpec(
            java.util.UUID.randomUUID(),
            "alice",
            "db-k3x9q2mt",
            "mysql",
            "basic",
            mysql(128, "/var/run/mysqld"),
            List.of(),
            java.util.Set.of());

    InstanceSpec resized = spec.resizedTo("pro", new ResourceLimits(1000, 1024, 10));

    assertThat(resized.app().ephemeralStorageMiB()).isEqualTo(128);
    assertThat(resized.app().writablePaths()).containsExactly("/var/run/mysqld");
  }

  @Test
  void badScratchSettings_areRefusedNamingTheField() {
    assertThatThrownBy(() -> mysql(0))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.fieldErrors())
                    .containsOnlyKeys("ephemeralStorageMiB")
                    .containsValue(
                        "must be positive or null for the provisioner's default, was 0"));
    for (String[] paths :
        List.of(
            new String[] {"relative/dir"},
            new String[] {"/"},
            new String[] {"/var/run/"},
            new String[] {"/var/../etc"},
            new String[] {"/var/run/mysqld", "/var/run/mysqld"},
            new String[] {"/var/lib/mysql"})) {
      assertThatThrownBy(() -> mysql(null, paths))
          .as(String.join(",", paths))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.fieldErrors()).containsOnlyKeys("writablePaths"));
    }
  }

  private static ContainerSpec mysql(Integer ephemeralMiB, String... writable) {
    return new ContainerSpec(
        "mysql",
        "mysql:8.4.3",
        3306,
        Map.of(),
        Map.of(),
        "/var/lib/mysql",
        null,
        null,
        999L,
        999L,
        BASIC,
        ephemeralMiB,
        Arrays.asList(writable));
  }
}
