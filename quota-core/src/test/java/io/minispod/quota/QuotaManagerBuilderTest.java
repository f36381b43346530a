package io.minispod.quota;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

final class QuotaManagerBuilderTest {

  private final QuotaManagerBuilder builder = QuotaManager.builder(unusedDataSource());

  private static DataSource unusedDataSource() {
    return (DataSource)
        java.lang.reflect.Proxy.newProxyInstance(
            QuotaManagerBuilderTest.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException("not used by the builder");
            });
  }

  @Test
  void combiningLanes_outOfRange_isRefused() {
    assertThatThrownBy(() -> builder.combiningLanes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("combining lanes must be from 1 to 64, was 0");
    assertThatThrownBy(() -> builder.combiningLanes(65))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void maxBatchSize_outOfRange_isRefused() {
    assertThatThrownBy(() -> builder.maxBatchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max batch size must be from 1 to 10000, was 0");
  }

  @Test
  void reclaimInterval_negative_isRefused() {
    assertThatThrownBy(() -> builder.reclaimInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
  }

  @Test
  void builder_nullDataSourceOrClock_isRefused() {
    assertThatThrownBy(() -> QuotaManager.builder(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class);
  }
}
