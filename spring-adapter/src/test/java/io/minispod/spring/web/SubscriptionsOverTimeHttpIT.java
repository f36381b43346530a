package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.billing.MockPaymentGateway;
import io.minispod.billing.Price;
import io.minispod.catalog.Catalog;
import io.minispod.catalog.CatalogAdmin;
import io.minispod.catalog.CatalogSeed;
import io.minispod.catalog.PlanDraft;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.ServiceDraft;
import io.minispod.catalog.template.Resources;
import io.minispod.subscription.Subscriptions;
import io.minispod.subscription.UpgradeDecision;
import io.minispod.subscription.UpgradePolicy;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * "Subscriptions over time" of API.md over HTTP: the representation's new fields, cancel at period
 * end and resume, a declined renewal's past-due state, and reactivation (200, or 402 when
 * declined). The clock is a {@link MutableClock} and the background work is off: the test runs the
 * renewals.
 */
final class SubscriptionsOverTimeHttpIT {

  private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2026-05-04T08:00:00Z"));

  private static RunningApp app;
  private static Http http;

  /** A host's policy: upgrades now, downgrades at the end of the term. */
  @Configuration(proxyBeanMethods = false)
  static class TermEndPolicy {

    /** Upgrades now; downgrades at the end of the term. */
    @Bean
    UpgradePolicy downgradesAtTermEnd() {
      return (current, target) -> {
        if (target.tier() == current.tier()) {
          return UpgradeDecision.refuse(UpgradeDecision.NOT_AN_UPGRADE);
        }
        return target.tier() > current.tier()
            ? UpgradeDecision.allow()
            : UpgradeDecision.allowAtTermEnd();
      };
    }
  }

