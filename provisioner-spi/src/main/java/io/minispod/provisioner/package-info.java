/**
 * The provisioning SPI: {@link io.minispod.provisioner.Provisioner} turns an {@link
 * io.minispod.provisioner.InstanceSpec} into a running instance. {@link
 * io.minispod.provisioner.InMemoryProvisioner} is the ready implementation for tests and the demo;
 * {@code k8s-provisioner} implements it on Kubernetes. Failures are {@link
 * io.minispod.provisioner.ProvisioningException}s of a {@link
 * io.minispod.provisioner.FailureReason}. A provisioner may also back instances up ({@link
 * io.minispod.provisioner.Provisioner#backUp}, {@link io.minispod.provisioner.InstanceBackup}).
 */
package io.minispod.provisioner;
