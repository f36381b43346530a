package io.minispod.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ValidationException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class CurrencyScalesTest {

  private static final Currency IDR = Currency.getInstance("IDR");

  @Test
  void scaleOf_iso4217_isTheJdksFigure() {
    CurrencyScales iso = CurrencyScales.iso4217();

    assertThat(iso.scaleOf(Currency.getInstance("USD"))).isEqualTo(2);
    assertThat(iso.scaleOf(Currency.getInstance("JPY"))).isZero();
    assertThat(iso.scaleOf(Currency.getInstance("KWD"))).isEqualTo(3);
    assertThat(iso.scaleOf(IDR)).isEqualTo(2);
    assertThat(iso.overrides()).isEmpty();
  }

  @Test
  void withScale_override_replacesTheIsoFigure() {
    CurrencyScales scales = CurrencyScales.iso4217().withScale("IDR", 0);

    assertThat(scales.scaleOf(IDR)).isZero();
    assertThat(scales.overrides()).isEqualTo(Map.of("IDR", 0));
    assertThat(CurrencyScales.iso4217().scaleOf(IDR)).isEqualTo(2);
    assertThat(scales.format(Money.of(250_000, "IDR"))).isEqualTo("IDR 250000");
    assertThat(CurrencyScales.iso4217().format(Money.of(250_000, "IDR"))).isEqualTo("IDR 2500.00");
  }

  @Test
  void scaleOf_currencyWithoutMinorUnit_isRefusedUnlessConfigured() {
    Currency gold = Currency.getInstance("XAU");

    assertThatThrownBy(() -> CurrencyScales.iso4217().scaleOf(gold))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("XAU has none in ISO 4217");
    assertThat(CurrencyScales.iso4217().withScale(gold, 4).scaleOf(gold)).isEqualTo(4);
  }

  @Test
  void withScale_outOfRangeOrUnknown_isRefused() {
    assertThatThrownBy(() -> CurrencyScales.iso4217().withScale("IDR", -1))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("scale must be from 0 to 18 for IDR, was -1");
    assertThatThrownBy(() -> CurrencyScales.iso4217().withScale("IDR", 19))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> CurrencyScales.iso4217().withScale("ABC", 2))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void toMajorAndFromMajor_roundTrip() {
    CurrencyScales iso = CurrencyScales.iso4217();
    Currency usd = Currency.getInstance("USD");

    assertThat(iso.toMajor(Money.of(999, "USD"))).isEqualByComparingTo("9.99");
    assertThat(iso.fromMajor(new BigDecimal("9.99"), usd)).isEqualTo(Money.of(999, "USD"));
    assertThat(iso.fromMajor(new BigDecimal("10.500"), usd)).isEqualTo(Money.of(1_050, "USD"));
    assertThat(iso.fromMajor(new BigDecimal("12.750"), Currency.getInstance("KWD")))
        .isEqualTo(Money.of(12_750, "KWD"));
    assertThat(iso.format(Money.of(-5, "USD"))).isEqualTo("USD -0.05");
  }

  @Test
  void fromMajor_tooManyDecimals_isRefusedNotRounded() {
    CurrencyScales scales = CurrencyScales.iso4217().withScale("IDR", 0);

    assertThatThrownBy(() -> scales.fromMajor(new BigDecimal("100.5"), IDR))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("amount must have at most 0 decimals in IDR, was 100.5");
  }

  @Test
  void fromMajor_beyondALong_isRefused() {
    assertThatThrownBy(
            () ->
                CurrencyScales.iso4217()
                    .fromMajor(new BigDecimal("1e18"), Currency.getInstance("USD")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("must fit in a long");
  }

  @Test
  void equality_followsTheOverrides() {
    CurrencyScales a = CurrencyScales.iso4217().withScale("IDR", 0);
    CurrencyScales b = CurrencyScales.iso4217().withScale(IDR, 0);

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(CurrencyScales.iso4217());
    assertThat(a).isNotEqualTo("IDR");
    assertThat(a).hasToString("CurrencyScales[ISO 4217, overrides={IDR=0}]");
  }
}
