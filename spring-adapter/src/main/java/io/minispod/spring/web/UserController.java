package io.minispod.spring.web;

import io.minispod.billing.BillingPage;
import io.minispod.billing.BillingService;
import io.minispod.catalog.Page;
import io.minispod.spring.MinisPodProperties;
import io.minispod.spring.web.Requests.CancelRequest;
import io.minispod.spring.web.Requests.InstancePatchRequest;
import io.minispod.spring.web.Requests.SubscribeRequest;
import io.minispod.spring.web.Requests.UpgradeRequest;
import io.minispod.spring.web.Views.BillingLineView;
import io.minispod.spring.web.Views.InstanceSummaryView;
import io.minispod.spring.web.Views.InstanceView;
import io.minispod.spring.web.Views.SubscriptionView;
import io.minispod.spring.web.Views.TransitionView;
import io.minispod.spring.web.Views.UpgradeOptionView;
import io.minispod.subscription.InstanceService;
import io.minispod.subscription.Operation;
import io.minispod.subscription.OperationService;
import io.minispod.subscription.SubscriptionService;
import io.minispod.subscription.UpgradeService;
import jakarta.validation.Valid;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
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
  private final OperationService operations;
  private final BillingService billing;
  private final OperationAnswers answers;
  private final Caller caller;

  UserController(
      SubscriptionService subscriptions,
      UpgradeService upgrades,
      InstanceService instances,
      OperationService operations,
      BillingService billing,
      MinisPodProperties properties,
      Caller caller) {
    this.subscriptions = subscriptions;
    this.caller = caller;
    this.upgrades = upgrades;
    this.instances = instances;
    this.operations = operations;
    this.billing = billing;
    this.answers =
        new OperationAnswers(
            operations,
            subscriptions,
            instances,
            properties.getWeb().getOperationWait(),
            properties.getWeb().getMaxOperationWait());
  }

  @PostMapping("/subscriptions")
  ResponseEntity<Map<String, Object>> subscribe(
      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
      @RequestHeader(name = OperationAnswers.PREFER, required = false) String prefer,
      @Valid @RequestBody SubscribeRequest request) {
    String user = caller.userId();
    // A key first used for a different request is the library's CONFLICT (API.md).
    Operation started =
        subscriptions.startSubscribe(
            user, request.serviceSlug(), request.planSlug(), keyOrFresh(idempotencyKey));
    return answers.answer(
        user,
        started,
        prefer,
        done ->
            ResponseEntity.status(HttpStatus.CREATED)
                .body(Envelope.ok(subscriptionOf(user, done))));
  }

  @GetMapping("/subscriptions")
  Map<String, Object> subscriptions() {
    String user = caller.userId();
    return Envelope.ok(
        subscriptions.subscriptions(user).stream().map(SubscriptionView::of).toList());
  }

  @GetMapping("/subscriptions/{id}")
  Map<String, Object> subscription(@PathVariable String id) {
    String user = caller.userId();
    UUID subscriptionId = Ids.parse("subscription", id);
    return Envelope.ok(SubscriptionView.of(subscriptions.subscription(user, subscriptionId)));
  }

  @GetMapping("/subscriptions/{id}/upgrade-options")
  Map<String, Object> upgradeOptions(@PathVariable String id) {
    String user = caller.userId();
    UUID subscriptionId = Ids.parse("subscription", id);
    return Envelope.ok(
        upgrades.options(user, subscriptionId).stream().map(UpgradeOptionView::of).toList());
  }

  @PostMapping("/subscriptions/{id}/upgrade")
  ResponseEntity<Map<String, Object>> upgrade(
      @PathVariable String id,
      @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
      @RequestHeader(name = OperationAnswers.PREFER, required = false) String prefer,
      @Valid @RequestBody UpgradeRequest request) {
    String user = caller.userId();
    UUID subscriptionId = Ids.parse("subscription", id);
    Operation started =
        upgrades.startUpgrade(user, subscriptionId, request.planSlug(), keyOrFresh(idempotencyKey));
    return answers.answer(
        user, started, prefer, done -> ResponseEntity.ok(Envelope.ok(subscriptionOf(user, done))));
  }

  @DeleteMapping("/subscriptions/{id}")
  ResponseEntity<Map<String, Object>> cancel(
      @PathVariable String id,
      @RequestHeader(name = OperationAnswers.PREFER, required = false) String prefer) {
    String user = caller.userId();
    Operation started = subscriptions.startCancel(user, Ids.parse("subscription", id));
    return answers.answer(user, started, prefer, done -> ResponseEntity.noContent().build());
  }

  @PostMapping("/subscriptions/{id}/cancel")
  ResponseEntity<Map<String, Object>> cancel(
      @PathVariable String id,
      @RequestHeader(name = OperationAnswers.PREFER, required = false) String prefer,
      @Valid @RequestBody CancelRequest request) {
    String user = caller.userId();
    UUID subscriptionId = Ids.parse("subscription", id);
    if (request.atPeriodEnd()) {
      return ResponseEntity.ok(
          Envelope.ok(SubscriptionView.of(subscriptions.cancelAtPeriodEnd(user, subscriptionId))));
    }
    return cancel(id, prefer);
  }

  @DeleteMapping("/subscriptions/{id}/scheduled-change")
  ResponseEntity<Void> withdrawScheduledChange(@PathVariable String id) {
    upgrades.withdrawScheduledChange(caller.userId(), Ids.parse("subscription", id));
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/subscriptions/{id}/resume")
  Map<String, Object> resume(@PathVariable String id) {
    String user = caller.userId();
    return Envelope.ok(
        SubscriptionView.of(subscriptions.resume(user, Ids.parse("subscription", id))));
  }

  @PostMapping("/subscriptions/{id}/reactivate")
  ResponseEntity<Map<String, Object>> reactivate(
      @PathVariable String id,
      @RequestHeader(name = OperationAnswers.PREFER, required = false) String prefer) {
    String user = caller.userId();
    Operation started = subscriptions.startReactivate(user, Ids.parse("subscription", id));
    return answers.answer(
        user, started, prefer, done -> ResponseEntity.ok(Envelope.ok(subscriptionOf(user, done))));
  }

  @GetMapping("/operations/{id}")
  Map<String, Object> operation(@PathVariable String id) {
    String user = caller.userId();
    Operation operation = operations.operation(user, Ids.parse("operation", id));
    return Envelope.ok(answers.view(user, operation));
  }

  @GetMapping("/instances")
  Map<String, Object> instances() {
    String user = caller.userId();
    return Envelope.ok(instances.instances(user).stream().map(InstanceSummaryView::of).toList());
  }

  @GetMapping("/instances/{id}")
  Map<String, Object> instance(@PathVariable String id) {
    String user = caller.userId();
    return Envelope.ok(InstanceView.of(instances.instance(user, Ids.parse("instance", id))));
  }

  @GetMapping("/instances/{id}/history")
  Map<String, Object> history(
      @PathVariable String id,
      @RequestParam(defaultValue = "1") int page,
      @RequestParam(defaultValue = "20") int size) {
    String user = caller.userId();
    UUID instanceId = Ids.parse("instance", id);
    return transitions(
        instances.history(user, instanceId, Pages.of(page, size)), TransitionView::of);
  }

  @GetMapping("/subscriptions/{id}/history")
  Map<String, Object> subscriptionHistory(
      @PathVariable String id,
      @RequestParam(defaultValue = "1") int page,
      @RequestParam(defaultValue = "20") int size) {
    String user = caller.userId();
    UUID subscriptionId = Ids.parse("subscription", id);
    return transitions(
        subscriptions.history(user, subscriptionId, Pages.of(page, size)), TransitionView::of);
  }

  private static <T> Map<String, Object> transitions(
      Page<T> history, Function<T, TransitionView> view) {
    return Envelope.page(
        history.items().stream().map(view).toList(),
        history.page(),
        history.size(),
        history.total());
  }

  @PatchMapping("/instances/{id}")
  ResponseEntity<Map<String, Object>> updateInstance(
      @PathVariable String id,
      @RequestHeader(name = OperationAnswers.PREFER, required = false) String prefer,
      @Valid @RequestBody InstancePatchRequest request) {
    String user = caller.userId();
    UUID instanceId = Ids.parse("instance", id);
    Operation started = instances.startUpdate(user, instanceId, request.toUpdate());
    return answers.answer(
        user,
        started,
        prefer,
        done ->
            ResponseEntity.ok(Envelope.ok(InstanceView.of(instances.instance(user, instanceId)))));
  }

  @GetMapping("/billing")
  Map<String, Object> billing(
      @RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "20") int size) {
    String user = caller.userId();
    Pages.of(page, size);
    BillingPage lines = billing.history(user, page, size);
    return Envelope.page(
        lines.lines().stream().map(BillingLineView::of).toList(),
        lines.page(),
        lines.size(),
        lines.total());
  }

  private SubscriptionView subscriptionOf(String user, Operation done) {
    return SubscriptionView.of(subscriptions.subscription(user, done.subscriptionId()));
  }

  private static String keyOrFresh(String idempotencyKey) {
    return idempotencyKey == null ? UUID.randomUUID().toString() : idempotencyKey;
  }
}
