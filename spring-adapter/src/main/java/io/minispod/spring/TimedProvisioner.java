package io.minispod.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minispod.provisioner.InstanceBackup;
import io.minispod.provisioner.InstanceHealth;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ObservedInstance;
import io.minispod.provisioner.ProvisionedInstance;
import io.minispod.provisioner.Provisioner;
import io.minispod.provisioner.ResourceUsage;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Times each provisioner call as {@code minispod.provisioning.duration{operation, outcome}}. */
final class TimedProvisioner implements Provisioner, AutoCloseable {

  private final Provisioner delegate;
  private final MeterRegistry registry;

  TimedProvisioner(Provisioner delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public ProvisionedInstance provision(InstanceSpec spec) {
    return timed("provision", () -> delegate.provision(spec));
  }

  @Override
  public void resize(InstanceSpec spec) {
    timed(
        "resize",
        () -> {
          delegate.resize(spec);
          return null;
        });
  }

  @Override
  public void deprovision(InstanceRef instance) {
    timed(
        "deprovision",
        () -> {
          delegate.deprovision(instance);
          return null;
        });
  }

  @Override
  public InstanceHealth health(InstanceRef instance) {
    return delegate.health(instance);
  }

  @Override
  public Optional<ResourceUsage> usage(InstanceRef instance) {
    return delegate.usage(instance);
  }

  @Override
  public boolean canGrowStorage() {
    return delegate.canGrowStorage();
  }

  @Override
  public void stop(InstanceRef instance) {
    timed(
        "stop",
        () -> {
          delegate.stop(instance);
          return null;
        });
  }

  @Override
  public void start(InstanceRef instance) {
    timed(
        "start",
        () -> {
          delegate.start(instance);
          return null;
        });
  }

  @Override
  public boolean supportsBackups() {
    return delegate.supportsBackups();
  }

  @Override
  public Optional<InstanceBackup> backUp(
      InstanceRef instance, String key, InstanceBackup.Reason reason, int keep) {
    return timed("back-up", () -> delegate.backUp(instance, key, reason, keep));
  }

  @Override
  public List<InstanceBackup> backups(InstanceRef instance) {
    return delegate.backups(instance);
  }

  @Override
  public List<ObservedInstance> instances() {
    return timed("instances", delegate::instances);
  }

  private <T> T timed(String operation, Supplier<T> call) {
    Timer.Sample sample = Timer.start(registry);
    String outcome = "failure";
    try {
      T result = call.get();
      outcome = "success";
      return result;
    } finally {
      sample.stop(
          Timer.builder("minispod.provisioning.duration")
              .description("Duration of provisioner calls")
              .tag("operation", operation)
              .tag("outcome", outcome)
              .register(registry));
    }
  }

  @Override
  public void close() throws Exception {
    if (delegate instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
