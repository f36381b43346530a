package io.minispod.subscription.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.billing.Price;
import io.minispod.catalog.Plan;
import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.InMemoryProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which plans have backups, and how often, from their {@code features.backups}. */
final class InstanceBackupsTest {

  private static final Duration CONFIGURED = Duration.ofHours(6);

  private static Plan plan(Map<String, Object> features) {
    return new Plan(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "pro",
        "Pro",
        2,
        Price.monthly(250_000, "IDR"),
        new Resources(1000, 1024, 5),
        features,
        true,
        Instant.EPOCH,
        Instant.EPOCH);
  }

  private static Optional<Duration> schedule(Object feature) {
    return InstanceBackups.schedule(plan(Map.of("backups", feature)), CONFIGURED);
  }

  @Test
  void schedule_namedIntervals_inAnyCase() {
    assertThat(schedule("hourly")).contains(Duration.ofHours(1));
    assertThat(schedule(" Daily ")).contains(Duration.ofDays(1));
    assertThat(schedule("WEEKLY")).contains(Duration.ofDays(7));
    assertThat(schedule("monthly")).contains(Duration.ofDays(30));
  }

  @Test
  void schedule_true_isTheConfiguredInterval() {
    assertThat(schedule(true)).contains(CONFIGURED);
  }

  @Test
  void schedule_falseOtherWordsOrNoFeature_isNone() {
    assertThat(schedule(false)).isEmpty();
    assertThat(schedule("yearly")).isEmpty();
    assertThat(schedule(3L)).isEmpty();
    assertThat(InstanceBackups.schedule(plan(Map.of()), CONFIGURED)).isEmpty();
  }

  @Test
  void interval_provisionerWithBackups_isThePlansSchedule() {
    InstanceBackups backups =
        InstanceBackups.withDefaults(null, new InMemoryProvisioner("apps.test"));

    assertThat(backups.interval(plan(Map.of("backups", "daily")))).contains(Duration.ofDays(1));
    assertThat(backups.interval(plan(Map.of("backups", true))))
        .contains(InstanceBackups.DEFAULT_INTERVAL);
  }

  @Test
  void constructor_badSettings_areRefusedNamingThem() {
    InMemoryProvisioner provisioner = new InMemoryProvisioner("apps.test");

    assertThatThrownBy(() -> new InstanceBackups(null, provisioner, Duration.ZERO, 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backup interval must be positive, was PT0S");
    assertThatThrownBy(() -> new InstanceBackups(null, provisioner, CONFIGURED, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backups kept must be at least 1, was 0");
  }
}
