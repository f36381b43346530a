package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.minispod.ErrorCode;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.InstanceHealth;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProvisionedInstance;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.provisioner.ResourceLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provisioner against fabric8's mock API server in CRUD mode: the exact objects for n8n and
 * Ghost, idempotency, readiness and its failures, resizing, removal, health and usage.
 */
final class KubernetesProvisionerIT {

  private static final ResourceLimits BASIC = new ResourceLimits(500, 512, 5);
  private static final ResourceLimits PRO = new ResourceLimits(1000, 1024, 10);

  private static MockKubernetes k8s;
  private static KubernetesProvisioner provisioner;

  @BeforeAll
  static void start() {
    k8s = MockKubernetes.start();
    k8s.storageClass("standard", true, true);
    k8s.storageClass("fixed", false, false);
    provisioner = k8s.open(k8s.provisioner());
  }

  @AfterAll
  static void stop() {
    k8s.close();
  }

  // ---------------------------------------------------------------- the objects

  @Test
  void provision_n8n_writesIsolatedNamespaceAndEveryObjectOfTheInstance() {
    InstanceSpec spec = n8n(owner(), PRO);
    String ns = provisioner.namespaceOf(spec.ownerId());
    String sub = spec.subdomain();
    String host = sub + "." + MockKubernetes.BASE_DOMAIN;

    ProvisionedInstance result = provisioner.provision(spec);

    assertThat(result.url()).isEqualTo("https://" + host);
    assertThat(result.namespace()).isEqualTo(ns).startsWith("minispod-");
    assertThat(ns).doesNotContain(spec.ownerId());

    Namespace namespace = k8s.client.namespaces().withName(ns).get();
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
        .containsEntry("pod-security.kubernetes.io/warn", "restricted")
        .containsEntry("pod-security.kubernetes.io/audit", "restricted")
        .containsEntry(KubernetesLabels.MANAGED_BY, "minispod")
        .containsEntry(KubernetesLabels.OWNER, Names.ownerKey(spec.ownerId()));
    assertThat(namespace.getMetadata().getAnnotations())
        .containsEntry(KubernetesLabels.OWNER_ID_ANNOTATION, spec.ownerId());

    // The plan plus cert-manager's solver headroom (100m, 64Mi, one pod).
    assertThat(hard(ns))
        .containsEntry("requests.cpu", "1100m")
        .containsEntry("limits.cpu", "1100m")
        .containsEntry("requests.memory", "1088Mi")
        .containsEntry("limits.memory", "1088Mi")
        .containsEntry("requests.storage", "10Gi")
        .containsEntry("persistentvolumeclaims", "1")
        .containsEntry("pods", "2")
        .containsEntry("services.loadbalancers", "0")
        .containsEntry("services.nodeports", "0");
    LimitRange limits = get(LimitRange.class, ns, "minispod-defaults");
    assertThat(limits.getSpec().getLimits().get(0).getDefault())
        .containsEntry("cpu", new Quantity("250m"));

    Map<String, NetworkPolicy> policies = new TreeMap<>();
    k8s.client
        .network()
        .v1()
        .networkPolicies()
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(p -> policies.put(p.getMetadata().getName(), p));
    assertThat(policies)
        .containsOnlyKeys(
            "minispod-default-deny",
            "minispod-allow-dns",
            "minispod-allow-https-egress",
            "minispod-allow-acme-solver",
            sub + "-allow-ingress",
            sub + "-allow-internal");
    NetworkPolicy deny = policies.get("minispod-default-deny");
    assertThat(deny.getSpec().getPodSelector().getMatchLabels()).isEmpty();
    assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(deny.getSpec().getIngress()).isEmpty();
    assertThat(deny.getSpec().getEgress()).isEmpty();
    assertThat(policies.get("minispod-allow-dns").getSpec().getEgress().get(0).getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("UDP/53", "TCP/53");
    var https = policies.get("minispod-allow-https-egress").getSpec().getEgress().get(0);
    assertThat(https.getPorts().get(0).getPort().getIntVal()).isEqualTo(443);
    assertThat(https.getTo().get(0).getIpBlock().getExcept())
        .contains("10.0.0.0/8", "169.254.0.0/16");
    var fromIngress = policies.get(sub + "-allow-ingress").getSpec();
    assertThat(fromIngress.getPodSelector().getMatchLabels())
        .containsEntry(KubernetesLabels.INSTANCE, spec.instanceId().toString())
        .containsEntry(KubernetesLabels.COMPONENT, "app");
    assertThat(
            fromIngress
                .getIngress()
                .get(0)
                .getFrom()
                .get(0)
                .getNamespaceSelector()
                .getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "ingress-nginx");
    assertThat(fromIngress.getIngress().get(0).getPorts().get(0).getPort().getIntVal())
        .isEqualTo(5678);
    var internal = policies.get(sub + "-allow-internal").getSpec();
    assertThat(internal.getIngress().get(0).getFrom().get(0).getPodSelector().getMatchLabels())
        .containsExactly(Map.entry(KubernetesLabels.INSTANCE, spec.instanceId().toString()));
    assertThat(internal.getEgress().get(0).getTo().get(0).getPodSelector().getMatchLabels())
        .containsExactly(Map.entry(KubernetesLabels.INSTANCE, spec.instanceId().toString()));

    Secret secret = get(Secret.class, ns, sub + "-secrets");
    assertThat(decode(secret)).containsOnlyKeys("n8n-encryption-key");
    assertThat(decode(secret).get("n8n-encryption-key")).matches("[0-9a-f]{48}");
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry(KubernetesLabels.FIRST_READY_ANNOTATION, MockKubernetes.NOW.toString());

    assertThat(get(ConfigMap.class, ns, sub + "-app-env").getData())
        .containsEntry("N8N_HOST", host)
        .containsEntry("N8N_PROTOCOL", "https")
        .containsEntry("WEBHOOK_URL", "https://" + host + "/")
        .doesNotContainKey("N8N_ENCRYPTION_KEY");

    PersistentVolumeClaim claim = get(PersistentVolumeClaim.class, ns, sub + "-app-data");
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(claim.getSpec().getResources().getRequests())
        .containsEntry("storage", new Quantity("10Gi"));

    Deployment deployment = get(Deployment.class, ns, sub + "-app");
    assertThat(deployment.getSpec().getReplicas()).isOne();
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getEnableServiceLinks()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(1000L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(1000L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container app = pod.getContainers().get(0);
    assertThat(app.getImage()).isEqualTo(AppTemplates.N8N_IMAGE);
    assertThat(app.getResources().getRequests())
        .containsEntry("cpu", new Quantity("1000m"))
        .containsEntry("memory", new Quantity("1024Mi"));
    assertThat(app.getResources().getLimits()).isEqualTo(app.getResources().getRequests());
    assertThat(app.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(app.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(app.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz/readiness");
    assertThat(app.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(5678);
    assertThat(app.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(app.getEnv().get(0).getName()).isEqualTo("N8N_ENCRYPTION_KEY");
    assertThat(app.getEnv().get(0).getValueFrom().getSecretKeyRef().getName())
        .isEqualTo(sub + "-secrets");
    assertThat(app.getVolumeMounts().get(0).getMountPath()).isEqualTo("/home/node/.n8n");
    assertThat(pod.getVolumes().get(0).getPersistentVolumeClaim().getClaimName())
        .isEqualTo(sub + "-app-data");

    Service service = get(Service.class, ns, sub);
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(5678);
    assertThat(service.getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

    Ingress ingress = get(Ingress.class, ns, sub);
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getRules().get(0).getHost()).isEqualTo(host);
    assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo(sub + "-tls");
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");

    List<HasMetadata> objects = k8s.labelled(spec.instanceId());
    assertThat(objects)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "Ingress/" + sub,
            "Service/" + sub,
            "Deployment/" + sub + "-app",
            "ConfigMap/" + sub + "-app-env",
            "Secret/" + sub + "-secrets",
            "PersistentVolumeClaim/" + sub + "-app-data",
            "NetworkPolicy/" + sub + "-allow-ingress",
            "NetworkPolicy/" + sub + "-allow-internal");
    assertThat(objects)
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getLabels())
                    .containsEntry(KubernetesLabels.MANAGED_BY, "minispod")
                    .containsEntry(KubernetesLabels.OWNER, Names.ownerKey(spec.ownerId()))
                    .containsEntry(KubernetesLabels.PLAN, "pro")
                    .containsEntry(KubernetesLabels.NAME, "n8n"));
  }

  @Test
  void provision_ghost_runsMysqlCompanionWiredIntoGhostsDatabaseSettings() {
    InstanceSpec spec = ghost(owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    String sub = spec.subdomain();

    provisioner.provision(spec);

    Deployment ghost = get(Deployment.class, ns, sub + "-app");
    Deployment mysql = get(Deployment.class, ns, sub + "-mysql");
    Service mysqlService = get(Service.class, ns, sub + "-mysql");
    assertThat(mysqlService.getSpec().getPorts().get(0).getPort()).isEqualTo(3306);
    assertThat(mysqlService.getSpec().getSelector())
        .containsEntry(KubernetesLabels.COMPONENT, "mysql");
    assertThat(get(ConfigMap.class, ns, sub + "-app-env").getData())
        .containsEntry("database__client", "mysql")
        .containsEntry("database__connection__host", sub + "-mysql")
        .containsEntry("database__connection__user", "ghost")
        .containsEntry("url", "https://" + sub + "." + MockKubernetes.BASE_DOMAIN);
    assertThat(get(ConfigMap.class, ns, sub + "-mysql-env").getData())
        .containsEntry("MYSQL_DATABASE", "ghost")
        .containsEntry("MYSQL_USER", "ghost");

    Map<String, String> secrets = decode(get(Secret.class, ns, sub + "-secrets"));
    assertThat(secrets).containsOnlyKeys("mysql-password", "mysql-root-password");
    assertThat(secrets.get("mysql-password")).isNotEqualTo(secrets.get("mysql-root-password"));
    assertThat(secretRef(ghost, "database__connection__password")).isEqualTo("mysql-password");
    assertThat(secretRef(mysql, "MYSQL_PASSWORD")).isEqualTo("mysql-password");
    assertThat(secretRef(mysql, "MYSQL_ROOT_PASSWORD")).isEqualTo("mysql-root-password");

    Container db = mysql.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(db.getImage()).isEqualTo(AppTemplates.MYSQL_IMAGE);
    assertThat(db.getReadinessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(3306);
    assertThat(db.getLivenessProbe()).isNull();
    assertThat(db.getResources().getLimits()).containsEntry("cpu", new Quantity("250m"));
    assertThat(mysql.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
        .isEqualTo(999L);
    assertThat(
            ghost
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getReadinessProbe()
                .getHttpGet()
                .getPath())
        .isEqualTo("/ghost/api/admin/site/");
    assertThat(
            get(PersistentVolumeClaim.class, ns, sub + "-mysql-data")
                .getSpec()
                .getResources()
                .getRequests())
        .containsEntry("storage", new Quantity("2Gi"));
    // Ghost 500m/512Mi/5Gi + MySQL 250m/512Mi/2Gi + solver headroom 100m/64Mi.
    assertThat(hard(ns))
        .containsEntry("requests.cpu", "850m")
        .containsEntry("requests.memory", "1088Mi")
        .containsEntry("requests.storage", "7Gi")
        .containsEntry("pods", "3")
        .containsEntry("persistentvolumeclaims", "2");
  }

  // ---------------------------------------------------------------- idempotency

  @Test
  void provision_twice_changesNoObjectAndKeepsSecrets() {
    InstanceSpec spec = ghost(owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    provisioner.provision(spec);
    Map<String, String> before = k8s.versions(ns);
    Map<String, String> secrets = decode(get(Secret.class, ns, spec.subdomain() + "-secrets"));

    provisioner.provision(spec);

    assertThat(k8s.versions(ns)).isEqualTo(before);
    assertThat(decode(get(Secret.class, ns, spec.subdomain() + "-secrets"))).isEqualTo(secrets);
  }

  @Test
  void provision_secondInstanceOfOwner_sharesNamespaceAndQuotaIsTheSum() {
    String owner = owner();
    InstanceSpec n8n = n8n(owner, BASIC);
    InstanceSpec ghost = ghost(owner, BASIC);
    String ns = provisioner.namespaceOf(owner);

    provisioner.provision(n8n);
    provisioner.provision(ghost);

    assertThat(hard(ns))
        .containsEntry("requests.cpu", "1350m")
        .containsEntry("requests.memory", "1600Mi")
        .containsEntry("requests.storage", "12Gi")
        .containsEntry("pods", "4");

    provisioner.deprovision(n8n.ref());

    assertThat(k8s.labelled(n8n.instanceId())).isEmpty();
    assertThat(k8s.client.namespaces().withName(ns).get()).isNotNull();
    assertThat(hard(ns)).containsEntry("requests.cpu", "850m").containsEntry("pods", "3");
    assertThat(get(Deployment.class, ns, ghost.subdomain() + "-app")).isNotNull();
  }

  @Test
  void provision_eightInstancesOfOneOwnerConcurrently_quotaCountsEveryOne() throws Exception {
    String owner = owner();
    List<InstanceSpec> specs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      specs.add(n8n(owner, new ResourceLimits(200, 256, 1)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<ProvisionedInstance>> results = new ArrayList<>();
      for (InstanceSpec spec : specs) {
        results.add(pool.submit(() -> provisioner.provision(spec)));
      }
      int provisioned = 0;
      for (Future<ProvisionedInstance> result : results) {
        result.get();
        provisioned++;
      }
      assertThat(provisioned).isEqualTo(8);
    } finally {
      pool.shutdownNow();
    }

    String ns = provisioner.namespaceOf(owner);
    ResourceQuota quota = get(ResourceQuota.class, ns, "minispod-quota");
    assertThat(quota.getMetadata().getAnnotations().keySet())
        .filteredOn(k -> k.startsWith(KubernetesLabels.QUOTA_SHARE_PREFIX))
        .hasSize(8);
    assertThat(hard(ns))
        .containsEntry("requests.cpu", "1700m")
        .containsEntry("requests.memory", "2112Mi")
        .containsEntry("requests.storage", "8Gi")
        .containsEntry("pods", "9");
  }

  // ---------------------------------------------------------------- readiness

  @Test
  void provision_imageCannotBePulled_failsAtOnceNamingItAndLeavesNothing() {
    InstanceSpec spec = n8n(owner(), BASIC);
    k8s.cluster.behave(
        spec.instanceId(),
        FakeCluster.waiting(
            "ImagePullBackOff", "Back-off pulling image \"n8nio/n8n:2.10.2\": manifest unknown"));
    KubernetesProvisioner patient =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofSeconds(60)));

    long started = System.nanoTime();
    assertThatThrownBy(() -> patient.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED);
              Failures.failed(FailureReason.IMAGE_PULL, false).accept(e);
            })
        .extracting(Failures::platformDetail, STRING)
        .contains("image pull failed for container app (n8nio/n8n:2.10.2)")
        .contains("ImagePullBackOff")
        .contains("manifest unknown");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertThat(k8s.labelled(spec.instanceId())).isEmpty();
    assertThat(k8s.client.namespaces().withName(provisioner.namespaceOf(spec.ownerId())).get())
        .isNull();
  }

  @Test
  void provision_podUnschedulable_timesOutNamingTheSchedulersReason() {
    InstanceSpec spec = n8n(owner(), BASIC);
    k8s.cluster.behave(
        spec.instanceId(),
        FakeCluster.unschedulable("0/3 nodes are available: 3 Insufficient cpu."));
    KubernetesProvisioner hasty =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofMillis(400)));

    assertThatThrownBy(() -> hasty.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.UNSCHEDULABLE, true))
        .extracting(Failures::platformDetail, STRING)
        .contains("not ready after PT0.4S")
        .contains("is unschedulable: 0/3 nodes are available: 3 Insufficient cpu.");

    assertThat(k8s.labelled(spec.instanceId())).isEmpty();
  }

  @Test
  void provision_quotaRefusesPods_timesOutNamingTheQuota() {
    InstanceSpec spec = n8n(owner(), BASIC);
    k8s.cluster.behave(spec.instanceId(), FakeCluster.quotaRefusal());
    KubernetesProvisioner hasty =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofMillis(400)));

    assertThatThrownBy(() -> hasty.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.QUOTA, false))
        .extracting(Failures::platformDetail, STRING)
        .contains("quota exceeded for " + spec.subdomain() + "-app-")
        .contains("exceeded quota: minispod-quota");
  }

