package io.minispod.subscription.internal.workflow;

import io.minispod.catalog.internal.db.tables.records.WorkflowRecord;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the workflows this node starts on threads of its own, so that the request that started one
 * can answer before it ends, and tells a waiter on this node at once when such a run stops.
 *
 * <p>A run stops when its workflow ends, waits for a retry, or lost its lease; a waiter then reads
 * the workflow to see which. Workflows this node did not start (claimed by another node's runner)
 * are not known here: their waiters read the database at intervals.
 */
public final class WorkflowDispatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkflowDispatcher.class);

  private final WorkflowRunner runner;
  private final ThreadPoolExecutor threads;
  private final Map<UUID, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

  /**
   * A dispatcher running workflows on at most {@code threads} threads; starts beyond that queue.
   *
   * @param runner runs each workflow
   * @param threads the most workflows run at once by this dispatcher
   */
  public WorkflowDispatcher(WorkflowRunner runner, int threads) {
    this.runner = runner;
    AtomicInteger count = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            threads,
            threads,
            1,
            TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, "minispod-workflow-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.threads.allowCoreThreadTimeOut(true);
  }

  /**
   * Runs a workflow this node has just started on one of the dispatcher's threads. A workflow still
   * queued when its lease runs out is claimed by a runner (this node's or another's) and not run
   * twice: the queued run checks the claim first.
   *
   * @param started the workflow as inserted
   */
  public void dispatch(WorkflowRecord started) {
    UUID id = started.getWorkflowId();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    running.put(id, stopped);
    try {
      threads.execute(
          () -> {
            try {
              runner.runStartedLater(started);
            } catch (RuntimeException e) {
              log.warn("Workflow {} stopped on an unexpected error; it will be retried", id, e);
            } finally {
              running.remove(id, stopped);
              stopped.complete(null);
            }
          });
    } catch (RuntimeException rejected) {
      // Shut down: the lease runs out and a runner claims the workflow.
      running.remove(id, stopped);
      stopped.complete(null);
      log.warn("Workflow {} could not be run here; a runner claims it when its lease ends", id);
    }
  }

  /**
   * Waits until this node's run of a workflow stops, or at most {@code max}. Returns at once when
   * no run of it is in progress here; the caller then reads the workflow.
   *
   * @param workflowId the workflow
   * @param max the longest wait
   * @return whether a run of it was in progress here when called
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitRun(UUID workflowId, Duration max) throws InterruptedException {
    CompletableFuture<Void> stopped = running.get(workflowId);
    if (stopped == null) {
      return false;
    }
    try {
      stopped.get(max.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // still running: the caller decides whether to wait on
    } catch (ExecutionException e) {
      throw new IllegalStateException("a workflow run never completes exceptionally", e);
    }
    return true;
  }

  /** Stops the threads; workflows still running lose their leases, and runners carry them on. */
  @Override
  public void close() {
    threads.shutdownNow();
  }
}
