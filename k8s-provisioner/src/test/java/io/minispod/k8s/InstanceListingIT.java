package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.minispod.ErrorCode;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ObservedInstance;
import io.minispod.provisioner.ObservedInstance.State;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.provisioner.ResourceLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KubernetesProvisioner#instances()} against fabric8's mock API server, a fresh one per test
 * so that each sees exactly the instances it made: owners and limits, resizes and removals, objects
 * changed or deleted behind the provisioner's back, paging, and other tenants of the cluster.
 */
final class InstanceListingIT {

  private static final ResourceLimits BASIC = new ResourceLimits(500, 512, 5);
  private static final ResourceLimits PRO = new ResourceLimits(1000, 1024, 10);

  private MockKubernetes k8s;
  private KubernetesProvisioner provisioner;

  @BeforeEach
  void start() {
    k8s = MockKubernetes.start();
    k8s.storageClass("standard", true, true);
    provisioner = k8s.open(k8s.provisioner());
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  @Test
  void instances_provisioned_areListedWithTheirOwnerAndTheAppsLimits() {
    String alice = KubernetesProvisionerIT.owner();
    String bob = KubernetesProvisionerIT.owner();
    InstanceSpec n8n = KubernetesProvisionerIT.n8n(alice, BASIC);
    InstanceSpec ghost = KubernetesProvisionerIT.ghost(alice, PRO);
    InstanceSpec bobs = KubernetesProvisionerIT.n8n(bob, PRO);
    provisioner.provision(n8n);
    provisioner.provision(ghost);
    provisioner.provision(bobs);

    List<ObservedInstance> listed = provisioner.instances();

    // Ghost's are its app's limits (the plan's), not its MySQL companion's.
    assertThat(listed)
        .containsExactlyInAnyOrder(complete(n8n, BASIC), complete(ghost, PRO), complete(bobs, PRO));
    assertThat(listed).noneMatch(i -> i.driftedFrom(spec(i, n8n, ghost, bobs)));
  }

  @Test
  void instances_afterResizeAndDeprovision_listTheNewLimitsAndNotTheRemovedOne() {
    String owner = KubernetesProvisionerIT.owner();
    InstanceSpec kept = KubernetesProvisionerIT.n8n(owner, BASIC);
    InstanceSpec removed = KubernetesProvisionerIT.n8n(owner, BASIC);
    provisioner.provision(kept);
    provisioner.provision(removed);

    provisioner.resize(kept.resizedTo("pro", PRO));
    provisioner.deprovision(removed.ref());

    assertThat(provisioner.instances()).containsExactly(complete(kept, PRO));
  }

  @Test
  void instances_moreThanAPageOfEachKind_followTheContinueTokens() {
    KubernetesProvisioner paged = k8s.open(k8s.provisioner().listPageSize(2));
    String alice = KubernetesProvisionerIT.owner();
    String bob = KubernetesProvisionerIT.owner();
    String carol = KubernetesProvisionerIT.owner();
    List<ObservedInstance> expected = new ArrayList<>();
    for (String owner : List.of(alice, alice, bob, bob, carol)) {
      InstanceSpec spec = KubernetesProvisionerIT.n8n(owner, BASIC);
      paged.provision(spec);
      expected.add(complete(spec, BASIC));
    }

    assertThat(paged.instances()).containsExactlyInAnyOrderElementsOf(expected);
    // Pages of 2: 3 namespaces, 5 Deployments, 5 Ingresses, 5 claims and 3 quotas take 2 + 3 + 3 +
    // 3 + 2 pages, each one after the first of its listing asked for with a continue token.
    assertThat(k8s.paging.continuedPages()).isEqualTo(8);
    assertThat(provisioner.instances()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(k8s.paging.continuedPages()).isEqualTo(8);
  }

  @Test
  void instances_continueTokenExpires_startOverAndStillListEveryInstance() {
    KubernetesProvisioner paged = k8s.open(k8s.provisioner().listPageSize(1));
    InstanceSpec first = KubernetesProvisionerIT.n8n(KubernetesProvisionerIT.owner(), BASIC);
    InstanceSpec second = KubernetesProvisionerIT.n8n(KubernetesProvisionerIT.owner(), BASIC);
    paged.provision(first);
    paged.provision(second);

    k8s.paging.expireNextContinueTokens(Inventory.MAX_RESTARTS);
    assertThat(paged.instances())
        .containsExactlyInAnyOrder(complete(first, BASIC), complete(second, BASIC));

    k8s.paging.expireNextContinueTokens(Inventory.MAX_RESTARTS + 1);
    assertThatThrownBy(paged::instances)
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED);
              assertThat(e.retryable()).isTrue();
              assertThat(e.reason()).isEqualTo(FailureReason.CLUSTER_ERROR);
              assertThat(e.details()).containsOnlyKeys("reason", "reference");
              assertThat(e.platformDetail())
                  .contains(
                      "listing Namespaces labelled app.kubernetes.io/managed-by=minispod: the"
                          + " server expired the continue token 4 times");
            })
        .hasMessageStartingWith(
            "Provisioning failed: the platform is unavailable at the moment; try again later");
  }

  @Test
  void instances_objectsOfOtherAppsAndOtherProvisioners_areIgnored() {
    String owner = KubernetesProvisionerIT.owner();
    InstanceSpec ours = KubernetesProvisionerIT.n8n(owner, BASIC);
    provisioner.provision(ours);
    // Another provisioner on the same cluster, for the same owner, with namespaces of its own.
    KubernetesProvisioner tenant = k8s.open(k8s.provisioner().namespacePrefix("tenant-"));
    InstanceSpec theirs = KubernetesProvisionerIT.n8n(owner, PRO);
    tenant.provision(theirs);
    // Another app, with a look-alike instance label but not ours.
    create(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build());
    create(
        deployment("shop", "web", Map.of(KubernetesLabels.INSTANCE, UUID.randomUUID().toString())));
    // A namespace labelled as ours that names no owner, and one whose owner it is not named for.
    for (String name : List.of("minispod-stray", "minispod-renamed")) {
      NamespaceBuilder stray =
          new NamespaceBuilder()
              .withNewMetadata()
              .withName(name)
              .addToLabels(KubernetesLabels.MANAGED_BY, KubernetesLabels.MANAGED_BY_VALUE)
              .endMetadata();
      if (name.equals("minispod-renamed")) {
        stray
            .editMetadata()
            .addToAnnotations(KubernetesLabels.OWNER_ID_ANNOTATION, owner)
            .endMetadata();
      }
      create(stray.build());
      create(
          deployment(
              name,
              "app",
              Map.of(
                  KubernetesLabels.MANAGED_BY,
                  KubernetesLabels.MANAGED_BY_VALUE,
                  KubernetesLabels.INSTANCE,
                  UUID.randomUUID().toString())));
    }
    // In our namespace: another app's object with an instance label (the listing selects by label),
    // and one labelled as ours whose instance label is no id.
    create(
        deployment(
            provisioner.namespaceOf(owner),
            "sidecar",
            Map.of(KubernetesLabels.INSTANCE, UUID.randomUUID().toString())));
    create(
        deployment(
            provisioner.namespaceOf(owner),
            "helper",
            Map.of(
                KubernetesLabels.MANAGED_BY,
                KubernetesLabels.MANAGED_BY_VALUE,
                KubernetesLabels.INSTANCE,
                "not-a-uuid")));

    assertThat(provisioner.instances()).containsExactly(complete(ours, BASIC));
    assertThat(tenant.instances()).containsExactly(complete(theirs, PRO));
  }

  @Test
  void instances_appDeploymentDeletedByHand_isIncompleteUntilProvisionedOrRemoved() {
    InstanceSpec spec = KubernetesProvisionerIT.n8n(KubernetesProvisionerIT.owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    provisioner.provision(spec);

    k8s.client.apps().deployments().inNamespace(ns).withName(spec.subdomain() + "-app").delete();

    assertThat(provisioner.instances()).containsExactly(incomplete(spec));
    provisioner.provision(spec);
    assertThat(provisioner.instances()).containsExactly(complete(spec, BASIC));

    k8s.client.apps().deployments().inNamespace(ns).withName(spec.subdomain() + "-app").delete();
    ObservedInstance orphan = provisioner.instances().get(0);
    provisioner.deprovision(orphan.ref());

    assertThat(provisioner.instances()).isEmpty();
    assertThat(k8s.client.namespaces().withName(ns).get()).isNull();
  }

  @Test
  void instances_onlyItsQuotaShareLeft_isIncompleteSoItCanBeRemoved() {
    InstanceSpec spec = KubernetesProvisionerIT.n8n(KubernetesProvisionerIT.owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    provisioner.provision(spec);
    for (Class<? extends HasMetadata> kind : InstanceKinds.ALL) {
      k8s.client
          .resources(kind)
          .inNamespace(ns)
          .withLabel(KubernetesLabels.INSTANCE, spec.instanceId().toString())
          .delete();
    }

    assertThat(provisioner.instances()).containsExactly(incomplete(spec));
    provisioner.deprovision(spec.ref());
    assertThat(provisioner.instances()).isEmpty();
  }

  @Test
  void instances_companionDeploymentMissing_isIncomplete() {
    InstanceSpec spec = KubernetesProvisionerIT.ghost(KubernetesProvisionerIT.owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    provisioner.provision(spec);

    k8s.client.apps().deployments().inNamespace(ns).withName(spec.subdomain() + "-mysql").delete();

    assertThat(provisioner.instances()).containsExactly(incomplete(spec));
  }

  @Test
  void instances_limitsEditedByHand_areReportedAsDriftUntilResized() {
    InstanceSpec spec = KubernetesProvisionerIT.n8n(KubernetesProvisionerIT.owner(), BASIC);
    provisioner.provision(spec);

    editAppLimits(spec, Map.of("cpu", new Quantity("0.25"), "memory", new Quantity("1Gi")));

    ObservedInstance drifted = provisioner.instances().get(0);
    assertThat(drifted).isEqualTo(complete(spec, new ResourceLimits(250, 1024, 5)));
    assertThat(drifted.driftedFrom(spec)).isTrue();
    provisioner.resize(spec);
    assertThat(provisioner.instances()).containsExactly(complete(spec, BASIC));
  }

  @Test
  void instances_appLimitsRemovedOrUnreadable_isIncomplete() {
    InstanceSpec spec = KubernetesProvisionerIT.n8n(KubernetesProvisionerIT.owner(), BASIC);
    provisioner.provision(spec);

    editAppLimits(spec, Map.of("cpu", new Quantity("0")));
    assertThat(provisioner.instances()).containsExactly(incomplete(spec));

    editAppLimits(spec, null);
    assertThat(provisioner.instances()).containsExactly(incomplete(spec));

    editAppLimits(spec, Map.of("cpu", new Quantity("1e12"), "memory", new Quantity("1Gi")));
    assertThat(provisioner.instances()).containsExactly(incomplete(spec));
  }

  @Test
  void instances_namespaceBeingDeleted_isDeleting() {
    InstanceSpec spec = KubernetesProvisionerIT.n8n(KubernetesProvisionerIT.owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    provisioner.provision(spec);

    k8s.client
        .namespaces()
        .withName(ns)
        .edit(
            n ->
                new NamespaceBuilder(n)
                    .editMetadata()
                    .addToFinalizers("example.com/slow")
                    .endMetadata()
                    .build());
    k8s.client.namespaces().withName(ns).delete();

    assertThat(provisioner.instances())
        .containsExactly(
            new ObservedInstance(spec.instanceId(), spec.ownerId(), State.DELETING, null));
  }

  @Test
  void instances_volumeStillTerminatingAfterDeprovision_isDeleting() {
    String owner = KubernetesProvisionerIT.owner();
    InstanceSpec gone = KubernetesProvisionerIT.n8n(owner, BASIC);
    InstanceSpec other = KubernetesProvisionerIT.n8n(owner, BASIC);
    String ns = provisioner.namespaceOf(owner);
    provisioner.provision(gone);
    provisioner.provision(other);
    // As the kubelet's pvc-protection holds a claim whose pod has not stopped yet.
    k8s.client
        .persistentVolumeClaims()
        .inNamespace(ns)
        .withName(gone.subdomain() + "-app-data")
        .edit(
            c -> {
              c.getMetadata().getFinalizers().add("kubernetes.io/pvc-protection");
              return c;
            });

    provisioner.deprovision(gone.ref());

    assertThat(provisioner.instances())
        .containsExactlyInAnyOrder(
            new ObservedInstance(gone.instanceId(), owner, State.DELETING, null),
            complete(other, BASIC));
  }

  @Test
  void instances_apiServerFailing_failsRetryableNamingTheListing() {
    k8s.server
        .expect()
        .get()
        .withPath(
            "/apis/apps/v1/deployments?labelSelector="
                + "app.kubernetes.io%2Fmanaged-by%3Dminispod&limit=500")
        .andReturn(
            503,
            new StatusBuilder()
                .withStatus("Failure")
                .withCode(503)
                .withReason("ServiceUnavailable")
                .withMessage("etcd cluster is unavailable")
                .build())
        .times(3);

    assertThatThrownBy(provisioner::instances)
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.reason()).isEqualTo(FailureReason.CLUSTER_ERROR);
              assertThat(e.platformDetail())
                  .contains(
                      "listing Deployments labelled app.kubernetes.io/managed-by=minispod failed"
                          + " after 3 attempts: HTTP 503: etcd cluster is unavailable");
            })
        .hasMessageNotContaining("etcd");
  }

  // ---------------------------------------------------------------- helpers

  private static ObservedInstance complete(InstanceSpec spec, ResourceLimits resources) {
    return new ObservedInstance(spec.instanceId(), spec.ownerId(), State.COMPLETE, resources);
  }

  private static ObservedInstance incomplete(InstanceSpec spec) {
    return new ObservedInstance(spec.instanceId(), spec.ownerId(), State.INCOMPLETE, null);
  }

  private static InstanceSpec spec(ObservedInstance observed, InstanceSpec... specs) {
    for (InstanceSpec spec : specs) {
      if (spec.instanceId().equals(observed.instanceId())) {
        return spec;
      }
    }
    throw new AssertionError("no spec for " + observed);
  }

  /**
   * Sets the app container's limits (and requests), as {@code kubectl set resources} would: read,
   * change, write back with the version read, and again when the fake cluster's status update of
   * the Deployment won the race (409), as kubectl does.
   */
  private void editAppLimits(InstanceSpec spec, Map<String, Quantity> limits) {
    for (int attempt = 1; ; attempt++) {
      try {
        k8s.client
            .apps()
            .deployments()
            .inNamespace(provisioner.namespaceOf(spec.ownerId()))
            .withName(spec.subdomain() + "-app")
            .edit(
                d -> {
                  var resources =
                      d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
                  resources.setLimits(limits);
                  resources.setRequests(limits);
                  return d;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private <T extends HasMetadata> void create(T object) {
    k8s.client.resource(object).create();
  }

  private static Deployment deployment(String namespace, String name, Map<String, String> labels) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(name)
        .withImage("nginx:1.27.3")
        .withNewResources()
        .addToLimits("cpu", new Quantity("100m"))
        .addToLimits("memory", new Quantity("64Mi"))
        .endResources()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
