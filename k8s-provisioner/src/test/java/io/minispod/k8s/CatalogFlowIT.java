package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.billing.BillingService;
import io.minispod.billing.MockPaymentGateway;
import io.minispod.catalog.Catalog;
import io.minispod.catalog.CatalogSeed;
import io.minispod.quota.QuotaManager;
import io.minispod.subscription.InstanceStatus;
import io.minispod.subscription.InvalidPlanException;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionStatus;
import io.minispod.subscription.Subscriptions;
import io.minispod.testkit.FreshDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The full subscribe → upgrade → cancel flow of catalog-core on this provisioner, against the
 * fabric8 mock API server: the catalog's n8n template becomes real objects, an upgrade resizes them
 * in place, a cancellation removes every one of them.
 */
final class CatalogFlowIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static MockKubernetes k8s;

  @BeforeAll
  static void startCluster() {
    k8s = MockKubernetes.start();
    k8s.storageClass("standard", true, true);
  }

  @AfterAll
  static void stopCluster() {
    k8s.close();
  }

  @Test
  void subscribeUpgradeCancel_n8nFromTheSeedCatalog_createsResizesAndRemovesItsObjects() {
    try (QuotaManager quota =
            QuotaManager.builder(db.dataSource()).reclaimInterval(Duration.ZERO).build();
        Catalog catalog = Catalog.builder(db.dataSource(), quota).listenForChanges(false).build();
        KubernetesProvisioner provisioner = k8s.open(k8s.provisioner())) {
      CatalogSeed.apply(catalog.admin());
      BillingService billing =
          BillingService.builder(db.dataSource()).paymentGateway(new MockPaymentGateway()).build();
      try (Subscriptions subscriptions =
          Subscriptions.builder(catalog, billing, provisioner).build()) {
        String user = "alice-" + UUID.randomUUID();

        Subscription basic =
            subscriptions.subscriptions().subscribe(user, "n8n", "basic", "subscribe");

        assertThat(basic.status()).isEqualTo(SubscriptionStatus.ACTIVE);
        assertThat(basic.instance().status()).isEqualTo(InstanceStatus.RUNNING);
        assertThat(basic.instance().url())
            .startsWith("https://n8n-")
            .endsWith("." + MockKubernetes.BASE_DOMAIN);
        UUID instanceId = basic.instance().id();
        String namespace = provisioner.namespaceOf(user);
        String app = basic.instance().url().substring("https://".length()).split("\\.")[0] + "-app";
        assertThat(limits(namespace, app))
            .isEqualTo(Map.of("cpu", new BigDecimal("0.5"), "memory", mib(512)));
        Map<String, String> secrets = secretData(namespace, app);
        assertThat(k8s.labelled(instanceId)).isNotEmpty();

        Subscription pro = subscriptions.upgrades().upgrade(user, basic.id(), "pro", "upgrade");

        assertThat(pro.plan().slug()).isEqualTo("pro");
        assertThat(limits(namespace, app))
            .isEqualTo(Map.of("cpu", new BigDecimal("1"), "memory", mib(1024)));
        assertThat(secretData(namespace, app)).isEqualTo(secrets);

        Subscription cancelled = subscriptions.subscriptions().cancel(user, basic.id());

        assertThat(cancelled.status()).isEqualTo(SubscriptionStatus.CANCELLED);
        assertThat(k8s.labelled(instanceId)).isEmpty();
        assertThat(quota.reconcile(false).isClean()).isTrue();
      }
    }
  }

  @Test
  void subscribe_clusterRefusesWithRbacText_subscriberSeesTheCategoryAndNoClusterText() {
    try (QuotaManager quota =
            QuotaManager.builder(db.dataSource()).reclaimInterval(Duration.ZERO).build();
        Catalog catalog = Catalog.builder(db.dataSource(), quota).listenForChanges(false).build();
        KubernetesProvisioner provisioner = k8s.open(k8s.provisioner())) {
      CatalogSeed.apply(catalog.admin());
      BillingService billing =
          BillingService.builder(db.dataSource()).paymentGateway(new MockPaymentGateway()).build();
      try (Subscriptions subscriptions =
          Subscriptions.builder(catalog, billing, provisioner).build()) {
        String user = "bob-" + UUID.randomUUID();
        String ns = provisioner.namespaceOf(user);
        k8s.server
            .expect()
            .post()
            .withPath("/apis/apps/v1/namespaces/" + ns + "/deployments")
            .andReturn(
                403,
                new StatusBuilder()
                    .withStatus("Failure")
                    .withCode(403)
                    .withReason("Forbidden")
                    .withMessage(
                        "deployments.apps is forbidden: User"
                            + " \"system:serviceaccount:minispod:provisioner\" cannot create"
                            + " resource \"deployments\" in API group \"apps\"")
                    .build())
            .always();

        MinisPodException seen =
            catchThrowableOfType(
                MinisPodException.class,
                () -> subscriptions.subscriptions().subscribe(user, "n8n", "basic", "k1"));

        assertThat(seen.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED);
        assertThat(seen.details()).containsEntry("reason", "REFUSED");
        assertThat(seen.getMessage() + " " + seen.details())
            .doesNotContainIgnoringCase("serviceaccount")
            .doesNotContain("forbidden", k8s.client.getMasterUrl().getAuthority());
      }
    }
  }

  @Test
  void subscribe_n8nWithoutTls_appIsToldTheHttpSchemeItsUrlHas() {
    try (QuotaManager quota =
            QuotaManager.builder(db.dataSource()).reclaimInterval(Duration.ZERO).build();
        Catalog catalog = Catalog.builder(db.dataSource(), quota).listenForChanges(false).build();
        KubernetesProvisioner provisioner = k8s.open(k8s.provisioner().clusterIssuer(null))) {
      CatalogSeed.apply(catalog.admin());
      BillingService billing =
          BillingService.builder(db.dataSource()).paymentGateway(new MockPaymentGateway()).build();
      try (Subscriptions subscriptions =
          Subscriptions.builder(catalog, billing, provisioner).build()) {
        String user = "carol-" + UUID.randomUUID();

        Subscription basic =
            subscriptions.subscriptions().subscribe(user, "n8n", "basic", "subscribe");

        String url = basic.instance().url();
        assertThat(url).startsWith("http://n8n-");
        String subdomain = url.substring("http://".length()).split("\\.")[0];
        Map<String, String> env =
            k8s.client
                .configMaps()
                .inNamespace(provisioner.namespaceOf(user))
                .withName(subdomain + "-app-env")
                .get()
                .getData();
        assertThat(env)
            .containsEntry("N8N_PROTOCOL", "http")
            .containsEntry("WEBHOOK_URL", url + "/");
      }
    }
  }

  @Test
  void upgrade_onStorageClassWithoutExpansion_isRefusedBeforeAnythingIsCharged() {
    k8s.storageClass("fixed", false, false);
    MockPaymentGateway gateway = new MockPaymentGateway();
    try (QuotaManager quota =
            QuotaManager.builder(db.dataSource()).reclaimInterval(Duration.ZERO).build();
        Catalog catalog = Catalog.builder(db.dataSource(), quota).listenForChanges(false).build();
        KubernetesProvisioner provisioner = k8s.open(k8s.provisioner().storageClass("fixed"))) {
      CatalogSeed.apply(catalog.admin());
      BillingService billing =
          BillingService.builder(db.dataSource()).paymentGateway(gateway).build();
      try (Subscriptions subscriptions =
          Subscriptions.builder(catalog, billing, provisioner).build()) {
        String user = "dave-" + UUID.randomUUID();
        Subscription basic =
            subscriptions.subscriptions().subscribe(user, "n8n", "basic", "subscribe");

        InvalidPlanException refused =
            catchThrowableOfType(
                InvalidPlanException.class,
                () -> subscriptions.upgrades().upgrade(user, basic.id(), "pro", "upgrade"));

        assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_PLAN);
        assertThat(refused.reason()).isEqualTo(InvalidPlanException.STORAGE_CANNOT_GROW);
        assertThat(gateway.charges()).hasSize(1);
        assertThat(subscriptions.upgrades().options(user, basic.id())).isEmpty();
        assertThat(subscriptions.subscriptions().subscription(user, basic.id()).plan().slug())
            .isEqualTo("basic");
      }
    }
  }

  private static Map<String, BigDecimal> limits(String namespace, String deployment) {
    ResourceRequirements resources =
        k8s.client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .withName(deployment)
            .get()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getResources();
    return Map.of(
        "cpu", Quantity.getAmountInBytes(resources.getLimits().get("cpu")).stripTrailingZeros(),
        "memory", Quantity.getAmountInBytes(resources.getLimits().get("memory")));
  }

  private static BigDecimal mib(long mib) {
    return BigDecimal.valueOf(mib * 1024 * 1024);
  }

  /** The generated secrets of the instance the app deployment belongs to. */
  private static Map<String, String> secretData(String namespace, String appDeployment) {
    String secretName =
        appDeployment.substring(0, appDeployment.length() - "-app".length()) + "-secrets";
    return k8s.client.secrets().inNamespace(namespace).withName(secretName).get().getData();
  }
}
