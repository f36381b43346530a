package io.minispod.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.minispod.provisioner.InstanceRef;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Secret per binding on the mock API server: created once, gone after unbind. */
final class KubernetesBindingCredentialsIT {

  private MockKubernetes k8s;
  private KubernetesProvisioner provisioner;
  private KubernetesBindingCredentials bindings;
  private final InstanceRef instance = new InstanceRef(UUID.randomUUID(), "cf:space:s-1");

  @BeforeEach
  void start() {
    k8s = MockKubernetes.start();
    provisioner = k8s.open(k8s.provisioner());
    bindings = new KubernetesBindingCredentials(k8s.client, provisioner);
  }

  @AfterEach
  void stop() {
    k8s.close();
  }

  private Secret secret(String bindingId) {
    return k8s.client
        .secrets()
        .inNamespace(provisioner.namespaceOf(instance.ownerId()))
        .withName(KubernetesBindingCredentials.secretName(bindingId))
        .get();
  }

  @Test
  void bind_writesOneLabelledSecret_bindAgainReturnsIt_unbindDeletesIt() {
    Map<String, String> credential = bindings.bind(instance, "binding/with odd id");

    assertThat(credential).containsKeys("username", "password");
    assertThat(bindings.bind(instance, "binding/with odd id")).isEqualTo(credential);
    Secret secret = secret("binding/with odd id");
    assertThat(secret).isNotNull();
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(KubernetesLabels.INSTANCE, instance.instanceId().toString())
        .containsEntry(KubernetesLabels.MANAGED_BY, KubernetesLabels.MANAGED_BY_VALUE);
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry(KubernetesBindingCredentials.BINDING_ID_ANNOTATION, "binding/with odd id");
    assertThat(bindings.bind(instance, "another")).isNotEqualTo(credential);

    bindings.unbind(instance, "binding/with odd id");
    bindings.unbind(instance, "binding/with odd id");

    assertThat(secret("binding/with odd id")).as("the credential is gone").isNull();
    assertThat(secret("another")).isNotNull();
  }

  @Test
  void withOwnClient_closesItsClient_aHandedInClientStaysOpen() {
    KubernetesBindingCredentials own = KubernetesBindingCredentials.withOwnClient(provisioner);
    own.close();
    bindings.close();

    assertThat(bindings.bind(instance, "still-open")).containsKeys("username", "password");
  }
}
