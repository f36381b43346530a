package io.minispod.spring.web;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.spring.web.Views.InstanceView;
import io.minispod.spring.web.Views.OperationView;
import io.minispod.spring.web.Views.SubscriptionView;
import io.minispod.subscription.InstanceService;
import io.minispod.subscription.Operation;
import io.minispod.subscription.OperationKind;
import io.minispod.subscription.OperationService;
import io.minispod.subscription.OperationStatus;
import io.minispod.subscription.SubscriptionService;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * Answers a request that started an operation (API.md, "Asynchronous operations"): with the final
 * answer when the operation ends within the wait, otherwise {@code 202 Accepted} with the operation
 * and its {@code Location}. The wait is the configured one unless the request's {@code Prefer}
 * header (RFC 7240) asks for {@code respond-async} (no wait) or {@code wait=N} seconds (capped).
 */
final class OperationAnswers {

  static final String PREFER = "Prefer";
  static final String PREFERENCE_APPLIED = "Preference-Applied";
  static final String OPERATIONS_PATH = "/api/user/operations/";

  private final OperationService operations;
  private final SubscriptionService subscriptions;
  private final InstanceService instances;
  private final Duration defaultWait;
  private final Duration maxWait;

  OperationAnswers(
      OperationService operations,
      SubscriptionService subscriptions,
      InstanceService instances,
      Duration defaultWait,
      Duration maxWait) {
    this.operations = operations;
    this.subscriptions = subscriptions;
    this.instances = instances;
    this.defaultWait = defaultWait;
    this.maxWait = maxWait;
  }

  /**
   * Waits as the request prefers, then answers with {@code done} applied to the ended operation,
   * throws the error it failed with, or answers 202.
   *
   * @param user the caller
   * @param started the operation the request started (or found by its idempotency key)
   * @param prefer the request's {@code Prefer} header, or {@code null}
   * @param done the final answer of an operation that succeeded
   */
  ResponseEntity<Map<String, Object>> answer(
      String user,
      Operation started,
      String prefer,
      Function<Operation, ResponseEntity<Map<String, Object>>> done) {
    Preference preference = preference(prefer);
    // No wait (respond-async) answers from the start itself: a fast operation that ended in the
    // meantime is still a 202, as the client asked.
    Operation operation =
        started.finished() || preference.waitFor().isZero()
            ? started
            : operations.await(user, started.id(), preference.waitFor());
    if (operation.status() == OperationStatus.SUCCEEDED) {
      return done.apply(operation);
    }
    if (operation.status() == OperationStatus.FAILED) {
      throw operation.failure();
    }
    ResponseEntity.BodyBuilder accepted =
        ResponseEntity.status(HttpStatus.ACCEPTED)
            .location(URI.create(OPERATIONS_PATH + operation.id()));
    if (preference.async()) {
      accepted.header(PREFERENCE_APPLIED, "respond-async");
    }
    return accepted.body(Envelope.ok(view(user, operation)));
  }

  /** One of the user's operations, with its result once it succeeded or its error once failed. */
  OperationView view(String user, Operation operation) {
    Object result = null;
    if (operation.status() == OperationStatus.SUCCEEDED) {
      result =
          operation.kind() == OperationKind.UPDATE_ENV
              ? InstanceView.of(instances.instance(user, operation.instanceId()))
              : SubscriptionView.of(subscriptions.subscription(user, operation.subscriptionId()));
    }
    return OperationView.of(operation, result, error(operation.failure()));
  }

  private static Views.ErrorView error(MinisPodException failure) {
    if (failure == null) {
      return null;
    }
    if (failure.code() == ErrorCode.INTERNAL_ERROR) {
      return new Views.ErrorView(failure.code().name(), "An unexpected error occurred", Map.of());
    }
    return new Views.ErrorView(failure.code().name(), failure.getMessage(), failure.details());
  }

  /** What a {@code Prefer} header asks for: how long to wait, and whether it asked for async. */
  record Preference(Duration waitFor, boolean async) {}

  Preference preference(String prefer) {
    boolean async = false;
    Duration wait = null;
    if (prefer != null) {
      for (String token : prefer.split("[,;]")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (t.equals("respond-async")) {
          async = true;
        } else if (t.startsWith("wait=")) {
          wait = seconds(t.substring("wait=".length()).trim());
        }
      }
    }
    if (wait == null) {
      wait = async ? Duration.ZERO : defaultWait;
    }
    return new Preference(wait.compareTo(maxWait) > 0 ? maxWait : wait, async);
  }

  /** A {@code wait} value: delta-seconds; anything else is ignored, as RFC 7240 asks. */
  private static Duration seconds(String value) {
    if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
      return null;
    }
    return Duration.ofSeconds(Long.parseLong(value));
  }
}
