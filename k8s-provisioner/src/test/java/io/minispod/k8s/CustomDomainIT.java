package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProvisionedInstance;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.provisioner.ResourceLimits;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An instance's custom domain on the mock API server: an additional host rule of its Ingress to the
 * app, with a certificate of its own where cert-manager issues them, the app told it as its host,
 * and nothing of it left when it is removed or the instance is.
 */
final class CustomDomainIT {

  private static final ResourceLimits PRO = new ResourceLimits(1000, 1024, 10);
  private static final String DOMAIN = "blog.example.com";

  private static MockKubernetes k8s;
  private static KubernetesProvisioner withIssuer;
  private static KubernetesProvisioner withoutTls;

  @BeforeAll
  static void start() {
    k8s = MockKubernetes.start();
    k8s.storageClass("standard", true, true);
    withIssuer = k8s.open(k8s.provisioner());
    withoutTls = k8s.open(k8s.provisioner().clusterIssuer(null));
  }

  @AfterAll
  static void stop() {
    k8s.close();
  }

  private static InstanceSpec n8n() {
    return AppTemplates.n8n(
        UUID.randomUUID(),
        "owner-" + UUID.randomUUID(),
        KubernetesProvisionerIT.subdomain("n8n"),
        "pro",
        PRO);
  }

  private static Ingress ingress(InstanceSpec spec) {
    return k8s.client
        .network()
        .v1()
        .ingresses()
        .inNamespace(withIssuer.namespaceOf(spec.ownerId()))
        .withName(spec.subdomain())
        .get();
  }

  private static ConfigMap env(InstanceSpec spec) {
    return k8s.client
        .configMaps()
        .inNamespace(withIssuer.namespaceOf(spec.ownerId()))
        .withName(spec.subdomain() + "-app-env")
        .get();
  }

  private static String host(InstanceSpec spec) {
    return spec.subdomain() + "." + MockKubernetes.BASE_DOMAIN;
  }

  @Test
  void provision_customDomainWithIssuer_ingressServesBothHostsEachWithItsOwnCertificate() {
    InstanceSpec spec = n8n().withCustomDomain(DOMAIN);

    ProvisionedInstance provisioned = withIssuer.provision(spec);

    Ingress ingress = ingress(spec);
    assertThat(ingress.getSpec().getRules())
        .extracting(IngressRule::getHost)
        .containsExactly(host(spec), DOMAIN);
    assertThat(ingress.getSpec().getRules())
        .allSatisfy(
            rule -> {
              var backend = rule.getHttp().getPaths().get(0).getBackend().getService();
              assertThat(backend.getName()).isEqualTo(spec.subdomain());
              assertThat(backend.getPort().getNumber()).isEqualTo(5678);
            });
    assertThat(ingress.getSpec().getTls())
        .extracting(IngressTLS::getHosts, IngressTLS::getSecretName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                java.util.List.of(host(spec)), spec.subdomain() + "-tls"),
            org.assertj.core.groups.Tuple.tuple(
                java.util.List.of(DOMAIN), spec.subdomain() + "-domain-tls"));
    // The app is told its custom domain as its public host; the instance keeps its own URL.
    assertThat(env(spec).getData())
        .containsEntry("N8N_HOST", DOMAIN)
        .containsEntry("WEBHOOK_URL", "https://" + DOMAIN + "/");
    assertThat(provisioned.url()).isEqualTo("https://" + host(spec));
  }

  @Test
  void provision_customDomainRemoved_leavesOnlyTheInstancesOwnHost() {
    InstanceSpec spec = n8n().withCustomDomain(DOMAIN.replace("blog", "removed"));
    withIssuer.provision(spec);

    withIssuer.provision(spec.withCustomDomain(null));

    Ingress ingress = ingress(spec);
    assertThat(ingress.getSpec().getRules())
        .extracting(IngressRule::getHost)
        .containsExactly(host(spec));
    assertThat(ingress.getSpec().getTls())
        .extracting(IngressTLS::getSecretName)
        .containsExactly(spec.subdomain() + "-tls");
    assertThat(env(spec).getData()).containsEntry("N8N_HOST", host(spec));
  }

  @Test
  void resize_keepsTheCustomDomain() {
    InstanceSpec spec = n8n().withCustomDomain(DOMAIN.replace("blog", "resized"));
    withIssuer.provision(spec);

    withIssuer.resize(spec.resizedTo("business", new ResourceLimits(2000, 2048, 20)));

    assertThat(ingress(spec).getSpec().getRules())
        .extracting(IngressRule::getHost)
        .containsExactly(host(spec), spec.customDomain());
  }

  @Test
  void provision_customDomainWithoutTls_isAPlainHostRule() {
    InstanceSpec spec = n8n().withCustomDomain(DOMAIN.replace("blog", "plain"));

    ProvisionedInstance provisioned = withoutTls.provision(spec);

    Ingress ingress = ingress(spec);
    assertThat(ingress.getSpec().getRules())
        .extracting(IngressRule::getHost)
        .containsExactly(host(spec), spec.customDomain());
    assertThat(ingress.getSpec().getTls()).isEmpty();
    assertThat(env(spec).getData())
        .containsEntry("WEBHOOK_URL", "http://" + spec.customDomain() + "/");
    assertThat(provisioned.url()).isEqualTo("http://" + host(spec));
  }

  @Test
  void provision_customDomainInTheBaseDomain_isRefusedBeforeAnythingIsWritten() {
    InstanceSpec other = n8n();
    InstanceSpec spec = n8n().withCustomDomain(host(other));

    assertThatThrownBy(() -> withIssuer.provision(spec))
        .isInstanceOfSatisfying(
            ProvisioningException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.CONFIGURATION);
              assertThat(e.retryable()).isFalse();
              assertThat(e.platformDetail().orElseThrow())
                  .contains("lies in the base domain " + MockKubernetes.BASE_DOMAIN);
            })
        .hasMessageNotContaining(host(other));
    assertThat(k8s.labelled(spec.instanceId())).isEmpty();
  }

  @Test
  void deprovision_removesTheCertificateOfACustomDomainRemovedEarlier() {
    InstanceSpec spec = n8n().withCustomDomain(DOMAIN.replace("blog", "gone"));
    withIssuer.provision(spec);
    String ns = withIssuer.namespaceOf(spec.ownerId());
    // What cert-manager writes for each TLS entry, and keeps when the entry goes.
    for (String name : new String[] {spec.subdomain() + "-tls", spec.subdomain() + "-domain-tls"}) {
      k8s.client
          .secrets()
          .inNamespace(ns)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .endMetadata()
                  .withType("kubernetes.io/tls")
                  .build())
          .create();
    }
    withIssuer.provision(spec.withCustomDomain(null));

    withIssuer.deprovision(spec.ref());

    assertThat(k8s.client.secrets().inNamespace(ns).list().getItems())
        .extracting(Secret::getMetadata)
        .extracting(m -> m.getName())
        .doesNotContain(spec.subdomain() + "-tls", spec.subdomain() + "-domain-tls");
  }
}
