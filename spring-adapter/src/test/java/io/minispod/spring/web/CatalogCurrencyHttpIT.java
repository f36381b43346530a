package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Prices over HTTP on a host that runs IDR without minor units: the seed's prices follow billing's
 * scale, and a price filter names its currency, since amounts of two currencies do not compare.
 */
final class CatalogCurrencyHttpIT {

  private static RunningApp app;

  @BeforeAll
  static void start() {
    app = RunningApp.start(Map.of("minispod.currency-scales.IDR", "0"));
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void seedPrices_followBillingsScale() {
    JsonNode pro = plan(app.http().get(null, "/api/catalog/services/n8n").data(), "pro");

    assertThat(pro.path("price").path("amount").asLong())
        .as("IDR 250,000 at scale 0")
        .isEqualTo(250_000);
  }

  @Test
  void priceFilter_withoutCurrency_is400NamingIt_withCurrency_filtersInIt() {
    Http.Response bare = app.http().get(null, "/api/catalog/search?maxPrice=1000");
    assertThat(bare.status()).isEqualTo(400);
    assertThat(bare.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(bare.text()).contains("currency");

    Http.Response idr =
        app.http().get(null, "/api/catalog/search?maxPrice=100000&currency=IDR&q=n8n");
    assertThat(idr.status()).as(idr.text()).isEqualTo(200);
    assertThat(idr.data().findValuesAsString("slug")).contains("n8n");
    Http.Response usd =
        app.http().get(null, "/api/catalog/search?maxPrice=100000&currency=USD&q=n8n");
    assertThat(usd.status()).isEqualTo(200);
    assertThat(usd.data().findValuesAsString("slug")).doesNotContain("n8n");
  }

  private static JsonNode plan(JsonNode service, String slug) {
    for (JsonNode plan : service.path("plans")) {
      if (plan.path("slug").asString().equals(slug)) {
        return plan;
      }
    }
    throw new AssertionError("no plan " + slug);
  }
}
