package io.minispod.k8s;

import io.minispod.provisioner.ContainerSpec;
import io.minispod.provisioner.InstanceSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * What one instance counts against its namespace's ResourceQuota. Each instance's footprint is kept
 * as an annotation of the quota object, so the quota is always the sum of the owner's instances and
 * is changed by one optimistic-locked write.
 *
 * @param cpuMillicores CPU requests (and limits)
 * @param memoryMiB memory requests (and limits)
 * @param storageGiB persistent volume requests
 * @param ephemeralMiB ephemeral-storage requests (and limits): the containers' scratch space
 * @param pods pods (one per component)
 * @param volumes persistent volume claims
 */
record Footprint(
    long cpuMillicores,
    long memoryMiB,
    long storageGiB,
    long ephemeralMiB,
    long pods,
    long volumes) {

  static final Footprint ZERO = new Footprint(0, 0, 0, 0, 0, 0);

  /**
   * The footprint of an instance; a volume that already is larger than the spec asks (volumes never
   * shrink) counts with its real size.
   *
   * @param spec the instance
   * @param existingGiB the current size of the instance's volumes, by claim name
   * @param volumeName the claim name of a component
   * @param ephemeralMiB the scratch space of a component
   */
  static Footprint of(
      InstanceSpec spec,
      Map<String, Long> existingGiB,
      Function<ContainerSpec, String> volumeName,
      ToLongFunction<ContainerSpec> ephemeralMiB) {
    Footprint total = ZERO;
    for (ContainerSpec c : ManifestRenderer.components(spec)) {
      long storage = 0;
      long volumes = 0;
      if (ManifestRenderer.hasVolume(c)) {
        storage =
            Math.max(c.resources().storageGiB(), existingGiB.getOrDefault(volumeName.apply(c), 0L));
        volumes = 1;
      }
      total =
          total.plus(
              new Footprint(
                  c.resources().cpuMillicores(),
                  c.resources().memoryMiB(),
                  storage,
                  ephemeralMiB.applyAsLong(c),
                  1,
                  volumes));
    }
    return total;
  }

  Footprint plus(Footprint other) {
    return new Footprint(
        cpuMillicores + other.cpuMillicores,
        memoryMiB + other.memoryMiB,
        storageGiB + other.storageGiB,
        ephemeralMiB + other.ephemeralMiB,
        pods + other.pods,
        volumes + other.volumes);
  }

  /**
   * The annotation value, such as {@code
   * cpu=500m,memory=512Mi,storage=5Gi,ephemeral=1024Mi,pods=1,volumes=1}.
   */
  String encode() {
    return "cpu="
        + cpuMillicores
        + "m,memory="
        + memoryMiB
        + "Mi,storage="
        + storageGiB
        + "Gi,ephemeral="
        + ephemeralMiB
        + "Mi,pods="
        + pods
        + ",volumes="
        + volumes;
  }

  /**
   * Reads an annotation value written by {@link #encode()}. A value written before scratch space
   * was counted has no {@code ephemeral} part: its pods run with the LimitRange's default, which is
   * counted for each of them.
   *
   * @param ephemeralMiBPerPod what a pod counts when the value has no {@code ephemeral} part
   * @return the footprint, or empty when the value is not one
   */
  static Optional<Footprint> decode(String value, long ephemeralMiBPerPod) {
    if (value == null) {
      return Optional.empty();
    }
    Map<String, String> parts = new LinkedHashMap<>();
    for (String part : value.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        return Optional.empty();
      }
      parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    try {
      long pods = number(parts, "pods", "");
      return Optional.of(
          new Footprint(
              number(parts, "cpu", "m"),
              number(parts, "memory", "Mi"),
              number(parts, "storage", "Gi"),
              parts.containsKey("ephemeral")
                  ? number(parts, "ephemeral", "Mi")
                  : pods * ephemeralMiBPerPod,
              pods,
              number(parts, "volumes", "")));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static long number(Map<String, String> parts, String key, String unit) {
    String text = parts.get(key);
    if (text == null || !text.endsWith(unit)) {
      throw new IllegalArgumentException(key + " missing or without unit " + unit);
    }
    long n = Long.parseLong(text.substring(0, text.length() - unit.length()));
    if (n < 0) {
      throw new IllegalArgumentException(key + " negative");
    }
    return n;
  }

  /** Sums the footprints of several instances. */
  static Footprint sum(Iterable<Footprint> footprints) {
    Footprint total = ZERO;
    for (Footprint f : footprints) {
      total = total.plus(f);
    }
    return total;
  }
}
