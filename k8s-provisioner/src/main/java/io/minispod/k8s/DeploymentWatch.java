package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One watch, shared by every readiness wait of a provisioner: an informer on the Deployments
 * labelled as ours in all namespaces, started on first use. Waiters are told when their Deployment
 * is available at (at least) the generation they wrote, so a cache that has not yet seen the write
 * cannot report the previous rollout as ready. A Deployment has an entry only while someone waits
 * for it.
 */
final class DeploymentWatch implements AutoCloseable {

  private record Waiter(long minGeneration, CompletableFuture<Deployment> done) {}

  private final KubernetesClient client;
  private final Map<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();
  private SharedIndexInformer<Deployment> informer;

  DeploymentWatch(KubernetesClient client) {
    this.client = client;
  }

  /** Whether a Deployment has rolled out the given generation (or a later one). */
  static boolean isReady(Deployment d, long minGeneration) {
    if (d == null) {
      return false;
    }
    Long generation = d.getMetadata().getGeneration();
    return (generation == null || generation >= minGeneration) && ReadinessWaiter.isAvailable(d);
  }

  /**
   * Waits up to {@code slice} for a Deployment to be available at {@code minGeneration}.
   *
   * @return whether it was (or became) available within the slice
   * @throws InterruptedException if the waiting thread is interrupted
   */
  boolean awaitAvailable(String namespace, String name, long minGeneration, Duration slice)
      throws InterruptedException {
    SharedIndexInformer<Deployment> started = informer();
    String key = namespace + "/" + name;
    Waiter waiter = new Waiter(minGeneration, new CompletableFuture<>());
    // Added inside the map's atomic compute, so that a wait on the same Deployment ending at the
    // same moment cannot drop the set this waiter joins.
    waiters.compute(
        key,
        (k, forKey) -> {
          Set<Waiter> joined = forKey == null ? ConcurrentHashMap.newKeySet() : forKey;
          joined.add(waiter);
          return joined;
        });
    try {
      // Registered first, then the cache is read: an update in between is not lost.
      if (isReady(started.getStore().getByKey(key), minGeneration)) {
        return true;
      }
      waiter.done().get(slice.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("readiness waiters are never completed exceptionally", e);
    } finally {
      // The entry lives only while someone waits: a provisioned or deprovisioned instance leaves
      // nothing behind.
      waiters.computeIfPresent(
          key,
          (k, forKey) -> {
            forKey.remove(waiter);
            return forKey.isEmpty() ? null : forKey;
          });
    }
  }

  /** How many Deployments are being waited for now: the entries the watch holds. */
  int waitedDeployments() {
    return waiters.size();
  }

  private synchronized SharedIndexInformer<Deployment> informer() {
    if (informer == null || !informer.isRunning()) {
      if (informer != null) {
        informer.close();
      }
      informer =
          client
              .apps()
              .deployments()
              .inAnyNamespace()
              .withLabel(KubernetesLabels.MANAGED_BY, KubernetesLabels.MANAGED_BY_VALUE)
              .inform(
                  new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Deployment d) {
                      changed(d);
                    }

                    @Override
                    public void onUpdate(Deployment old, Deployment d) {
                      changed(d);
                    }

                    @Override
                    public void onDelete(Deployment d, boolean unknownFinalState) {}
                  },
                  0);
    }
    return informer;
  }

  private void changed(Deployment d) {
    Set<Waiter> forKey =
        waiters.get(d.getMetadata().getNamespace() + "/" + d.getMetadata().getName());
    if (forKey != null) {
      for (Waiter waiter : forKey) {
        if (isReady(d, waiter.minGeneration())) {
          waiter.done().complete(d);
        }
      }
    }
  }

  /** Stops the watch; a later wait starts it again. */
  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.close();
      informer = null;
    }
  }
}
