package io.minispod.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker's rules that need no database: API versions, owners, errors and answers. */
final class ServiceBrokerTest {

  @Test
  void requireApiVersion_acceptsTwoThirteenAndLater_refusesTheRestWith412() {
    for (String supported : List.of("2.13", "2.14", "2.17", " 2.20 ")) {
      assertThatCode(() -> ServiceBroker.requireApiVersion(supported)).doesNotThrowAnyException();
    }
    for (String refused : new String[] {null, "2.12", "1.99", "3.0", "2", "two.x", "2.13.1"}) {
      assertThatThrownBy(() -> ServiceBroker.requireApiVersion(refused))
          .isInstanceOfSatisfying(
              ServiceBrokerException.class,
              e -> {
                assertThat(e.status()).isEqualTo(412);
                assertThat(e.description()).contains("2.13 to 2.17");
              });
    }
  }

  @Test
  void owner_isTheSpaceOrNamespace_elseThePlatformsUser() {
    assertThat(Owners.of(Map.of("platform", "cloudfoundry", "space_guid", "s-1"), "other", null))
        .isEqualTo("cf:space:s-1");
    assertThat(Owners.of(Map.of("platform", "kubernetes", "namespace", "shop"), null, null))
        .isEqualTo("kubernetes:namespace:shop");
    assertThat(
            Owners.of(
                Map.of("platform", "kubernetes", "namespace", "shop", "clusterid", "c-9"),
                null,
                null))
        .isEqualTo("kubernetes:namespace:c-9/shop");
    assertThat(Owners.of(Map.of(), "s-2", null)).isEqualTo("cf:space:s-2");
    assertThat(
            Owners.of(
                Map.of(), null, new OriginatingIdentity("cloudfoundry", Map.of("user_id", "u-1"))))
        .isEqualTo("cloudfoundry:user:u-1");
    assertThat(
            Owners.of(
                Map.of(), " ", new OriginatingIdentity("kubernetes", Map.of("username", "ann"))))
        .isEqualTo("kubernetes:user:ann");
    assertThat(Owners.of(Map.of("namespace", "n".repeat(200)), null, null))
        .startsWith("osb:")
        .hasSize(4 + 64);
    assertThatThrownBy(
            () -> Owners.of(Map.of(), null, new OriginatingIdentity("x", Map.of("role", "a"))))
        .isInstanceOfSatisfying(
            ServiceBrokerException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void exception_checksItsStatusCodeAndDescription() {
    ServiceBrokerException e = new ServiceBrokerException(422, "ConcurrencyError", "busy");
    assertThat(e.status()).isEqualTo(422);
    assertThat(e.error()).isEqualTo("ConcurrencyError");
    assertThat(e.description()).isEqualTo("busy");
    assertThatThrownBy(() -> new ServiceBrokerException(200, null, "fine"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceBrokerException(600, null, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceBrokerException(400, " ", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceBrokerException(400, null, " "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void answers_checkTheirValues() {
    assertThatThrownBy(() -> new OperationResponse(201, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LastOperation(null, "x")).isInstanceOf(NullPointerException.class);
    assertThat(OperationState.IN_PROGRESS.value()).isEqualTo("in progress");
    assertThat(new ServiceInstance("s", "p", null, null).parameters()).isEmpty();
    assertThat(new BrokerSchema().schema()).isEqualTo("minispod_broker");
  }
}
