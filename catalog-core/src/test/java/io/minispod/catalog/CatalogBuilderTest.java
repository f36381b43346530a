package io.minispod.catalog;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.quota.QuotaManager;
import io.minispod.testkit.FreshDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class CatalogBuilderTest {

  /** Never connected: building with the listener off touches no database. */
  private static final javax.sql.DataSource UNUSED =
      (javax.sql.DataSource)
          java.lang.reflect.Proxy.newProxyInstance(
              FreshDatabase.class.getClassLoader(),
              new Class<?>[] {javax.sql.DataSource.class},
              (proxy, method, args) -> {
                throw new UnsupportedOperationException(method.getName());
              });

  private static CatalogBuilder builder() {
    return new CatalogBuilder(
        UNUSED,
        (QuotaManager)
            java.lang.reflect.Proxy.newProxyInstance(
                QuotaManager.class.getClassLoader(),
                new Class<?>[] {QuotaManager.class},
                (proxy, method, args) -> null));
  }

  @Test
  void cacheMaximumSize_outOfRange_isRefused() {
    assertThatThrownBy(() -> builder().cacheMaximumSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
    assertThatThrownBy(() -> builder().cacheMaximumSize(10_000_001))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void expiries_notPositive_areRefused() {
    assertThatThrownBy(() -> builder().catalogCacheExpiry(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("catalog cache expiry");
    assertThatThrownBy(() -> builder().quotaCacheExpiry(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder().quotaCacheExpiry(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void listenerCheckIntervalAndCurrencyScales_badValues_areRefused() {
    assertThatThrownBy(() -> builder().listenerCheckInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listener check interval");
    assertThatThrownBy(() -> builder().listenerCheckInterval(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder().currencyScales(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void build_listenerOff_startsNoThreadAndClosesCleanly() {
    try (Catalog catalog =
        builder()
            .clock(java.time.Clock.systemUTC())
            .cacheMaximumSize(5)
            .catalogCacheExpiry(Duration.ofMinutes(1))
            .quotaCacheExpiry(Duration.ofSeconds(1))
            .listenerCheckInterval(Duration.ofSeconds(1))
            .currencyScales(io.minispod.billing.CurrencyScales.iso4217().withScale("IDR", 0))
            .listenForChanges(false)
            .build()) {
      org.assertj.core.api.Assertions.assertThat(catalog.isListening()).isFalse();
      catalog.port().quotaChanged(java.util.List.of());
      org.assertj.core.api.Assertions.assertThat(
              catalog.admin().currencyScales().scaleOf(java.util.Currency.getInstance("IDR")))
          .isZero();
    }
  }
}
