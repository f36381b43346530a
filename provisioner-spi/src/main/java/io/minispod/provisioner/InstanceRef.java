package io.minispod.provisioner;

import java.util.Objects;
import java.util.UUID;

/**
 * Names an instance to its provisioner.
 *
 * @param instanceId the instance's id
 * @param ownerId the user it belongs to
 */
public record InstanceRef(UUID instanceId, String ownerId) {

  /** Checks that both parts are given. */
  public InstanceRef {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(ownerId, "ownerId");
  }
}
