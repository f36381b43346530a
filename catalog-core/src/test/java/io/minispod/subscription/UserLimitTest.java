package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ValidationException;
import org.junit.jupiter.api.Test;

final class UserLimitTest {

  @Test
  void construct_negativeFigures_namesEveryOne() {
    assertThatThrownBy(() -> new UserLimit(-1, -2, 0, -4))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.fieldErrors())
                    .containsOnlyKeys("instances", "cpuMillicores", "storageGiB")
                    .containsEntry("instances", "must be at least 0, was -1")
                    .containsEntry("cpuMillicores", "must be at least 0, was -2")
                    .containsEntry("storageGiB", "must be at least 0, was -4"));
  }

  @Test
  void unlimited_limitsNothing_andWithersChangeOneFigure() {
    UserLimit limit = UserLimit.unlimited().withCpuMillicores(4_000).withStorageGiB(0);

    assertThat(limit)
        .isEqualTo(new UserLimit(UserLimit.UNLIMITED, 4_000, UserLimit.UNLIMITED, 0))
        .isEqualTo(
            new UserLimit(1, 1, 1, 1)
                .withInstances(UserLimit.UNLIMITED)
                .withCpuMillicores(4_000)
                .withMemoryMiB(UserLimit.UNLIMITED)
                .withStorageGiB(0));
    assertThat(UserLimit.isLimited(limit.instances())).isFalse();
    assertThat(UserLimit.isLimited(limit.storageGiB())).isTrue();
  }

  @Test
  void uniform_answersTheSameForEveryUser() {
    UserLimit limit = new UserLimit(3, 1_000, 2_048, 20);

    UserLimits limits = UserLimits.uniform(limit);

    assertThat(limits.limitOf("a")).isSameAs(limit);
    assertThat(limits.limitOf("b")).isSameAs(limit);
    assertThatThrownBy(() -> UserLimits.uniform(null)).isInstanceOf(NullPointerException.class);
  }
}
