package io.minispod.catalog.internal;

import io.minispod.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells other nodes that plans' quota usage changed, from a thread of its own: the plans named
 * within one window go out together, so a burst of subscriptions costs one {@code NOTIFY} per
 * window instead of a statement on every caller's thread. Other nodes drop those figures within the
 * window plus the delivery, well within the second the design allows; this node's own caches are
 * dropped by the caller at once.
 */
final class QuotaSignals implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(QuotaSignals.class);

  private final DSLContext dsl;
  private final String nodeId;
  private final Duration window;
  private final Set<UUID> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ScheduledThreadPoolExecutor sender;

  /**
   * @param dsl the database the notifications go through
   * @param nodeId this node, named as their origin so that it ignores its own
   * @param window how long plans named after a quiet spell wait for others to go out with them
   */
  QuotaSignals(DSLContext dsl, String nodeId, Duration window) {
    this.dsl = dsl;
    this.nodeId = nodeId;
    this.window = window;
    this.sender = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("minispod-quota-signals"));
    // A send still waiting for its window when the node closes is made by close() at once.
    sender.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Queues the plans for the next notification, which goes out within the window. */
  void changed(Collection<UUID> planIds) {
    pending.addAll(planIds);
    if (scheduled.compareAndSet(false, true)) {
      try {
        sender.schedule(this::send, window.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        // Closing: send on the caller's thread rather than drop the signal.
        send();
      }
    }
  }

  /** Sends what is pending, in payloads that fit a notification; failures are only logged. */
  private void send() {
    // Reset first: plans queued from here on schedule the next send (or ride on this one).
    scheduled.set(false);
    List<UUID> planIds = new ArrayList<>();
    for (Iterator<UUID> it = pending.iterator(); it.hasNext(); ) {
      planIds.add(it.next());
      it.remove();
    }
    if (planIds.isEmpty()) {
      return;
    }
    try {
      for (String payload : ChangeSignal.quotaPayloads(nodeId, planIds)) {
        dsl.select(
                DSL.function(
                    DSL.name("pg_notify"),
                    SQLDataType.OTHER,
                    DSL.val(ChangeSignal.CHANNEL),
                    DSL.val(payload)))
            .execute();
      }
    } catch (RuntimeException e) {
      log.warn("Could not tell other nodes that the quota of plans {} changed", planIds, e);
    }
  }

  /** Sends what is still pending and stops the thread. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sender.shutdownNow();
    }
    send();
  }
}
