package io.minispod.quota;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Combines concurrent allocation requests into shared transactions.
 *
 * <p>A pool row can be changed by one transaction at a time, so requests for a hot pool queue on
 * its lock however they are issued. Instead of one transaction (and one lock hand-over) per
 * request, each lane's thread takes every request waiting in its queue and settles them all in a
 * single transaction, in arrival order. Under load the batch grows with the queue, so the cost of
 * the lock, the round trips and the commit is shared by many requests.
 *
 * <p>A lone request does not pay for a hand-over: when nothing waits on its lane and no batch is
 * being settled there, its caller settles it on its own thread, as a batch of one (the same
 * transaction the lane would run), holding the lane while it does so that the lane's requests and
 * its own are still settled one transaction at a time. The lane's thread settles what queues behind
 * it.
 *
 * <p>Requests go to a lane by their smallest pool key, so requests for one pool always share a lane
 * (and batch), while requests for different pools spread over the lanes and run in parallel.
 *
 * <p>Nothing waits without bound: a caller whose request is not settled within the wait limit is
 * told whether it was withdrawn (nothing granted) or may still be granted (retry with the same
 * idempotency key), and a lane whose batch fails with an {@link Error} fails that batch and goes
 * on, instead of dying and leaving every later request on it waiting.
 */
