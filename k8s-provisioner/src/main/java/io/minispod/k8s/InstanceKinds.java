package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;

/** The kinds of object that carry an instance's label, in the order they are deleted. */
final class InstanceKinds {

  /**
   * Traffic first (Ingress, Service), then workloads and what they use; pods and ReplicaSets would
   * go with their Deployment, but are deleted too so that nothing labelled is left waiting for the
   * garbage collector.
   */
  static final List<Class<? extends HasMetadata>> ALL =
      List.of(
          Ingress.class,
          Service.class,
          Deployment.class,
          ReplicaSet.class,
          Pod.class,
          ConfigMap.class,
          Secret.class,
          PersistentVolumeClaim.class,
          NetworkPolicy.class);

  private InstanceKinds() {}
}
