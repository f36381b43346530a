package io.minispod.k8s;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.minispod.Sha256;
import io.minispod.provisioner.BindingCredentials;
import io.minispod.provisioner.InstanceRef;
import io.minispod.provisioner.ProvisioningException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@link BindingCredentials} on Kubernetes: a Secret per binding in the instance's namespace,
 * labelled with the instance, holding a generated {@code username} and {@code password}; deleting
 * the binding deletes the Secret, so whatever mounts or reads it loses the credential.
 *
 * <pre>{@code
 * BindingCredentials bindings = new KubernetesBindingCredentials(client, provisioner);
 * }</pre>
 */
public final class KubernetesBindingCredentials implements BindingCredentials, AutoCloseable {

  /** The label naming the binding (a hash of its id) on its Secret. */
  public static final String BINDING = "minispod.io/binding";

  /** The annotation holding the binding's id on its Secret. */
  public static final String BINDING_ID_ANNOTATION = "minispod.io/binding-id";

  private final KubernetesClient client;
  private final KubernetesProvisioner provisioner;
  private final boolean ownsClient;

  /**
   * Binding credentials in the namespaces the provisioner runs instances in.
   *
   * @param client the client to the provisioner's cluster, still the caller's to close
   * @param provisioner the provisioner, for an owner's namespace
   */
  public KubernetesBindingCredentials(KubernetesClient client, KubernetesProvisioner provisioner) {
    this(client, provisioner, false);
  }

  private KubernetesBindingCredentials(
      KubernetesClient client, KubernetesProvisioner provisioner, boolean ownsClient) {
    this.client = Objects.requireNonNull(client, "client");
    this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
    this.ownsClient = ownsClient;
  }

  /**
   * Binding credentials with a client of their own, configured as fabric8 configures a default
   * client (kubeconfig, or the pod's service account), as a provisioner built without a client is;
   * {@link #close()} closes it.
   *
   * @param provisioner the provisioner, for an owner's namespace
   * @return the credentials
   */
  public static KubernetesBindingCredentials withOwnClient(KubernetesProvisioner provisioner) {
    return new KubernetesBindingCredentials(
        new KubernetesClientBuilder().build(), provisioner, true);
  }

  /** Closes the client if these credentials built it; a client handed in stays open. */
  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  /**
   * The name of a binding's Secret.
   *
   * @param bindingId the binding's id
   * @return {@code minispod-binding-} and a hash of the id, a valid Kubernetes name for any id
   */
  public static String secretName(String bindingId) {
    return "minispod-binding-" + hash(bindingId);
  }

  @Override
  public Map<String, String> bind(InstanceRef instance, String bindingId) {
    String namespace = provisioner.namespaceOf(instance.ownerId());
    String name = secretName(bindingId);
    try {
      Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
      if (existing != null) {
        return decode(existing);
      }
      Secret secret =
          new SecretBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(namespace)
              .addToLabels(KubernetesLabels.MANAGED_BY, KubernetesLabels.MANAGED_BY_VALUE)
              .addToLabels(KubernetesLabels.INSTANCE, instance.instanceId().toString())
              .addToLabels(BINDING, hash(bindingId))
              .addToAnnotations(BINDING_ID_ANNOTATION, bindingId)
              .endMetadata()
              .withType("Opaque")
              .addToData(
                  "username",
                  encode(
                      "bind-"
                          + SecretGenerator.SECURE_RANDOM.generate("username").substring(0, 12)))
              .addToData("password", encode(SecretGenerator.SECURE_RANDOM.generate("password")))
              .build();
      try {
        return decode(client.secrets().inNamespace(namespace).resource(secret).create());
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          // A concurrent bind of the same id created it first: its credential is the one.
          return decode(client.secrets().inNamespace(namespace).withName(name).get());
        }
        throw e;
      }
    } catch (KubernetesClientException e) {
      throw new ProvisioningException(
          instance.instanceId(), "the binding's Secret could not be written", true, e);
    }
  }

  @Override
  public void unbind(InstanceRef instance, String bindingId) {
    try {
      client
          .secrets()
          .inNamespace(provisioner.namespaceOf(instance.ownerId()))
          .withName(secretName(bindingId))
          .delete();
    } catch (KubernetesClientException e) {
      throw new ProvisioningException(
          instance.instanceId(), "the binding's Secret could not be deleted", true, e);
    }
  }

  private static Map<String, String> decode(Secret secret) {
    Map<String, String> values = new TreeMap<>();
    secret
        .getData()
        .forEach(
            (key, value) ->
                values.put(
                    key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
    return values;
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String hash(String bindingId) {
    return Sha256.hex(bindingId).substring(0, 32);
  }
}