final class AllocationCombiner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AllocationCombiner.class);

  private final Function<List<AllocationRequest>, List<Outcome>> settle;
  private final int maxBatchSize;
  private final Duration waitLimit;
  private final Lane[] lanes;
  private volatile boolean closed;

  /**
   * @param laneCount how many transactions may run at once
   * @param maxBatchSize the most requests settled by one transaction
   * @param waitLimit how long a caller waits for its request to be settled
   * @param settle runs one batch in one transaction and returns an outcome per request
   */
  AllocationCombiner(
      int laneCount,
      int maxBatchSize,
      Duration waitLimit,
      Function<List<AllocationRequest>, List<Outcome>> settle) {
    this.settle = settle;
    this.maxBatchSize = maxBatchSize;
    this.waitLimit = waitLimit;
    this.lanes = new Lane[laneCount];
    for (int i = 0; i < laneCount; i++) {
      lanes[i] = new Lane(i);
      lanes[i].thread.start();
    }
  }

  /**
   * Settles the request on this thread if its lane is idle, otherwise queues it and waits for its
   * batch to be settled; returns its allocation.
   */
  Allocation submit(AllocationRequest request) {
    String firstPool =
        request.items().stream()
            .map(QuotaItem::poolKey)
            .min(Comparator.naturalOrder())
            .orElseThrow();
    Lane lane = lanes[Math.floorMod(firstPool.hashCode(), lanes.length)];
    Submission submission = new Submission(request);
    if (closed) {
      throw closedError();
    }
    if (lane.settleAlone(submission)) {
      return submission.allocation();
    }
    lane.queue.add(submission);
    if (closed) {
      // close() may have drained the queue before our add; fail rather than wait forever.
      lane.queue.remove(submission);
      throw closedError();
    }
    return submission.await(lane);
  }

  /** How many requests wait on the lanes, not yet being settled (for tests and diagnostics). */
  int waiting() {
    int waiting = 0;
    for (Lane lane : lanes) {
      waiting += lane.queue.size() + (lane.next.get() == null ? 0 : 1);
    }
    return waiting;
  }

  @Override
  public void close() {
    closed = true;
    for (Lane lane : lanes) {
      lane.thread.interrupt();
    }
    for (Lane lane : lanes) {
      try {
        lane.thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Lane lane : lanes) {
      List<Submission> abandoned = new ArrayList<>();
      lane.queue.drainTo(abandoned);
      abandoned.forEach(s -> s.result.completeExceptionally(closedError()));
    }
  }

  private static MinisPodException closedError() {
    return new MinisPodException(ErrorCode.INTERNAL_ERROR, "The QuotaManager is closed", Map.of());
  }

  private final class Lane implements Runnable {

    private final LinkedBlockingQueue<Submission> queue = new LinkedBlockingQueue<>();

    /**
     * Held while a batch of this lane is settled, by the lane's thread or by a lone caller. Fair,
     * so that once the lane's thread waits for it, lone callers queue instead of overtaking it.
     */
    private final ReentrantLock settling = new ReentrantLock(true);

    /** The request the lane's thread took from the queue and is waiting to settle; withdrawable. */
    private final AtomicReference<Submission> next = new AtomicReference<>();

    private final Thread thread;

    Lane(int index) {
      thread = new Thread(this, "minispod-quota-combiner-" + index);
      thread.setDaemon(true);
    }

    /**
     * Settles the submission on the calling thread if nothing waits on this lane and no batch is
     * being settled on it; returns whether it did.
     */
    boolean settleAlone(Submission submission) {
      if (!queue.isEmpty() || settling.hasQueuedThreads() || !settling.tryLock()) {
        return false;
      }
      try {
        settleBatch(List.of(submission));
        return true;
      } finally {
        settling.unlock();
      }
    }

    @Override
    public void run() {
      List<Submission> batch = new ArrayList<>(maxBatchSize);
      while (!closed) {
        try {
          next.set(queue.take());
          settling.lockInterruptibly();
        } catch (InterruptedException e) {
          Submission taken = next.getAndSet(null);
          if (taken != null) {
            taken.result.completeExceptionally(closedError());
          }
          return;
        }
        try {
          Submission first = next.getAndSet(null);
          if (first != null) {
            batch.add(first);
          }
          queue.drainTo(batch, maxBatchSize - batch.size());
          if (!batch.isEmpty()) {
            settleBatch(batch);
          }
        } finally {
          settling.unlock();
          batch.clear();
        }
      }
    }

    private void settleBatch(List<Submission> batch) {
      try {
        List<Outcome> outcomes = settle.apply(batch.stream().map(s -> s.request).toList());
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).result.complete(outcomes.get(i));
        }
      } catch (RuntimeException batchFailure) {
        if (batch.size() == 1) {
          batch.get(0).result.completeExceptionally(batchFailure);
          return;
        }
        // One request must not fail its neighbours: settle each on its own.
        log.warn(
            "A batch of {} allocations failed; settling them one by one",
            batch.size(),
            batchFailure);
        for (Submission submission : batch) {
          settleBatch(new ArrayList<>(List.of(submission)));
        }
      } catch (Error fatal) {
        // The lane must outlive it, or every later request on it would wait in vain.
        log.error("A batch of {} allocations failed with an error", batch.size(), fatal);
        MinisPodException failure =
            new MinisPodException(
                ErrorCode.INTERNAL_ERROR, "Allocation failed: " + fatal, Map.of(), fatal);
        batch.forEach(s -> s.result.completeExceptionally(failure));
      }
    }
  }

  private final class Submission {

    private static final int SPINS = 1 << 10;

    private final AllocationRequest request;
    private final CompletableFuture<Outcome> result = new CompletableFuture<>();

    Submission(AllocationRequest request) {
      this.request = request;
    }

    Allocation await(Lane lane) {
      // A batch often settles within microseconds: spin briefly before parking, as an untimed
      // CompletableFuture.get() does (a timed one parks at once, and a caller pays the wake-up).
      for (int spin = 0; spin < SPINS && !result.isDone(); spin++) {
        Thread.onSpinWait();
      }
      try {
        result.get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw notSettled("Interrupted while waiting for", lane, e);
      } catch (TimeoutException e) {
        throw notSettled("Gave up after " + waitLimit + " waiting for", lane, e);
      } catch (ExecutionException e) {
        // allocation() below reports it.
      }
      return allocation();
    }

    /** The allocation of a settled submission, or its refusal or failure thrown. */
    Allocation allocation() {
      try {
        return result.getNow(null).allocationOrThrow();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException failure) {
          throw failure;
        }
        throw new IllegalStateException(e.getCause());
      }
    }

    /** The caller stops waiting: withdrawn if still queued, or told it may yet be granted. */
    private MinisPodException notSettled(String what, Lane lane, Exception cause) {
      boolean withdrawn = lane.queue.remove(this) || lane.next.compareAndSet(this, null);
      return new MinisPodException(
          ErrorCode.INTERNAL_ERROR,
          what
              + " allocation "
              + request.idempotencyKey()
              + (withdrawn
                  ? "; it was withdrawn and nothing was granted"
                  : "; it may still be granted, so retry with the same idempotency key"),
          Map.of("idempotencyKey", request.idempotencyKey()),
          cause);
    }
  }
}
