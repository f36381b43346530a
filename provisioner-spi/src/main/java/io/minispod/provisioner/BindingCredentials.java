package io.minispod.provisioner;

import java.util.Map;

/**
 * The credentials of a service binding: a per-binding credential for an instance that a platform
 * hands to an application (through the Open Service Broker API), created when the binding is
 * created and revoked when it is deleted, so it stops working then. Implementations beside a
 * provisioner: {@link InMemoryBindingCredentials} for tests and development, and one per platform
 * (on Kubernetes, a Secret per binding).
 *
 * <p>Both calls are idempotent: binding again returns the credential already created, and revoking
 * a credential that does not exist is harmless.
 */
public interface BindingCredentials {

  /**
   * Creates (or returns the existing) credential of a binding.
   *
   * @param instance the instance the application is bound to
   * @param bindingId the binding's id, chosen by the platform
   * @return the credential's fields, at least {@code username} and {@code password}
   * @throws ProvisioningException when the platform cannot create it
   */
  Map<String, String> bind(InstanceRef instance, String bindingId);

  /**
   * Revokes a binding's credential.
   *
   * @param instance the instance
   * @param bindingId the binding's id
   * @throws ProvisioningException when the platform cannot revoke it (it may be retried)
   */
  void unbind(InstanceRef instance, String bindingId);
}
