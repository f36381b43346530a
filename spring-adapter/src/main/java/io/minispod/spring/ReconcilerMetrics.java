package io.minispod.spring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.minispod.subscription.ReconcileReport;
import io.minispod.subscription.Subscriptions;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The instance reconciler's actions on this node as one counter, {@code
 * minispod.reconciler.actions}, tagged {@code action}: {@code reprovisioned}, {@code resized},
 * {@code removed}, {@code skipped}, {@code failed}.
 */
final class ReconcilerMetrics implements MeterBinder {

  private static final Map<String, ToLongFunction<ReconcileReport>> ACTIONS =
      Map.of(
          "reprovisioned", ReconcileReport::reprovisioned,
          "resized", ReconcileReport::resized,
          "removed", ReconcileReport::removed,
          "skipped", ReconcileReport::skipped,
          "failed", ReconcileReport::failed);

  private final Subscriptions subscriptions;

  ReconcilerMetrics(Subscriptions subscriptions) {
    this.subscriptions = subscriptions;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    ACTIONS.forEach(
        (action, count) ->
            FunctionCounter.builder(
                    "minispod.reconciler.actions",
                    subscriptions,
                    s -> count.applyAsLong(s.reconciledSoFar()))
                .description("What the instance reconciler did to the platform")
                .tag("action", action)
                .register(registry));
  }
}