  @Test
  void provision_crashLoop_timesOutNamingRestartsAndExitCode() {
    InstanceSpec spec = n8n(owner(), BASIC);
    k8s.cluster.behave(spec.instanceId(), FakeCluster.crashLoop(1));
    KubernetesProvisioner hasty =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofMillis(400)));

    assertThatThrownBy(() -> hasty.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.CRASH_LOOP, false))
        .extracting(Failures::platformDetail, STRING)
        .contains("container app is in a crash loop (4 restarts, last exit code 1 Error)");
  }

  @Test
  void provision_nothingExplainsTheWait_timesOutRetryable() {
    InstanceSpec spec = n8n(owner(), BASIC);
    k8s.cluster.behave(spec.instanceId(), FakeCluster.HOLD);
    KubernetesProvisioner hasty =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofMillis(300)));

    assertThatThrownBy(() -> hasty.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.TIMEOUT, true))
        .extracting(Failures::platformDetail, STRING)
        .contains(
            "Deployment " + spec.subdomain() + "-app is not available and no pod status or event");
  }

  @Test
  void provision_threadInterruptedWhileWaiting_failsRetryable() throws Exception {
    InstanceSpec spec = n8n(owner(), BASIC);
    k8s.cluster.behave(spec.instanceId(), FakeCluster.HOLD);
    KubernetesProvisioner patient =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofSeconds(30)));
    String ns = provisioner.namespaceOf(spec.ownerId());
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean interruptedAfter =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread node =
        new Thread(
            () -> {
              try {
                patient.provision(spec);
              } catch (RuntimeException e) {
                failure.set(e);
              }
              interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
    node.start();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> get(Ingress.class, ns, spec.subdomain()) != null);

    node.interrupt();
    node.join(10_000);

    assertThat(failure.get())
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.INTERRUPTED, true))
        .extracting(Failures::platformDetail, STRING)
        .contains("watching Deployment " + ns + "/" + spec.subdomain() + "-app was interrupted");
    assertThat(interruptedAfter.get()).as("the interrupt is kept for the caller").isTrue();
  }

  @Test
  void provision_runningInstanceFailsToBecomeReadyAgain_isKept() {
    InstanceSpec spec = n8n(owner(), BASIC);
    provisioner.provision(spec);
    k8s.cluster.behave(spec.instanceId(), FakeCluster.HOLD);
    KubernetesProvisioner hasty =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofMillis(300)));
    InstanceSpec changed = spec.resizedTo("basic", new ResourceLimits(600, 512, 5));

    assertThatThrownBy(() -> hasty.provision(changed)).isInstanceOf(ProvisioningException.class);

    assertThat(k8s.labelled(spec.instanceId())).hasSize(8);
  }

  @Test
  void provision_namespaceStillTerminating_waitsThenFailsRetryable() {
    InstanceSpec spec = n8n(owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    terminatingNamespace(ns);
    KubernetesProvisioner hasty =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofMillis(300)));

    assertThatThrownBy(() -> hasty.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.BUSY, true))
        .extracting(Failures::platformDetail, STRING)
        .contains("namespace " + ns + " is still being deleted");
    assertThat(k8s.labelled(spec.instanceId())).isEmpty();
  }

  @Test
  void provision_namespaceFinishesDeletingMeanwhile_isRecreatedAndProvisioned() throws Exception {
    InstanceSpec spec = n8n(owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    terminatingNamespace(ns);
    ExecutorService node = Executors.newSingleThreadExecutor();
    try {
      Future<ProvisionedInstance> result = node.submit(() -> provisioner.provision(spec));
      awaitRequest("/api/v1/namespaces?", "metadata.name%3D" + ns, "watch=true");
      k8s.client
          .namespaces()
          .withName(ns)
          .edit(
              n ->
                  new io.fabric8.kubernetes.api.model.NamespaceBuilder(n)
                      .editMetadata()
                      .withFinalizers()
                      .endMetadata()
                      .build());

      assertThat(result.get(10, java.util.concurrent.TimeUnit.SECONDS).namespace()).isEqualTo(ns);
    } finally {
      node.shutdownNow();
    }
    Namespace recreated = k8s.client.namespaces().withName(ns).get();
    assertThat(recreated.getMetadata().getDeletionTimestamp()).isNull();
    assertThat(recreated.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    assertThat(k8s.labelled(spec.instanceId())).hasSize(8);
  }

  @Test
  void provision_volumeOfAnEarlierAttemptStillTerminating_failsRetryable() {
    InstanceSpec spec = n8n(owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    String claim = spec.subdomain() + "-app-data";
    k8s.client
        .resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(claim)
                .withNamespace(ns)
                .addToLabels(KubernetesLabels.INSTANCE, spec.instanceId().toString())
                .addToFinalizers("kubernetes.io/pvc-protection")
                .endMetadata()
                .withNewSpec()
                .withNewResources()
                .addToRequests("storage", new Quantity("5Gi"))
                .endResources()
                .endSpec()
                .build())
        .create();
    k8s.client.persistentVolumeClaims().inNamespace(ns).withName(claim).delete();

    assertThatThrownBy(() -> provisioner.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.BUSY, true))
        .extracting(Failures::platformDetail, STRING)
        .contains(
            "writing PersistentVolumeClaim "
                + ns
                + "/"
                + claim
                + " failed after 3 attempts: PersistentVolumeClaim "
                + ns
                + "/"
                + claim
                + " is still being deleted");
  }

  @Test
  void provision_specGainsAGeneratedSecret_addsItAndKeepsTheOthers() {
    InstanceSpec spec = n8n(owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    provisioner.provision(spec);
    String key =
        decode(get(Secret.class, ns, spec.subdomain() + "-secrets")).get("n8n-encryption-key");
    InstanceSpec withJwt =
        new InstanceSpec(
            spec.instanceId(),
            spec.ownerId(),
            spec.subdomain(),
            spec.serviceSlug(),
            spec.planSlug(),
            new io.minispod.provisioner.ContainerSpec(
                "app",
                spec.app().image(),
                spec.app().port(),
                spec.app().env(),
                Map.of("N8N_ENCRYPTION_KEY", "n8n-encryption-key", "N8N_JWT_SECRET", "jwt"),
                spec.app().volumePath(),
                spec.app().readiness(),
                spec.app().liveness(),
                1000L,
                1000L,
                BASIC),
            List.of(),
            java.util.Set.of("n8n-encryption-key", "jwt"));

    provisioner.provision(withJwt);

    Secret secret = get(Secret.class, ns, spec.subdomain() + "-secrets");
    assertThat(decode(secret)).containsEntry("n8n-encryption-key", key).containsKey("jwt");
    assertThat(secret.getMetadata().getAnnotations())
        .containsKey(KubernetesLabels.FIRST_READY_ANNOTATION);
  }

  @Test
  void provision_latestWarningEvent_isTheReason() {
    InstanceSpec spec = n8n(owner(), BASIC);
    k8s.cluster.behave(
        spec.instanceId(),
        FakeCluster.warnings(
            "FailedCreate",
            "pods is forbidden: violates PodSecurity \"restricted:latest\"",
            60,
            "FailedScheduling",
            "0/1 nodes are available: 1 node(s) had untolerated taint",
            5,
            "FailedMount",
            "MountVolume.SetUp failed for volume \"data\"",
            30));
    KubernetesProvisioner hasty =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofMillis(300)));

    assertThatThrownBy(() -> hasty.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.UNSCHEDULABLE, true))
        .extracting(Failures::platformDetail, STRING)
        .contains(
            "-app-5d9c7b8f4 is unschedulable: 0/1 nodes are available: 1 node(s) had untolerated taint");
  }

  @Test
  void provision_olderWarningOnly_isReportedWithItsReason() {
    InstanceSpec spec = n8n(owner(), BASIC);
    k8s.cluster.behave(
        spec.instanceId(),
        FakeCluster.warnings(
            "FailedCreate", "pods is forbidden: violates PodSecurity \"restricted:latest\"", 60));
    KubernetesProvisioner hasty =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofMillis(300)));

    assertThatThrownBy(() -> hasty.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.REFUSED, false))
        .extracting(Failures::platformDetail, STRING)
        .contains("-app-5d9c7b8f4: FailedCreate: pods is forbidden: violates PodSecurity");
  }

  @Test
  void provision_progressDeadlineExceeded_isTheReason() {
    InstanceSpec spec = n8n(owner(), BASIC);
    k8s.cluster.behave(spec.instanceId(), FakeCluster.progressDeadlineExceeded());
    KubernetesProvisioner hasty =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofMillis(300)));

    assertThatThrownBy(() -> hasty.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.TIMEOUT, false))
        .extracting(Failures::platformDetail, STRING)
        .contains("ProgressDeadlineExceeded: ReplicaSet")
        .contains("has timed out progressing");
  }

  // ---------------------------------------------------------------- resizing

  @Test
  void resize_toHigherPlan_growsRequestsQuotaAndVolumeAndKeepsSecrets() {
    InstanceSpec basic = n8n(owner(), BASIC);
    String ns = provisioner.namespaceOf(basic.ownerId());
    String sub = basic.subdomain();
    provisioner.provision(basic);
    Map<String, String> secrets = decode(get(Secret.class, ns, sub + "-secrets"));

    provisioner.resize(basic.resizedTo("pro", PRO));

    Container app =
        get(Deployment.class, ns, sub + "-app")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(app.getResources().getLimits())
        .containsEntry("cpu", new Quantity("1000m"))
        .containsEntry("memory", new Quantity("1024Mi"));
    assertThat(
            get(PersistentVolumeClaim.class, ns, sub + "-app-data")
                .getSpec()
                .getResources()
                .getRequests())
        .containsEntry("storage", new Quantity("10Gi"));
    assertThat(hard(ns))
        .containsEntry("requests.cpu", "1100m")
        .containsEntry("requests.storage", "10Gi");
    assertThat(decode(get(Secret.class, ns, sub + "-secrets"))).isEqualTo(secrets);
    assertThat(k8s.labelled(basic.instanceId()))
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getLabels())
                    .containsEntry(KubernetesLabels.PLAN, "pro"));
  }

  @Test
  void resize_storageWouldShrink_isRefusedBeforeAnythingChanges() {
    InstanceSpec pro = n8n(owner(), PRO);
    String ns = provisioner.namespaceOf(pro.ownerId());
    provisioner.provision(pro);
    Map<String, String> before = k8s.versions(ns);

    assertThatThrownBy(() -> provisioner.resize(pro.resizedTo("basic", BASIC)))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.STORAGE, false))
        .extracting(Failures::platformDetail, STRING)
        .contains("storage cannot shrink: volume of app has 10Gi, the plan asks for 5Gi");

    assertThat(k8s.versions(ns)).isEqualTo(before);
  }

  @Test
  void resize_storageClassCannotExpand_isRefusedBeforeAnythingChanges() {
    KubernetesProvisioner onFixed = k8s.open(k8s.provisioner().storageClass("fixed"));
    InstanceSpec basic = n8n(owner(), BASIC);
    String ns = provisioner.namespaceOf(basic.ownerId());
    onFixed.provision(basic);
    Map<String, String> before = k8s.versions(ns);

    assertThatThrownBy(() -> onFixed.resize(basic.resizedTo("pro", PRO)))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.STORAGE, false))
        .extracting(Failures::platformDetail, STRING)
        .contains(
            "storage of app cannot grow from 5Gi to 10Gi: storage class fixed does not allow volume"
                + " expansion; nothing was changed");

    assertThat(k8s.versions(ns)).isEqualTo(before);
  }

  @Test
  void resize_sameStorageOnFixedClass_changesCpuAndMemoryOnly() {
    KubernetesProvisioner onFixed = k8s.open(k8s.provisioner().storageClass("fixed"));
    InstanceSpec basic = n8n(owner(), BASIC);
    onFixed.provision(basic);

    onFixed.resize(basic.resizedTo("pro", new ResourceLimits(1000, 1024, 5)));

    assertThat(hard(provisioner.namespaceOf(basic.ownerId())))
        .containsEntry("requests.cpu", "1100m")
        .containsEntry("requests.storage", "5Gi");
  }

  @Test
  void resize_storageClassMissing_isRefusedBeforeAnythingChanges() {
    KubernetesProvisioner onMissing = k8s.open(k8s.provisioner().storageClass("gone"));
    InstanceSpec basic = n8n(owner(), BASIC);
    onMissing.provision(basic);

    assertThatThrownBy(() -> onMissing.resize(basic.resizedTo("pro", PRO)))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.STORAGE, false))
        .extracting(Failures::platformDetail, STRING)
        .contains("storage class gone (not found) does not allow volume expansion");
  }

  @Test
  void resize_onlyStorageGrowsWhileNotReady_failsWithoutRollback() {
    InstanceSpec basic = n8n(owner(), BASIC);
    String ns = provisioner.namespaceOf(basic.ownerId());
    provisioner.provision(basic);
    k8s.cluster.behave(basic.instanceId(), FakeCluster.HOLD);
    k8s.client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(basic.subdomain() + "-app")
        .editStatus(
            d -> {
              d.getStatus().setAvailableReplicas(0);
              return d;
            });
    KubernetesProvisioner hasty =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofMillis(300)));

    try (LogCapture log = LogCapture.of(KubernetesProvisioner.class)) {
      assertThatThrownBy(
              () -> hasty.resize(basic.resizedTo("basic-plus", new ResourceLimits(500, 512, 8))))
          .isInstanceOf(ProvisioningException.class)
          .extracting(Failures::platformDetail, STRING)
          .contains("not ready after PT0.3S");
      assertThat(log.lines()).noneMatch(line -> line.contains("rolled back"));
    }
    assertThat(hard(ns)).containsEntry("requests.storage", "8Gi");
  }

  @Test
  void resize_instanceTheClusterLost_createsItAgainWithTheNewResources() {
    InstanceSpec lost = n8n(owner(), BASIC);

    provisioner.resize(lost);

    assertThat(k8s.labelled(lost.instanceId())).isNotEmpty();
    assertThat(provisioner.health(lost.ref()).healthy()).isTrue();
  }

  @Test
  void resize_newSizeNeverReady_rollsBackCpuMemoryAndQuota() {
    InstanceSpec basic = n8n(owner(), BASIC);
    String ns = provisioner.namespaceOf(basic.ownerId());
    provisioner.provision(basic);
    k8s.cluster.behave(basic.instanceId(), FakeCluster.HOLD);
    KubernetesProvisioner hasty =
        k8s.open(k8s.provisioner().readinessTimeout(Duration.ofMillis(300)));

    try (LogCapture log = LogCapture.of(KubernetesProvisioner.class)) {
      assertThatThrownBy(() -> hasty.resize(basic.resizedTo("pro", PRO)))
          .isInstanceOfSatisfying(
              ProvisioningException.class,
              e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT);
                assertThat(e.platformDetail().orElseThrow()).contains("not ready after PT0.3S");
                assertThat(log.lines())
                    .contains(
                        "WARN Instance "
                            + basic.instanceId()
                            + ": resize failed (reference "
                            + e.reference().orElseThrow()
                            + "), rolled back to 500m CPU and 512Mi memory (volumes keep their new"
                            + " size)");
              });
    }

    Deployment deployment = get(Deployment.class, ns, basic.subdomain() + "-app");
    assertThat(
            deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getLimits())
        .containsEntry("cpu", new Quantity("500m"));
    assertThat(deployment.getMetadata().getLabels()).containsEntry(KubernetesLabels.PLAN, "basic");
    assertThat(hard(ns))
        .containsEntry("requests.cpu", "600m")
        .containsEntry("requests.storage", "10Gi");
  }

  // ---------------------------------------------------------------- removal

  @Test
  void deprovision_lastInstance_removesEveryObjectAndTheNamespace() {
    InstanceSpec spec = ghost(owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    provisioner.provision(spec);
    assertThat(k8s.labelled(spec.instanceId())).hasSize(12);

    provisioner.deprovision(spec.ref());

    assertThat(k8s.labelled(spec.instanceId())).isEmpty();
    assertThat(k8s.client.namespaces().withName(ns).get()).isNull();
  }

  @Test
  void deprovision_twiceOrNeverProvisioned_succeeds() {
    InstanceSpec spec = n8n(owner(), BASIC);
    provisioner.provision(spec);

    provisioner.deprovision(spec.ref());
    provisioner.deprovision(spec.ref());
    provisioner.deprovision(n8n(owner(), BASIC).ref());

    assertThat(k8s.labelled(spec.instanceId())).isEmpty();
  }

  @Test
  void deprovision_quotaDeletedByAnOperator_keepsTheNamespaceOfOtherInstances() {
    String owner = owner();
    String ns = provisioner.namespaceOf(owner);
    InstanceSpec first = n8n(owner, BASIC);
    InstanceSpec second = n8n(owner, BASIC);
    provisioner.provision(first);
    provisioner.provision(second);
    k8s.client.resourceQuotas().inNamespace(ns).withName("minispod-quota").delete();

    provisioner.deprovision(first.ref());

    assertThat(k8s.labelled(first.instanceId())).isEmpty();
    assertThat(k8s.client.namespaces().withName(ns).get()).isNotNull();
    assertThat(k8s.labelled(second.instanceId())).hasSize(8);
  }

  // ---------------------------------------------------------------- health and usage

  @Test
  void health_readyThenCrashing_reportsTheReason() {
    InstanceSpec spec = n8n(owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    provisioner.provision(spec);

    assertThat(provisioner.health(spec.ref()).healthy()).isTrue();

    k8s.cluster.behave(spec.instanceId(), FakeCluster.crashLoop(137));
    k8s.client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(spec.subdomain() + "-app")
        .editStatus(
            d -> {
              d.getStatus().setAvailableReplicas(0);
              return d;
            });
    try (LogCapture log = LogCapture.of(ProvisioningException.class)) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(provisioner.health(spec.ref()).detail())
                      .startsWith(
                          "Instance "
                              + spec.instanceId()
                              + ": the app keeps crashing after it starts (reference "));
      InstanceHealth down = provisioner.health(spec.ref());
      assertThat(down.healthy()).isFalse();
      String reference = down.detail().replaceAll(".*\\(reference (\\w+)\\)$", "$1");
      assertThat(log.lines())
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("WARN Provisioning failure " + reference)
                      .contains("CRASH_LOOP")
                      .contains("crash loop (4 restarts, last exit code 137"));
    }

    provisioner.deprovision(spec.ref());
    assertThat(provisioner.health(spec.ref()).detail()).isEqualTo("instance does not exist");
  }

  @Test
  void health_unavailableWithoutEvidence_saysSoWithoutClusterNames() {
    InstanceSpec spec = n8n(owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    provisioner.provision(spec);
    k8s.cluster.behave(spec.instanceId(), FakeCluster.HOLD);

    k8s.client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(spec.subdomain() + "-app")
        .editStatus(
            d -> {
              d.getStatus().setAvailableReplicas(0);
              return d;
            });

    assertThat(provisioner.health(spec.ref()).detail()).isEqualTo("the app is not available");
  }

  @Test
  void usage_metricsApiHasPods_sumsTheirContainers() {
    InstanceSpec spec = ghost(owner(), BASIC);
    String ns = provisioner.namespaceOf(spec.ownerId());
    provisioner.provision(spec);
    assertThat(provisioner.usage(spec.ref())).isEmpty();

    podMetrics(ns, spec, "app", "120m", "300Mi");
    podMetrics(ns, spec, "mysql", "30m", "200Mi");

    assertThat(provisioner.usage(spec.ref()))
        .hasValueSatisfying(
            u -> {
              assertThat(u.cpuMillicores()).isEqualTo(150);
              assertThat(u.memoryMiB()).isEqualTo(500);
              assertThat(u.storageGiB()).isZero();
            });
  }

  // ---------------------------------------------------------------- helpers

  private static void terminatingNamespace(String ns) {
    k8s.client
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .addToFinalizers("example.com/slow")
                .endMetadata()
                .build())
        .create();
    k8s.client.namespaces().withName(ns).delete();
  }

  /** Waits until the mock server has received a request whose path has all these parts. */
  private static void awaitRequest(String... parts) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              for (var r = k8s.server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS);
                  r != null;
                  r = k8s.server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (java.util.Arrays.stream(parts).allMatch(r.getPath()::contains)) {
                  return true;
                }
              }
              return false;
            });
  }

  private static void podMetrics(
      String ns, InstanceSpec spec, String component, String cpu, String memory) {
    k8s.client
        .resource(
            new io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder()
                .withNewMetadata()
                .withName(spec.subdomain() + "-" + component + "-5d9c7b8f4-x7k2p")
                .withNamespace(ns)
                .addToLabels(KubernetesLabels.INSTANCE, spec.instanceId().toString())
                .addToLabels(KubernetesLabels.COMPONENT, component)
                .endMetadata()
                .addNewContainer()
                .withName(component)
                .addToUsage("cpu", new Quantity(cpu))
                .addToUsage("memory", new Quantity(memory))
                .endContainer()
                .build())
        .create();
  }

  static String owner() {
    return "user-" + UUID.randomUUID();
  }

  static InstanceSpec n8n(String owner, ResourceLimits plan) {
    return AppTemplates.n8n(UUID.randomUUID(), owner, subdomain("n8n"), slug(plan), plan);
  }

  static InstanceSpec ghost(String owner, ResourceLimits plan) {
    return AppTemplates.ghost(UUID.randomUUID(), owner, subdomain("ghost"), slug(plan), plan);
  }

  private static String slug(ResourceLimits plan) {
    return plan.equals(PRO) ? "pro" : "basic";
  }

  static String subdomain(String app) {
    return app + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static <T extends HasMetadata> T get(Class<T> kind, String ns, String name) {
    return k8s.client.resources(kind).inNamespace(ns).withName(name).get();
  }

  private static Map<String, String> hard(String ns) {
    Map<String, String> hard = new TreeMap<>();
    get(ResourceQuota.class, ns, "minispod-quota")
        .getSpec()
        .getHard()
        .forEach((k, v) -> hard.put(k, v.toString()));
    return hard;
  }

  private static Map<String, String> decode(Secret secret) {
    Map<String, String> values = new TreeMap<>();
    secret
        .getData()
        .forEach(
            (k, v) ->
                values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return values;
  }

  private static String secretRef(Deployment d, String variable) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(variable))
        .findFirst()
        .orElseThrow()
        .getValueFrom()
        .getSecretKeyRef()
        .getKey();
  }
}
