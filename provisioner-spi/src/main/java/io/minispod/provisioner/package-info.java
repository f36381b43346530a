/**
 * The provisioning SPI: {@link io.minispod.catalog.provisioning.Provisioner} turns an {@link
 * io.minispod.catalog.provisioning.InstanceSpec} into a running instance. {@link
 * io.minispod.catalog.provisioning.InMemoryProvisioner} is the ready implementation for tests and
 * the demo; {@code k8s-provisioner} implements it on Kubernetes.
 */
package io.minispod.catalog.provisioning;
