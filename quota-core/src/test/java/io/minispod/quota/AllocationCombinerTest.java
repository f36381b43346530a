package io.minispod.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.minispod.MinisPodException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class AllocationCombinerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
  private final List<String> batchThreads = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch firstBatchMayFinish = new CountDownLatch(1);
  private final AtomicInteger callerNames = new AtomicInteger();
  private final ExecutorService callers =
      Executors.newCachedThreadPool(
          task -> new Thread(task, "caller-" + callerNames.incrementAndGet()));
  private AllocationCombiner combiner;

  @AfterEach
  void stop() {
    callers.shutdownNow();
    if (combiner != null) {
      combiner.close();
    }
  }

  private static AllocationRequest request(String owner) {
    return AllocationRequest.of(owner, "key-" + owner, QuotaItem.of("plan:hot", 1));
  }

  private static Allocation grantTo(AllocationRequest request) {
    return new Allocation(
        UUID.randomUUID(),
        request.owner(),
        request.idempotencyKey(),
        AllocationStatus.CONFIRMED,
        request.items(),
        null,
        Instant.EPOCH);
  }

  /** Settles every request as granted; the first batch waits until the test lets it finish. */
  private List<Outcome> grantAll(List<AllocationRequest> batch) {
    if (batchSizes.isEmpty()) {
      try {
        firstBatchMayFinish.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    batchSizes.add(batch.size());
    batchThreads.add(Thread.currentThread().getName());
    if (batch.size() > 1 && batch.stream().anyMatch(r -> r.owner().equals("poison"))) {
      throw new IllegalStateException("a batch with the poisoned request fails as a whole");
    }
    if (batch.get(0).owner().equals("poison")) {
      throw new IllegalStateException("the poisoned request fails alone too");
    }
    return batch.stream().map(r -> Outcome.granted(grantTo(r))).toList();
  }

  private List<Future<Allocation>> submitAll(List<AllocationRequest> requests) {
    List<Future<Allocation>> results = new ArrayList<>();
    for (AllocationRequest r : requests) {
      results.add(callers.submit(() -> combiner.submit(r)));
    }
    return results;
  }

  @Test
  void submit_whileABatchRuns_combinesEveryWaitingRequestIntoTheNext() throws Exception {
    combiner = new AllocationCombiner(1, 256, WAIT, this::grantAll);
    Future<Allocation> first = submitAll(List.of(request("first"))).get(0);
    await().until(() -> combiner.waiting() == 0 && !first.isDone());

    List<AllocationRequest> waiting = new ArrayList<>();
    for (int i = 0; i < 19; i++) {
      waiting.add(request("user-" + i));
    }
    List<Future<Allocation>> results = submitAll(waiting);
    await().until(() -> combiner.waiting() == 19);
    firstBatchMayFinish.countDown();

    for (int i = 0; i < results.size(); i++) {
      assertThat(results.get(i).get(10, TimeUnit.SECONDS).owner()).isEqualTo("user-" + i);
    }
    assertThat(first.get().owner()).isEqualTo("first");
    assertThat(batchSizes).containsExactly(1, 19);
    assertThat(batchThreads.get(0)).as("the lone first request").startsWith("caller-");
    assertThat(batchThreads.get(1)).isEqualTo("minispod-quota-combiner-0");
  }

  @Test
  void submit_idleLane_settlesOnTheCallersThreadAsABatchOfOne() {
    firstBatchMayFinish.countDown();
    combiner = new AllocationCombiner(1, 256, WAIT, this::grantAll);
    String caller = Thread.currentThread().getName();

    assertThat(combiner.submit(request("alice")).owner()).isEqualTo("alice");
    assertThat(combiner.submit(request("bob")).owner()).isEqualTo("bob");

    assertThat(batchSizes).containsExactly(1, 1);
    assertThat(batchThreads).containsExactly(caller, caller);
  }

  @Test
  void submit_loneRequestFailing_throwsToItsCallerAndTheLaneStaysUsable() {
    firstBatchMayFinish.countDown();
    combiner = new AllocationCombiner(1, 256, WAIT, this::grantAll);

    assertThatThrownBy(() -> combiner.submit(request("poison")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fails alone too");
    assertThat(combiner.submit(request("after")).owner()).isEqualTo("after");
  }

  @Test
  void submit_loneRequestFailingWithAnError_isReportedAsInternalError() {
    combiner =
        new AllocationCombiner(
            1,
            256,
            WAIT,
            batch -> {
              throw new AssertionError("a broken invariant");
            });

    assertThatThrownBy(() -> combiner.submit(request("alice")))
        .isInstanceOf(MinisPodException.class)
        .hasMessageContaining("a broken invariant");
  }

  @Test
  void submit_batchLimit_splitsLongQueues() throws Exception {
    combiner = new AllocationCombiner(1, 8, WAIT, this::grantAll);
    Future<Allocation> first = submitAll(List.of(request("first"))).get(0);
    await().until(() -> combiner.waiting() == 0 && !first.isDone());
    List<AllocationRequest> waiting = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      waiting.add(request("user-" + i));
    }
    List<Future<Allocation>> results = submitAll(waiting);
    await().until(() -> combiner.waiting() == 20);
    firstBatchMayFinish.countDown();
    for (Future<Allocation> result : results) {
      result.get(10, TimeUnit.SECONDS);
    }

    assertThat(batchSizes).containsExactly(1, 8, 8, 4);
  }

  @Test
  void submit_failingBatch_isSettledOneByOneSoNeighboursSucceed() throws Exception {
    combiner = new AllocationCombiner(1, 256, WAIT, this::grantAll);
    Future<Allocation> first = submitAll(List.of(request("first"))).get(0);
    await().until(() -> combiner.waiting() == 0 && !first.isDone());
    List<Future<Allocation>> results =
        submitAll(List.of(request("alice"), request("poison"), request("bob")));
    await().until(() -> combiner.waiting() == 3);
    firstBatchMayFinish.countDown();

    assertThat(results.get(0).get(10, TimeUnit.SECONDS).owner()).isEqualTo("alice");
    assertThat(results.get(2).get(10, TimeUnit.SECONDS).owner()).isEqualTo("bob");
    assertThatThrownBy(() -> results.get(1).get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fails alone too");
    assertThat(batchSizes).containsExactly(1, 3, 1, 1, 1);
  }

  @Test
  void submit_refusal_isThrownToItsCaller() {
    combiner =
        new AllocationCombiner(
            2,
            256,
            WAIT,
            batch ->
                batch.stream()
                    .map(r -> Outcome.refused(new QuotaExceededException("plan:hot", 1, 0, 5)))
                    .toList());

    assertThatThrownBy(() -> combiner.submit(request("alice")))
        .isInstanceOf(QuotaExceededException.class)
        .hasMessage("Pool plan:hot cannot grant 1: 0 of 5 available");
  }

  @Test
  void close_failsWaitingCallersAndRefusesNewOnes() throws Exception {
    combiner = new AllocationCombiner(1, 256, WAIT, this::grantAll);
    Future<Allocation> running = submitAll(List.of(request("first"))).get(0);
    await().until(() -> combiner.waiting() == 0 && !running.isDone());
    List<Future<Allocation>> queued = submitAll(List.of(request("second"), request("third")));
    await().until(() -> combiner.waiting() == 2);

    combiner.close();

    for (Future<Allocation> waiting : queued) {
      assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(MinisPodException.class)
          .hasMessageContaining("closed");
    }
    assertThatThrownBy(() -> combiner.submit(request("late"))).hasMessageContaining("closed");
    firstBatchMayFinish.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS).owner())
        .as("the batch being settled finishes")
        .isEqualTo("first");
    assertThat(batchSizes).containsExactly(1);
  }

  @Test
  void close_whileTheLaneSettles_letsThatBatchFinish() throws Exception {
    CountDownLatch untilInterrupted = new CountDownLatch(1);
    CountDownLatch laneBatchStarted = new CountDownLatch(1);
    combiner =
        new AllocationCombiner(
            1,
            256,
            WAIT,
            batch -> {
              if (batch.get(0).owner().equals("queued")) {
                laneBatchStarted.countDown();
                try {
                  untilInterrupted.await();
                } catch (InterruptedException closing) {
                  // close() interrupts the lane: finish this batch, then the lane stops.
                }
              } else {
                awaitQuietly(firstBatchMayFinish);
              }
              return batch.stream().map(r -> Outcome.granted(grantTo(r))).toList();
            });
    Future<Allocation> lone = submitAll(List.of(request("lone"))).get(0);
    await().until(() -> combiner.waiting() == 0 && !lone.isDone());
    Future<Allocation> queued = submitAll(List.of(request("queued"))).get(0);
    await().until(() -> combiner.waiting() == 1);
    firstBatchMayFinish.countDown();
    assertThat(laneBatchStarted.await(10, TimeUnit.SECONDS)).isTrue();

    combiner.close();

    assertThat(lone.get(10, TimeUnit.SECONDS).owner()).isEqualTo("lone");
    assertThat(queued.get(10, TimeUnit.SECONDS).owner()).isEqualTo("queued");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void submit_callerInterruptedWhileItsBatchRuns_isToldToRetryWithSameKey() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch aliceBatchStarted = new CountDownLatch(1);
    combiner =
        new AllocationCombiner(
            1,
            256,
            WAIT,
            batch -> {
              if (batch.get(0).owner().equals("alice")) {
                aliceBatchStarted.countDown();
                awaitQuietly(hold);
              } else {
                awaitQuietly(firstBatchMayFinish);
              }
              return batch.stream().map(r -> Outcome.granted(grantTo(r))).toList();
            });
    Future<Allocation> first = submitAll(List.of(request("first"))).get(0);
    await().until(() -> combiner.waiting() == 0 && !first.isDone());
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                combiner.submit(request("alice"));
              } catch (RuntimeException e) {
                failure.complete(e);
              }
            });
    caller.start();
    await().until(() -> combiner.waiting() == 1);
    firstBatchMayFinish.countDown();
    assertThat(aliceBatchStarted.await(10, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();

    assertThat(failure.get(10, TimeUnit.SECONDS))
        .isInstanceOf(MinisPodException.class)
        .hasMessageContaining("retry with the same idempotency key");
    hold.countDown();
  }

  @Test
  void submit_callerInterruptedWhileQueued_isToldNothingWasGranted() throws Exception {
    combiner = new AllocationCombiner(1, 256, WAIT, this::grantAll);
    Future<Allocation> first = submitAll(List.of(request("first"))).get(0);
    await().until(() -> combiner.waiting() == 0 && !first.isDone());
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                combiner.submit(request("alice"));
              } catch (RuntimeException e) {
                failure.complete(e);
              }
            });
    caller.start();
    await().until(() -> combiner.waiting() == 1);
    caller.interrupt();

    assertThat(failure.get(10, TimeUnit.SECONDS))
        .isInstanceOf(MinisPodException.class)
        .hasMessageContaining("it was withdrawn and nothing was granted");
    assertThat(combiner.waiting()).isZero();
    firstBatchMayFinish.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS).owner()).isEqualTo("first");
    assertThat(combiner.submit(request("after")).owner()).isEqualTo("after");
    assertThat(batchSizes).as("alice's request was never settled").containsExactly(1, 1);
  }

  @Test
  void submit_aBatchFailingWithAnError_failsThatBatchAndTheLaneGoesOn() throws Exception {
    combiner =
        new AllocationCombiner(
            1,
            256,
            WAIT,
            batch -> {
              List<Outcome> granted = grantAll(batch);
              if (batch.stream().anyMatch(r -> r.owner().equals("fatal"))) {
                throw new AssertionError("a broken invariant");
              }
              return granted;
            });
    Future<Allocation> first = submitAll(List.of(request("first"))).get(0);
    await().until(() -> combiner.waiting() == 0 && !first.isDone());
    Future<Allocation> fatal = submitAll(List.of(request("fatal"))).get(0);
    await().until(() -> combiner.waiting() == 1);
    firstBatchMayFinish.countDown();

    assertThatThrownBy(() -> fatal.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(MinisPodException.class)
        .hasMessageContaining("a broken invariant");
    assertThat(first.get(10, TimeUnit.SECONDS).owner()).isEqualTo("first");
    assertThat(combiner.submit(request("after")).owner())
        .as("the lane's thread survived the error")
        .isEqualTo("after");
  }

  @Test
  void submit_laneBusyPastTheWaitLimit_withdrawsTheRequestAndSaysNothingWasGranted()
      throws Exception {
    combiner = new AllocationCombiner(1, 256, Duration.ofMillis(200), this::grantAll);
    Future<Allocation> first = submitAll(List.of(request("first"))).get(0);
    await().until(() -> combiner.waiting() == 0 && !first.isDone());

    assertThatThrownBy(() -> combiner.submit(request("second")))
        .isInstanceOf(MinisPodException.class)
        .hasMessageContaining("Gave up after PT0.2S")
        .hasMessageContaining("it was withdrawn and nothing was granted");
    assertThat(combiner.waiting()).isZero();
    firstBatchMayFinish.countDown();
    // The lone first request was settled on its caller's thread, which never gave up.
    assertThat(first.get(10, TimeUnit.SECONDS).owner()).isEqualTo("first");
    assertThat(combiner.submit(request("third")).owner()).isEqualTo("third");
    assertThat(batchSizes).as("the withdrawn request was never settled").containsExactly(1, 1);
  }

  @Test
  void submit_batchRunningPastTheWaitLimit_saysTheRequestMayStillBeGranted() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    combiner =
        new AllocationCombiner(
            1,
            256,
            Duration.ofMillis(200),
            batch -> {
              awaitQuietly(batch.get(0).owner().equals("first") ? firstBatchMayFinish : hold);
              batchSizes.add(batch.size());
              return batch.stream().map(r -> Outcome.granted(grantTo(r))).toList();
            });
    Future<Allocation> first = submitAll(List.of(request("first"))).get(0);
    await().until(() -> combiner.waiting() == 0 && !first.isDone());
    Future<Allocation> second = submitAll(List.of(request("second"))).get(0);
    await().until(() -> combiner.waiting() == 1);
    firstBatchMayFinish.countDown();

    assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
        .hasMessageContaining("Gave up after PT0.2S")
        .hasMessageContaining("it may still be granted, so retry with the same idempotency key");
    hold.countDown();
    await().until(() -> batchSizes.size() == 2);
    assertThat(batchSizes).as("the second request was granted after all").containsExactly(1, 1);
  }
}
