package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.minispod.ErrorCode;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.provisioner.ResourceLimits;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API server errors injected through the mock server's expectations (which take precedence over its
 * CRUD store): transient ones are retried with backoff, lasting ones end in {@code
 * PROVISIONING_FAILED} with the cause, and nothing half-made is left behind.
 */
final class ApiFailureIT {

  private static final ResourceLimits BASIC = new ResourceLimits(500, 512, 5);

  private static MockKubernetes k8s;
  private static KubernetesProvisioner provisioner;

  @BeforeAll
  static void start() {
    k8s = MockKubernetes.start();
    provisioner = k8s.open(k8s.provisioner());
  }

  @AfterAll
  static void stop() {
    k8s.close();
  }

  @Test
  void provision_serverErrorsAndThrottlingOnce_areRetriedAndSucceed() {
    InstanceSpec spec = n8n();
    String ns = provisioner.namespaceOf(spec.ownerId());
    k8s.server
        .expect()
        .post()
        .withPath("/apis/apps/v1/namespaces/" + ns + "/deployments")
        .andReturn(500, status(500, "InternalError", "etcdserver: leader changed"))
        .times(2);
    k8s.server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/" + ns + "/secrets/" + spec.subdomain() + "-secrets")
        .andReturn(429, status(429, "TooManyRequests", "too many requests"))
        .once();

    assertThat(provisioner.provision(spec).url()).endsWith(spec.subdomain() + ".apps.test");

    assertThat(k8s.labelled(spec.instanceId())).hasSize(8);
  }

