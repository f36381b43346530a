package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotent writes: create when absent, otherwise merge onto what exists (keeping what the cluster
 * allocated or others added) and update under the read resource version, re-reading on conflicts. A
 * write that would change nothing is skipped, so provisioning twice leaves every object as it was.
 */
final class ClusterWriter {

  private static final Logger log = LoggerFactory.getLogger(ClusterWriter.class);

  /** Conflicts are normal under concurrency: re-read and re-apply this often before backing off. */
  private static final int CONFLICT_REREADS = 10;

  private final KubernetesClient client;
  private final ApiRetrier retrier;

  ClusterWriter(KubernetesClient client, ApiRetrier retrier) {
    this.client = client;
    this.retrier = retrier;
  }

  /**
   * Creates or updates an object so that it carries everything {@code desired} says.
   *
   * @return the object as the server has it
   */
  <T extends HasMetadata> T apply(UUID instanceId, T desired) {
    return modify(instanceId, desired, existing -> merge(existing, desired));
  }

  /**
   * Read-modify-write: creates {@code absent} when there is no such object, otherwise writes {@code
   * change} applied to a copy of the current object (nothing when the change is none).
   *
   * @return the object as the server has it
   */
  <T extends HasMetadata> T modify(UUID instanceId, T absent, UnaryOperator<T> change) {
    return write(instanceId, absent, true, change);
  }

  /**
   * Read-modify-write of an object that may be gone: nothing happens then.
   *
   * @param locator an object with the name and namespace of the one to change
   * @return the object as the server has it, or {@code null} when there is none
   */
  <T extends HasMetadata> T update(UUID instanceId, T locator, UnaryOperator<T> change) {
    return write(instanceId, locator, false, change);
  }

  private <T extends HasMetadata> T write(
      UUID instanceId, T absent, boolean create, UnaryOperator<T> change) {
    String what = "writing " + describe(absent);
    return retrier.call(
        instanceId,
        what,
        () -> {
          for (int reread = 1; ; reread++) {
            try {
              return writeOnce(instanceId, absent, create, change);
            } catch (KubernetesClientException e) {
              if (e.getCode() != 409 || reread >= CONFLICT_REREADS) {
                throw e;
              }
              log.debug("Instance {}: conflict {} ({}), re-reading", instanceId, what, reread);
            }
          }
        });
  }

  private <T extends HasMetadata> T writeOnce(
      UUID instanceId, T absent, boolean create, UnaryOperator<T> change) {
    T existing = client.resource(absent).get();
    if (existing == null && !create) {
      return null;
    }
    if (existing == null) {
      T created = client.resource(absent).create();
      log.debug("Instance {}: created {}", instanceId, describe(absent));
      return created;
    }
    if (existing.getMetadata().getDeletionTimestamp() != null) {
      throw new ApiRetrier.TransientException(describe(absent) + " is still being deleted");
    }
    T next = change.apply(client.getKubernetesSerialization().clone(existing));
    if (next.equals(existing)) {
      return existing;
    }
    String version = existing.getMetadata().getResourceVersion();
    next.getMetadata().setResourceVersion(version);
    T updated = client.resource(next).lockResourceVersion(version).update();
    log.debug("Instance {}: updated {}", instanceId, describe(absent));
    return updated;
  }

  /**
   * {@code desired} on top of {@code existing}: our labels and annotations added to theirs, and the
   * fields the cluster allocated or owns kept (a Service's cluster IPs, a claim's binding and size,
   * every status).
   */
  @SuppressWarnings("unchecked")
  <T extends HasMetadata> T merge(T existing, T desired) {
    T merged = client.getKubernetesSerialization().clone(desired);
    ObjectMeta meta = client.getKubernetesSerialization().clone(existing.getMetadata());
    meta.setLabels(union(existing.getMetadata().getLabels(), desired.getMetadata().getLabels()));
    meta.setAnnotations(
        union(existing.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations()));
    merged.setMetadata(meta);
    if (merged instanceof Deployment d) {
      d.setStatus(((Deployment) existing).getStatus());
    } else if (merged instanceof Service s) {
      Service old = (Service) existing;
      keepAllocated(s.getSpec(), old.getSpec());
      s.setStatus(old.getStatus());
    } else if (merged instanceof PersistentVolumeClaim claim) {
      PersistentVolumeClaim old = (PersistentVolumeClaim) existing;
      Quantity wanted = claim.getSpec().getResources().getRequests().get("storage");
      PersistentVolumeClaim kept = client.getKubernetesSerialization().clone(old);
      Quantity current = kept.getSpec().getResources().getRequests().get("storage");
      if (current == null || current.compareTo(wanted) < 0) {
        kept.getSpec().getResources().getRequests().put("storage", wanted);
      }
      kept.setMetadata(meta);
      return (T) kept;
    } else if (merged instanceof Namespace ns) {
      ns.setSpec(((Namespace) existing).getSpec());
      ns.setStatus(((Namespace) existing).getStatus());
    } else if (merged instanceof ResourceQuota quota) {
      quota.setStatus(((ResourceQuota) existing).getStatus());
    } else if (merged instanceof Ingress ingress) {
      ingress.setStatus(((Ingress) existing).getStatus());
    }
    return merged;
  }

  private static void keepAllocated(ServiceSpec desired, ServiceSpec existing) {
    desired.setClusterIP(existing.getClusterIP());
    desired.setClusterIPs(existing.getClusterIPs());
    desired.setIpFamilies(existing.getIpFamilies());
    desired.setIpFamilyPolicy(existing.getIpFamilyPolicy());
  }

  private static Map<String, String> union(Map<String, String> theirs, Map<String, String> ours) {
    Map<String, String> all = new LinkedHashMap<>();
    if (theirs != null) {
      all.putAll(theirs);
    }
    if (ours != null) {
      all.putAll(ours);
    }
    return all;
  }

  static String describe(HasMetadata object) {
    String namespace = object.getMetadata().getNamespace();
    return object.getKind()
        + " "
        + (namespace == null ? "" : namespace + "/")
        + object.getMetadata().getName();
  }
}
