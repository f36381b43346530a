package io.minispod.spring.web;

import io.minispod.billing.BillingPage;
import io.minispod.billing.BillingService;
import io.minispod.spring.web.Requests.InstancePatchRequest;
import io.minispod.spring.web.Requests.SubscribeRequest;
import io.minispod.spring.web.Requests.UpgradeRequest;
import io.minispod.spring.web.Views.BillingLineView;
import io.minispod.spring.web.Views.InstanceSummaryView;
import io.minispod.spring.web.Views.InstanceView;
import io.minispod.spring.web.Views.SubscriptionView;
import io.minispod.spring.web.Views.UpgradeOptionView;
import io.minispod.subscription.InstanceService;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionService;
import io.minispod.subscription.UpgradeService;
import jakarta.validation.Valid;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's subscriptions, upgrades, instances and billing. Every id is looked up within the
 * caller's own data, so another user's id is a 404 like an unknown one.
 *
 * <p>A write without an {@code Idempotency-Key} header gets a fresh random key: it is then not
 * retry-safe, which is what a client that sends no key asks for.
 */
@RestController
@RequestMapping("/api/user")
class UserController {

  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final SubscriptionService subscriptions;
  private final UpgradeService upgrades;
  private final InstanceService instances;
  private final BillingService billing;

  UserController(
      SubscriptionService subscriptions,
      UpgradeService upgrades,
      InstanceService instances,
      BillingService billing) {
    this.subscriptions = subscriptions;
    this.upgrades = upgrades;
    this.instances = instances;
    this.billing = billing;
  }

  @PostMapping("/subscriptions")
  ResponseEntity<Map<String, Object>> subscribe(
      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
      @Valid @RequestBody SubscribeRequest request) {
    String user = Caller.userId();
    // A key first used for a different request is the library's CONFLICT (API.md).
    Subscription subscription =
        subscriptions.subscribe(
            user, request.serviceSlug(), request.planSlug(), keyOrFresh(idempotencyKey));
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(Envelope.ok(SubscriptionView.of(subscription)));
  }

  @GetMapping("/subscriptions")
  Map<String, Object> subscriptions() {
    String user = Caller.userId();
    return Envelope.ok(
        subscriptions.subscriptions(user).stream().map(SubscriptionView::of).toList());
  }

  @GetMapping("/subscriptions/{id}")
  Map<String, Object> subscription(@PathVariable String id) {
    String user = Caller.userId();
    UUID subscriptionId = Ids.parse("subscription", id);
    return Envelope.ok(SubscriptionView.of(subscriptions.subscription(user, subscriptionId)));
  }

  @GetMapping("/subscriptions/{id}/upgrade-options")
  Map<String, Object> upgradeOptions(@PathVariable String id) {
    String user = Caller.userId();
    UUID subscriptionId = Ids.parse("subscription", id);
    return Envelope.ok(
        upgrades.options(user, subscriptionId).stream().map(UpgradeOptionView::of).toList());
  }

  @PostMapping("/subscriptions/{id}/upgrade")
  Map<String, Object> upgrade(
      @PathVariable String id,
      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
      @Valid @RequestBody UpgradeRequest request) {
    String user = Caller.userId();
    UUID subscriptionId = Ids.parse("subscription", id);
    return Envelope.ok(
        SubscriptionView.of(
            upgrades.upgrade(
                user, subscriptionId, request.planSlug(), keyOrFresh(idempotencyKey))));
  }

  @DeleteMapping("/subscriptions/{id}")
  ResponseEntity<Void> cancel(@PathVariable String id) {
    String user = Caller.userId();
    subscriptions.cancel(user, Ids.parse("subscription", id));
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/instances")
  Map<String, Object> instances() {
    String user = Caller.userId();
    return Envelope.ok(instances.instances(user).stream().map(InstanceSummaryView::of).toList());
  }

  @GetMapping("/instances/{id}")
  Map<String, Object> instance(@PathVariable String id) {
    String user = Caller.userId();
    return Envelope.ok(InstanceView.of(instances.instance(user, Ids.parse("instance", id))));
  }

  @PatchMapping("/instances/{id}")
  Map<String, Object> updateInstance(
      @PathVariable String id, @Valid @RequestBody InstancePatchRequest request) {
    String user = Caller.userId();
    UUID instanceId = Ids.parse("instance", id);
    return Envelope.ok(InstanceView.of(instances.updateEnv(user, instanceId, request.env())));
  }

  @GetMapping("/billing")
  Map<String, Object> billing(
      @RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "20") int size) {
    String user = Caller.userId();
    Pages.of(page, size);
    BillingPage lines = billing.history(user, page, size);
    return Envelope.page(
        lines.lines().stream().map(BillingLineView::of).toList(),
        lines.page(),
        lines.size(),
        lines.total());
  }

  private static String keyOrFresh(String idempotencyKey) {
    return idempotencyKey == null ? UUID.randomUUID().toString() : idempotencyKey;
  }
}
