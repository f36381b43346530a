package io.minispod.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.ValidationException;
import java.util.Currency;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class MoneyTest {

  @Test
  void of_knownCode_holdsMinorUnitsAndCurrency() {
    Money money = Money.of(999, "USD");

    assertThat(money.minorUnits()).isEqualTo(999);
    assertThat(money.currency()).isEqualTo(Currency.getInstance("USD"));
    assertThat(money).isEqualTo(Money.of(999, Currency.getInstance("USD")));
    assertThat(money).hasToString("999 USD");
  }

  @Test
  void of_unknownCode_isAValidationError() {
    assertThatThrownBy(() -> Money.of(1, "XYZ"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining(
            "currency must be an ISO 4217 currency code such as IDR or USD, was 'XYZ'");
    assertThatThrownBy(() -> Money.of(1, "usd")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Money.of(1, " "))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("currency must not be blank");
  }

  @Test
  void new_withoutCurrency_fails() {
    assertThatThrownBy(() -> new Money(1, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void plusAndMinus_sameCurrency_addAndSubtract() {
    Money a = Money.of(1_000, "IDR");
    Money b = Money.of(250, "IDR");

    assertThat(a.plus(b)).isEqualTo(Money.of(1_250, "IDR"));
    assertThat(a.minus(b)).isEqualTo(Money.of(750, "IDR"));
    assertThat(b.minus(a)).isEqualTo(Money.of(-750, "IDR"));
    assertThat(a.negate()).isEqualTo(Money.of(-1_000, "IDR"));
  }

  @Test
  void plus_mixedCurrencies_isRefused() {
    CurrencyMismatchException error =
        (CurrencyMismatchException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> Money.of(1, "USD").plus(Money.of(1, "EUR")));

    assertThat(error.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
    assertThat(error.field()).isEqualTo("amount");
    assertThat(error.expected()).isEqualTo(Currency.getInstance("USD"));
    assertThat(error.actual()).isEqualTo(Currency.getInstance("EUR"));
    assertThat(error.details())
        .containsEntry("expected", "USD")
        .containsEntry("actual", "EUR")
        .containsEntry("fields", Map.of("amount", "must be in USD, was in EUR"));
    assertThatThrownBy(() -> Money.of(1, "USD").minus(Money.of(1, "EUR")))
        .isInstanceOf(CurrencyMismatchException.class);
    assertThatThrownBy(() -> Money.of(1, "USD").compareTo(Money.of(1, "EUR")))
        .isInstanceOf(CurrencyMismatchException.class);
    assertThatThrownBy(() -> Money.of(1, "USD").min(Money.of(1, "EUR")))
        .isInstanceOf(CurrencyMismatchException.class);
  }

  @Test
  void plus_overflow_isAnArithmeticError() {
    assertThatThrownBy(() -> Money.of(Long.MAX_VALUE, "USD").plus(Money.of(1, "USD")))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Money.of(Long.MIN_VALUE, "USD").minus(Money.of(1, "USD")))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Money.of(Long.MIN_VALUE, "USD").negate())
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void compareAndMin_sameCurrency_orderByAmount() {
    Money small = Money.of(5, "JPY");
    Money large = Money.of(7, "JPY");

    assertThat(small.compareTo(large)).isNegative();
    assertThat(large.compareTo(small)).isPositive();
    assertThat(small.compareTo(Money.of(5, "JPY"))).isZero();
    assertThat(small.min(large)).isSameAs(small);
    assertThat(large.min(small)).isSameAs(small);
  }

  @Test
  void signs_zeroPositiveNegative_areReported() {
    Money zero = Money.zero(Currency.getInstance("KWD"));

    assertThat(zero.isZero()).isTrue();
    assertThat(zero.isPositive()).isFalse();
    assertThat(zero.isNegative()).isFalse();
    assertThat(Money.of(1, "KWD").isPositive()).isTrue();
    assertThat(Money.of(-1, "KWD").isNegative()).isTrue();
  }
}