  @BeforeAll
  static void start() {
    app = RunningApp.startAt(CLOCK, Map.of("spring.main.sources", TermEndPolicy.class.getName()));
    http = app.http();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  private static JsonNode subscribe(String user, String service) {
    Http.Response created =
        http.post(
            user,
            "/api/user/subscriptions",
            "{\"serviceSlug\":\"" + service + "\",\"planSlug\":\"basic\"}");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.data();
  }

  private static String path(JsonNode subscription) {
    return "/api/user/subscriptions/" + subscription.path("id").asString();
  }

  private static void renewAt(Instant instant) {
    CLOCK.set(instant);
    app.bean(Subscriptions.class).renewDue();
  }

  @Test
  void subscription_showsWhenItRenews_andCancelAtPeriodEndThenResumeChangeIt() {
    JsonNode s = subscribe("alice", "n8n");
    String end = s.path("currentPeriod").path("end").asString();
    assertThat(s.path("renewsAt").asString()).isEqualTo(end);
    assertThat(s.path("cancelAtPeriodEnd").asBoolean()).isFalse();
    assertThat(s.path("scheduledChange").isNull()).isTrue();
    assertThat(s.path("pastDue").isNull()).isTrue();

    Http.Response scheduled = http.post("alice", path(s) + "/cancel", "{\"atPeriodEnd\":true}");
    assertThat(scheduled.status()).as(scheduled.text()).isEqualTo(200);
    assertThat(scheduled.data().path("cancelAtPeriodEnd").asBoolean()).isTrue();
    assertThat(scheduled.data().path("renewsAt").isNull()).isTrue();
    assertThat(scheduled.data().path("status").asString()).isEqualTo("ACTIVE");

    Http.Response resumed = http.post("alice", path(s) + "/resume", "{}");
    assertThat(resumed.status()).as(resumed.text()).isEqualTo(200);
    assertThat(resumed.data().path("cancelAtPeriodEnd").asBoolean()).isFalse();
    assertThat(resumed.data().path("renewsAt").asString()).isEqualTo(end);
  }

  @Test
  void cancel_withAtPeriodEndFalse_cancelsNow_andWithoutTheFieldIsRefused() {
    JsonNode s = subscribe("bob", "n8n");

    Http.Response missing = http.post("bob", path(s) + "/cancel", "{}");
    Http.Response now = http.post("bob", path(s) + "/cancel", "{\"atPeriodEnd\":false}");

    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(now.status()).as(now.text()).isEqualTo(204);
    assertThat(http.get("bob", path(s)).data().path("status").asString()).isEqualTo("CANCELLED");
  }

  @Test
  void declinedRenewal_isPastDue_reactivationDeclinedIs402_thenPaidIs200Active() {
    JsonNode s = subscribe("carol", "ghost");
    MockPaymentGateway gateway = app.bean(MockPaymentGateway.class);
    gateway.declineAccount("carol", "card expired");
    Instant due = Instant.parse(s.path("currentPeriod").path("end").asString()).plusSeconds(60);
    renewAt(due);

    JsonNode pastDue = http.get("carol", path(s)).data();
    assertThat(pastDue.path("status").asString()).isEqualTo("PAST_DUE");
    assertThat(pastDue.path("pastDue").path("attempts").asInt()).isEqualTo(1);
    assertThat(pastDue.path("pastDue").path("since").asString()).isEqualTo(due.toString());
    assertThat(pastDue.path("pastDue").path("nextRetryAt").asString())
        .isEqualTo(due.plus(Duration.ofDays(1)).toString());

    Http.Response declined = http.post("carol", path(s) + "/reactivate", "{}");
    assertThat(declined.status()).as(declined.text()).isEqualTo(402);
    assertThat(declined.code()).isEqualTo("PAYMENT_FAILED");

    gateway.clearRules();
    Http.Response paid = http.post("carol", path(s) + "/reactivate", "{}");
    assertThat(paid.status()).as(paid.text()).isEqualTo(200);
    assertThat(paid.data().path("status").asString()).isEqualTo("ACTIVE");
    assertThat(paid.data().path("pastDue").isNull()).isTrue();
    assertThat(paid.data().path("currentPeriod").path("start").asString())
        .isEqualTo(s.path("currentPeriod").path("end").asString());

    Http.Response again = http.post("carol", path(s) + "/reactivate", "{}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("CONFLICT");

    JsonNode history = http.get("carol", path(s) + "/history?size=2").body();
    assertThat(history.path("data").get(0).path("from").asString()).isEqualTo("PAST_DUE");
    assertThat(history.path("data").get(0).path("to").asString()).isEqualTo("ACTIVE");
    assertThat(history.path("data").get(1).path("to").asString()).isEqualTo("PAST_DUE");
    assertThat(history.path("data").get(1).path("reason").asString())
        .contains("renewal payment declined");
    assertThat(history.path("meta").path("total").asInt()).isEqualTo(3);
    assertThat(http.get("alice", path(s) + "/history").status()).isEqualTo(404);
  }

  /**
   * A service whose plans keep one volume size: a scheduled downgrade of the seed's plans would
   * shrink storage, which is refused.
   */
  private static void evenStorageService(String slug) {
    CatalogAdmin admin = app.bean(Catalog.class).admin();
    ServiceDefinition service =
        admin.createService(
            new ServiceDraft(
                slug,
                "Even",
                "automation",
                "Plans of one volume size",
                List.of(),
                CatalogSeed.n8nTemplate()));
    for (int tier = 1; tier <= 2; tier++) {
      admin.createPlan(
          service.id(),
          new PlanDraft(
              tier == 1 ? "basic" : "pro",
              tier == 1 ? "Basic" : "Pro",
              tier,
              Price.monthly(tier * 10_000_000L, "IDR"),
              new Resources(500 * tier, 512 * tier, 5),
              10L,
              Map.of()));
    }
  }

  @Test
  void downgrade_withATermEndPolicy_isScheduledShownAndWithdrawn() {
    evenStorageService("even");
    Http.Response created =
        http.post(
            "dave", "/api/user/subscriptions", "{\"serviceSlug\":\"even\",\"planSlug\":\"pro\"}");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    JsonNode pro = created.data();
    String end = pro.path("currentPeriod").path("end").asString();

    JsonNode options = http.get("dave", path(pro) + "/upgrade-options").data();
    Http.Response scheduled = http.post("dave", path(pro) + "/upgrade", "{\"planSlug\":\"basic\"}");

    JsonNode basicOption = null;
    for (JsonNode option : options) {
      if (option.path("plan").path("slug").asString().equals("basic")) {
        basicOption = option;
      }
    }
    assertThat(basicOption).isNotNull();
    assertThat(basicOption.path("quote").isNull()).isTrue();
    assertThat(basicOption.path("effectiveAt").asString()).isEqualTo(end);
    assertThat(scheduled.status()).as(scheduled.text()).isEqualTo(200);
    assertThat(scheduled.data().path("plan").path("slug").asString()).isEqualTo("pro");
    assertThat(scheduled.data().path("scheduledChange").path("planSlug").asString())
        .isEqualTo("basic");
    assertThat(scheduled.data().path("scheduledChange").path("effectiveAt").asString())
        .isEqualTo(end);

    Http.Response withdrawn = http.delete("dave", path(pro) + "/scheduled-change");

    assertThat(withdrawn.status()).isEqualTo(204);
    assertThat(http.get("dave", path(pro)).data().path("scheduledChange").isNull()).isTrue();
  }
}
