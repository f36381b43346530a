package io.minispod.subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Several nodes of one platform doing the same thing at the same moment, on real threads. */
final class Nodes {

  private Nodes() {}

  /**
   * Runs one instance reconciler round on each node, all released at once.
   *
   * @return what the rounds did, summed
   */
  static ReconcileReport reconcileAtOnce(List<Platform> nodes) throws Exception {
    CyclicBarrier together = new CyclicBarrier(nodes.size());
    ExecutorService threads = Executors.newFixedThreadPool(nodes.size());
    try {
      List<Future<ReconcileReport>> rounds = new ArrayList<>();
      for (Platform node : nodes) {
        rounds.add(
            threads.submit(
                () -> {
                  together.await(10, TimeUnit.SECONDS);
                  return node.subscriptions.reconcileInstances();
                }));
      }
      ReconcileReport all = ReconcileReport.NONE;
      for (Future<ReconcileReport> round : rounds) {
        all = all.plus(round.get(60, TimeUnit.SECONDS));
      }
      return all;
    } finally {
      threads.shutdownNow();
    }
  }
}
