package io.minispod.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.billing.LineStatus;
import io.minispod.billing.PaymentFailedException;
import io.minispod.catalog.CatalogNotFoundException;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Operations as a host without Spring follows them: a {@code start…} call returns while the
 * platform is still working, the operation is observed and awaited to its end, and its failure
 * keeps the type and code the step failed with.
 */
final class OperationsIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static final Duration LONG_ENOUGH = Duration.ofSeconds(30);

  private final MutableClock clock = MutableClock.at("2026-05-01T00:00:00Z");
  private Platform platform;
  private ServiceDefinition service;
  private String user;

  @BeforeEach
  void start() {
    platform = Platform.start(db.dataSource(), clock);
    service = platform.service(5, 5, 5);
    user = "user-" + UUID.randomUUID();
  }

  @AfterEach
  void stop() {
    platform.provisioner.release();
    platform.close();
  }

  private OperationService operations() {
    return platform.subscriptions.operations();
  }

  @Test
  void startSubscribe_returnsWhileTheInstanceIsProvisioning_thenAwaitSeesItSucceed() {
    platform.provisioner.hang();

    Operation started = platform.subscribe().startSubscribe(user, service.slug(), "basic", "k1");

    assertThat(started.kind()).isEqualTo(OperationKind.SUBSCRIBE);
    assertThat(started.status()).isEqualTo(OperationStatus.RUNNING);
    assertThat(started.finished()).isFalse();
    assertThat(started.startedAt()).isEqualTo(clock.instant());
    assertThat(started.failure()).isNull();
    Operation stillRunning = operations().await(user, started.id(), Duration.ofMillis(300));
    assertThat(stillRunning.status()).isEqualTo(OperationStatus.RUNNING);
    assertThat(stillRunning.step()).isEqualTo("PROVISION");

    platform.provisioner.release();
    Operation done = operations().await(user, started.id(), LONG_ENOUGH);

    assertThat(done.status()).isEqualTo(OperationStatus.SUCCEEDED);
    assertThat(done.finished()).isTrue();
    assertThat(done.instanceId()).isNotNull();
    Subscription active = platform.subscribe().subscription(user, done.subscriptionId());
    assertThat(active.status()).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(active.instance().id()).isEqualTo(done.instanceId());
    assertThat(operations().operation(user, started.id())).isEqualTo(done);
  }

  @Test
  void startSubscribe_sameKey_sameRequestGivesTheSameOperation_anotherRequestIsConflict() {
    Operation first = platform.subscribe().startSubscribe(user, service.slug(), "basic", "k1");

    Operation again = platform.subscribe().startSubscribe(user, service.slug(), "basic", "k1");

    assertThat(again.id()).isEqualTo(first.id());
    assertThatThrownBy(() -> platform.subscribe().startSubscribe(user, service.slug(), "pro", "k1"))
        .isInstanceOfSatisfying(
            SubscriptionConflictException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    assertThat(operations().await(user, first.id(), LONG_ENOUGH).status())
        .isEqualTo(OperationStatus.SUCCEEDED);
  }

  @Test
  void refusalsBeforeAnythingIsCharged_areThrownByTheStart() {
    platform.subscribe().subscribe(user, service.slug(), "basic", "k1");

    assertThatThrownBy(() -> platform.subscribe().startSubscribe(user, service.slug(), "pro", "k2"))
        .isInstanceOf(DuplicateSubscriptionException.class);
    assertThatThrownBy(
            () -> platform.subscribe().startSubscribe(user, service.slug(), "gold", "k3"))
        .isInstanceOf(InvalidPlanException.class);
  }

  @Test
  void operationOfAnotherUser_isNotFound_likeAnUnknownOne() {
    Operation mine = platform.subscribe().startSubscribe(user, service.slug(), "basic", "k1");

    assertThatThrownBy(() -> operations().operation("someone-else", mine.id()))
        .isInstanceOfSatisfying(
            CatalogNotFoundException.class,
            e -> assertThat(e.details()).containsEntry("kind", "operation"));
    assertThatThrownBy(() -> operations().await("someone-else", mine.id(), Duration.ZERO))
        .isInstanceOf(CatalogNotFoundException.class);
    assertThatThrownBy(() -> operations().operation(user, UUID.randomUUID()))
        .isInstanceOf(CatalogNotFoundException.class);
  }

  @Test
  void failedSubscribe_keepsItsProvisioningExceptionType_inTheOperationAndOnReplay() {
    platform.provisioner.failNext(1, false);

    Operation started = platform.subscribe().startSubscribe(user, service.slug(), "basic", "k1");
    Operation failed = operations().await(user, started.id(), LONG_ENOUGH);

    assertThat(failed.status()).isEqualTo(OperationStatus.FAILED);
    assertThat(failed.failure())
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED);
              assertThat(e.retryable()).isFalse();
              assertThat(e.details()).containsEntry("instanceId", failed.instanceId().toString());
              assertThat(e.reference()).as("the reference the log has").isPresent();
              assertThat(e.platformDetail()).as("the platform's text stays in the log").isEmpty();
            });
    // The synchronous call with the same key replays the same error, with its type and reference.
    assertThatThrownBy(() -> platform.subscribe().subscribe(user, service.slug(), "basic", "k1"))
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e ->
                assertThat(e.reference())
                    .isEqualTo(((ProvisioningException) failed.failure()).reference()))
        .hasMessage(failed.failure().getMessage());
  }

  @Test
  void declinedSubscribe_endsFailedWithThePaymentError() {
    platform.gateway.declineAccount(user, "card declined");

    Operation started = platform.subscribe().startSubscribe(user, service.slug(), "basic", "k1");
    Operation failed = operations().await(user, started.id(), LONG_ENOUGH);

    assertThat(failed.status()).isEqualTo(OperationStatus.FAILED);
    assertThat(failed.failure())
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> {
              assertThat(e.declined()).isTrue();
              assertThat(e.reason()).isEqualTo("card declined");
              assertThat(e.line().status()).isEqualTo(LineStatus.DECLINED);
            });
    assertThatThrownBy(() -> platform.subscribe().subscribe(user, service.slug(), "basic", "k1"))
        .as("the synchronous replay throws the same type")
        .isInstanceOf(PaymentFailedException.class)
        .hasMessage(failed.failure().getMessage());
  }

  @Test
  void startUpgrade_startUpdateEnv_startCancel_eachEndSucceeded() {
    Subscription subscription = platform.subscribe().subscribe(user, service.slug(), "basic", "k1");
    UUID instanceId = subscription.instance().id();

    Operation upgrade =
        platform.subscriptions.upgrades().startUpgrade(user, subscription.id(), "pro", "up");
    assertThat(upgrade.kind()).isEqualTo(OperationKind.UPGRADE);
    assertThat(operations().await(user, upgrade.id(), LONG_ENOUGH).status())
        .isEqualTo(OperationStatus.SUCCEEDED);
    assertThat(platform.subscribe().subscription(user, subscription.id()).plan().slug())
        .isEqualTo("pro");

    Operation env =
        platform.subscriptions.instances().startUpdateEnv(user, instanceId, Map.of("TZ", "UTC"));
    assertThat(env.kind()).isEqualTo(OperationKind.UPDATE_ENV);
    assertThat(operations().await(user, env.id(), LONG_ENOUGH).status())
        .isEqualTo(OperationStatus.SUCCEEDED);
    assertThat(platform.provisioner.instance(instanceId).orElseThrow().app().env())
        .containsEntry("TZ", "UTC");

    Operation cancel = platform.subscribe().startCancel(user, subscription.id());
    assertThat(platform.subscribe().startCancel(user, subscription.id()).id())
        .as("cancelling again follows the same operation")
        .isEqualTo(cancel.id());
    assertThat(operations().await(user, cancel.id(), LONG_ENOUGH).status())
        .isEqualTo(OperationStatus.SUCCEEDED);
    assertThat(platform.subscribe().subscription(user, subscription.id()).status())
        .isEqualTo(SubscriptionStatus.CANCELLED);
    assertThat(platform.provisioner.instance(instanceId)).isEmpty();
  }

  @Test
  void failedUpgrade_isAnOperationThatFailed_andTheSubscriptionStaysOnItsPlan() {
    Subscription subscription = platform.subscribe().subscribe(user, service.slug(), "basic", "k1");
    platform.gateway.declineAccount(user, "card declined");

    Operation upgrade =
        platform.subscriptions.upgrades().startUpgrade(user, subscription.id(), "pro", "up");
    Operation failed = operations().await(user, upgrade.id(), LONG_ENOUGH);

    assertThat(failed.status()).isEqualTo(OperationStatus.FAILED);
    assertThat(failed.failure()).isInstanceOf(PaymentFailedException.class);
    assertThat(failed.failure().code()).isEqualTo(ErrorCode.PAYMENT_FAILED);
    assertThat(platform.subscribe().subscription(user, subscription.id()).plan().slug())
        .isEqualTo("basic");
  }

  @Test
  void await_refusesANegativeWait() {
    Operation started = platform.subscribe().startSubscribe(user, service.slug(), "basic", "k1");

    assertThatThrownBy(() -> operations().await(user, started.id(), Duration.ofSeconds(-1)))
        .isInstanceOfSatisfying(
            MinisPodException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
  }
}
