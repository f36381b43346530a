package io.minispod.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.minispod.k8s.KubernetesBindingCredentials;
import io.minispod.k8s.KubernetesProvisioner;
import io.minispod.provisioner.BindingCredentials;
import io.minispod.spring.web.OsbClient.Answer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * A platform binds to and unbinds from an instance over the OSB API, with the bindings' credentials
 * kept as Kubernetes Secrets on fabric8's mock API server (CRUD mode): the Secret exists with the
 * credential the platform was given while the binding does, and is gone after unbind. (Instances
 * run on the in-memory provisioner; only the credentials are on the mock cluster.)
 */
final class BrokerKubernetesBindingsHttpIT {

  private static final String BROKER_USER = "platform";
  private static final String BROKER_PASSWORD = "broker-secret";

  private static KubernetesMockServer cluster;
  private static KubernetesClient client;
  private static KubernetesProvisioner kubernetes;
  private static RunningApp app;
  private static OsbClient osb;

  /** The bindings' credentials as Secrets on the mock cluster, instead of in memory. */
  @Configuration(proxyBeanMethods = false)
  static class SecretsPerBinding {
    @Bean
    BindingCredentials kubernetesBindings() {
      return new KubernetesBindingCredentials(client, kubernetes);
    }
  }

  @BeforeAll
  static void start() {
    cluster =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    cluster.init();
    client = cluster.createClient();
    kubernetes = KubernetesProvisioner.builder().client(client).baseDomain("apps.test").build();
    app =
        RunningApp.start(
            Map.of(
                "spring.main.sources",
                SecretsPerBinding.class.getName(),
                "minispod.broker.enabled",
                "true",
                "minispod.broker.username",
                BROKER_USER,
                "minispod.broker.password",
                BROKER_PASSWORD));
    osb =
        new OsbClient(
            Integer.parseInt(app.context().getEnvironment().getProperty("local.server.port")),
            BROKER_USER,
            BROKER_PASSWORD);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    kubernetes.close();
    client.close();
    cluster.destroy();
  }

  @Test
  void bind_writesASecretHoldingTheCredential_unbindDeletesIt() {
    JsonNode offering = osb.catalog().body().path("services").get(0);
    String serviceId = offering.path("id").asString();
    String planId = offering.path("plans").get(0).path("id").asString();
    String space = UUID.randomUUID().toString();
    Map<String, Object> context = Map.of("platform", "cloudfoundry", "space_guid", space);
    Answer provisioned = osb.provision("k8s-1", serviceId, planId, context, true);
    assertThat(osb.poll("k8s-1", provisioned.text("operation")).text("state"))
        .isEqualTo("succeeded");

    Answer bound = osb.bind("k8s-1", "k8s-bind-1", serviceId, planId, "app-1");

    assertThat(bound.status()).as(bound.text()).isEqualTo(201);
    String password = bound.body().path("credentials").path("password").asString();
    List<Secret> secrets = bindingSecrets("k8s-bind-1");
    assertThat(secrets).hasSize(1);
    assertThat(secrets.get(0).getData().values())
        .as("the Secret holds the credential the platform was given")
        .anyMatch(v -> new String(java.util.Base64.getDecoder().decode(v)).equals(password));

    Answer unbound = osb.unbind("k8s-1", "k8s-bind-1", serviceId, planId);

    assertThat(unbound.status()).isEqualTo(200);
    assertThat(bindingSecrets("k8s-bind-1")).as("the binding's Secret is gone").isEmpty();
    assertThat(osb.fetchBinding("k8s-1", "k8s-bind-1").status()).isEqualTo(404);
  }

  private static List<Secret> bindingSecrets(String bindingId) {
    return client.secrets().inAnyNamespace().list().getItems().stream()
        .filter(
            s ->
                s.getMetadata().getAnnotations() != null
                    && bindingId.equals(
                        s.getMetadata()
                            .getAnnotations()
                            .get(KubernetesBindingCredentials.BINDING_ID_ANNOTATION)))
        .toList();
  }
}