  @Test
  void provision_serverErrorsOutlastTheRetries_failRetryableWithCauseAndLeaveNothing() {
    InstanceSpec spec = n8n();
    String ns = provisioner.namespaceOf(spec.ownerId());
    k8s.server
        .expect()
        .post()
        .withPath("/apis/apps/v1/namespaces/" + ns + "/deployments")
        .andReturn(503, status(503, "ServiceUnavailable", "etcd cluster is unavailable"))
        .times(3);

    assertThatThrownBy(() -> provisioner.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.PROVISIONING_FAILED);
              Failures.failed(FailureReason.CLUSTER_ERROR, true).accept(e);
              assertThat(e.getCause()).isInstanceOf(KubernetesClientException.class);
              assertThat(((KubernetesClientException) e.getCause()).getCode()).isEqualTo(503);
            })
        .extracting(Failures::platformDetail, STRING)
        .contains(
            "writing Deployment "
                + ns
                + "/"
                + spec.subdomain()
                + "-app failed after 3 attempts: HTTP 503: etcd cluster is unavailable");

    assertThat(k8s.labelled(spec.instanceId())).isEmpty();
    assertThat(k8s.client.namespaces().withName(ns).get()).isNull();
  }

  @Test
  void provision_admissionRefusesAnObject_failsAtOnceAndLeavesNothing() {
    InstanceSpec spec = n8n();
    String ns = provisioner.namespaceOf(spec.ownerId());
    k8s.server
        .expect()
        .post()
        .withPath("/apis/networking.k8s.io/v1/namespaces/" + ns + "/ingresses")
        .andReturn(
            403, status(403, "Forbidden", "admission webhook \"validate.nginx.ingress\" denied it"))
        .once();

    assertThatThrownBy(() -> provisioner.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class, Failures.failed(FailureReason.REFUSED, false))
        .extracting(Failures::platformDetail, STRING)
        .contains("writing Ingress " + ns + "/" + spec.subdomain() + " was refused: HTTP 403");

    assertThat(k8s.labelled(spec.instanceId())).isEmpty();
  }

  @Test
  void provision_rbacRefusalNamingTheServiceAccount_reachesUsersAsRefusedWithAReference() {
    InstanceSpec spec = n8n();
    String ns = provisioner.namespaceOf(spec.ownerId());
    String rbac =
        "deployments.apps is forbidden: User \"system:serviceaccount:minispod:provisioner\" cannot"
            + " create resource \"deployments\" in API group \"apps\" in the namespace \""
            + ns
            + "\"";
    k8s.server
        .expect()
        .post()
        .withPath("/apis/apps/v1/namespaces/" + ns + "/deployments")
        .andReturn(403, status(403, "Forbidden", rbac))
        .once();

    try (LogCapture log = LogCapture.of(ProvisioningException.class)) {
      ProvisioningException e =
          catchThrowableOfType(ProvisioningException.class, () -> provisioner.provision(spec));

      String reference = e.reference().orElseThrow();
      String seen = e.getMessage() + " " + e.details();
      assertThat(seen)
          .doesNotContainIgnoringCase("serviceaccount")
          .doesNotContain("forbidden", ns, k8s.client.getMasterUrl().getAuthority());
      assertThat(e.getMessage())
          .isEqualTo(
              "Instance "
                  + spec.instanceId()
                  + ": the platform refused the request (reference "
                  + reference
                  + ")");
      assertThat(e.details())
          .containsEntry("reason", "REFUSED")
          .containsEntry("reference", reference)
          .containsEntry("instanceId", spec.instanceId().toString());
      assertThat(e.retryable()).isFalse();
      assertThat(log.lines())
          .filteredOn(line -> line.contains(reference))
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith("WARN Provisioning failure " + reference)
                      .contains("REFUSED (permanent)")
                      .contains("writing Deployment " + ns + "/" + spec.subdomain() + "-app")
                      .contains("HTTP 403: " + rbac));
    }
    assertThat(k8s.labelled(spec.instanceId())).isEmpty();
  }

  @Test
  void provision_conflictsOnTheSharedQuota_reReadAndKeepBothShares() {
    String owner = owner();
    String ns = provisioner.namespaceOf(owner);
    InstanceSpec first = n8n(owner);
    InstanceSpec second = n8n(owner);
    provisioner.provision(first);
    k8s.server
        .expect()
        .put()
        .withPath("/api/v1/namespaces/" + ns + "/resourcequotas/minispod-quota")
        .andReturn(409, status(409, "Conflict", "the object has been modified"))
        .times(4);

    provisioner.provision(second);

    ResourceQuota quota =
        k8s.client.resourceQuotas().inNamespace(ns).withName("minispod-quota").get();
    assertThat(quota.getMetadata().getAnnotations())
        .containsKeys(QuotaBook.key(first.instanceId()), QuotaBook.key(second.instanceId()));
    assertThat(quota.getSpec().getHard().get("requests.cpu").toString()).isEqualTo("1100m");
  }

  @Test
  void provision_requestTimesOut_isRetried() {
    InstanceSpec spec = n8n();
    String ns = provisioner.namespaceOf(spec.ownerId());
    try (KubernetesClient impatient =
        k8s.server.createClient(
            b ->
                b.editOrNewConfig()
                    .withRequestRetryBackoffLimit(0)
                    .withRequestTimeout(300)
                    .endConfig())) {
      KubernetesProvisioner withTimeouts = k8s.open(k8s.provisioner().client(impatient));
      k8s.server
          .expect()
          .get()
          .delay(1_500)
          .withPath("/api/v1/namespaces/" + ns)
          .andReturn(404, status(404, "NotFound", "not found"))
          .once();

      assertThat(withTimeouts.provision(spec).namespace()).isEqualTo(ns);
    }
    assertThat(k8s.labelled(spec.instanceId())).hasSize(8);
  }

  @Test
  void deprovision_serverErrorOnce_isRetriedAndRemovesTheNamespace() {
    InstanceSpec spec = n8n();
    String ns = provisioner.namespaceOf(spec.ownerId());
    provisioner.provision(spec);
    k8s.server
        .expect()
        .delete()
        .withPath("/api/v1/namespaces/" + ns)
        .andReturn(500, status(500, "InternalError", "try again"))
        .once();

    provisioner.deprovision(spec.ref());

    assertThat(k8s.client.namespaces().withName(ns).get()).isNull();
    assertThat(k8s.labelled(spec.instanceId())).isEmpty();
  }

  @Test
  void health_apiDown_failsRetryable() {
    InstanceSpec spec = n8n();
    String ns = provisioner.namespaceOf(spec.ownerId());
    k8s.server
        .expect()
        .get()
        .withPath("/apis/apps/v1/namespaces/" + ns + "/deployments?labelSelector=" + selector(spec))
        .andReturn(500, status(500, "InternalError", "down"))
        .times(3);

    assertThatThrownBy(() -> provisioner.health(spec.ref()))
        .isInstanceOfSatisfying(
            ProvisioningException.class, e -> assertThat(e.retryable()).isTrue())
        .extracting(Failures::platformDetail, STRING)
        .contains("failed after 3 attempts: HTTP 500: down");
  }

  @Test
  void usage_noMetricsApi_isEmpty() {
    InstanceSpec spec = n8n();
    k8s.server
        .expect()
        .get()
        .withPath(podMetricsPath(spec))
        .andReturn(404, status(404, "NotFound", "the server could not find the requested resource"))
        .once();

    try (LogCapture log = LogCapture.of(ProvisioningException.class)) {
      assertThat(provisioner.usage(spec.ref())).isEmpty();
      assertThat(log.lines()).as("no failure is made of it").isEmpty();
    }
  }

  @Test
  void usage_metricsApiFailing_failsRetryable() {
    InstanceSpec spec = n8n();
    k8s.server
        .expect()
        .get()
        .withPath(podMetricsPath(spec))
        .andReturn(500, status(500, "InternalError", "metrics down"))
        .times(3);

    assertThatThrownBy(() -> provisioner.usage(spec.ref()))
        .isInstanceOfSatisfying(
            ProvisioningException.class, e -> assertThat(e.retryable()).isTrue())
        .extracting(Failures::platformDetail, STRING)
        .contains("reading pod metrics");
  }

  private static String selector(InstanceSpec spec) {
    return URLEncoder.encode(
        KubernetesLabels.INSTANCE + "=" + spec.instanceId(), StandardCharsets.UTF_8);
  }

  static Status status(int code, String reason, String message) {
    return new StatusBuilder()
        .withStatus("Failure")
        .withCode(code)
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  private static String owner() {
    return KubernetesProvisionerIT.owner();
  }

  private static InstanceSpec n8n() {
    return n8n(owner());
  }

  private static InstanceSpec n8n(String owner) {
    return AppTemplates.n8n(
        java.util.UUID.randomUUID(),
        owner,
        KubernetesProvisionerIT.subdomain("n8n"),
        "basic",
        BASIC);
  }

  /** The metrics API's path for the pods of an instance. */
  private String podMetricsPath(InstanceSpec spec) {
    return "/apis/metrics.k8s.io/v1beta1/namespaces/"
        + provisioner.namespaceOf(spec.ownerId())
        + "/pods?labelSelector="
        + selector(spec);
  }
}
