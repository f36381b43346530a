/**
 * The Kubernetes implementation of the provisioning SPI. Entry point: {@link
 * io.minispod.k8s.KubernetesProvisioner}, configured with {@link
 * io.minispod.k8s.KubernetesProvisioner#builder()}; {@link io.minispod.k8s.KubernetesLabels} names
 * the labels it puts on what it creates.
 */
package io.minispod.k8s;
