package io.minispod.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Callers in a closed loop, as the benchmarks measure them: each on a thread of its own, all
 * starting together, each making its next call as soon as the last one returned, first through a
 * warm-up and then through the measured window.
 */
final class ClosedLoop {

  /** One call of one caller. */
  @FunctionalInterface
  interface Call {
    void run(int caller) throws Exception;
  }

  private ClosedLoop() {}

  /**
   * Runs the callers and returns the calls per second that started and returned within the measured
   * window, recording each such call's latency in {@code latencies} when given.
   */
  static double callsPerSecond(
      int callers, Duration warmup, Duration measure, Recorder latencies, Call call)
      throws InterruptedException {
    AtomicLong measured = new AtomicLong();
    long start = System.nanoTime() + 50_000_000L;
    long from = start + warmup.toNanos();
    long end = from + measure.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int caller = c;
      Thread thread =
          new Thread(
              () -> {
                while (System.nanoTime() < start) {
                  Thread.onSpinWait();
                }
                long now;
                while ((now = System.nanoTime()) < end) {
                  try {
                    call.run(caller);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  long done = System.nanoTime();
                  if (now >= from && done <= end) {
                    if (latencies != null) {
                      latencies.recordValue(done - now);
                    }
                    measured.incrementAndGet();
                  }
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return measured.get() / (measure.toNanos() / 1e9);
  }
}
