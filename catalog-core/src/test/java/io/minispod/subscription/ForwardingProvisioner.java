package io.minispod.subscription;

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

/** Passes every call to another provisioner; a test overrides the call it watches or steers. */
class ForwardingProvisioner implements Provisioner {

  private final Provisioner platform;

  ForwardingProvisioner(Provisioner platform) {
    this.platform = platform;
  }

  @Override
  public ProvisionedInstance provision(InstanceSpec spec) {
    return platform.provision(spec);
  }

  @Override
  public void resize(InstanceSpec spec) {
    platform.resize(spec);
  }

  @Override
  public boolean canGrowStorage() {
    return platform.canGrowStorage();
  }

  @Override
  public boolean supportsBackups() {
    return platform.supportsBackups();
  }

  @Override
  public Optional<InstanceBackup> backUp(
      InstanceRef instance, String key, InstanceBackup.Reason reason, int keep) {
    return platform.backUp(instance, key, reason, keep);
  }

  @Override
  public List<InstanceBackup> backups(InstanceRef instance) {
    return platform.backups(instance);
  }

  @Override
  public void deprovision(InstanceRef instance) {
    platform.deprovision(instance);
  }

  @Override
  public void stop(InstanceRef instance) {
    platform.stop(instance);
  }

  @Override
  public void start(InstanceRef instance) {
    platform.start(instance);
  }

  @Override
  public InstanceHealth health(InstanceRef instance) {
    return platform.health(instance);
  }

  @Override
  public Optional<ResourceUsage> usage(InstanceRef instance) {
    return platform.usage(instance);
  }

  @Override
  public List<ObservedInstance> instances() {
    return platform.instances();
  }
}
