package io.minispod.provisioner;

import io.minispod.FieldErrors;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Everything a provisioner needs to run one instance of an app for one user.
 *
 * @param instanceId the instance's id
 * @param ownerId the user it belongs to; all of a user's instances share one isolated namespace
 * @param subdomain its unique DNS label (not derived from the user id), e.g. {@code n8n-k3x9q2mt}
 * @param serviceSlug the catalog service it runs, for labels
 * @param planSlug the plan it is sized by, for labels
 * @param app the app container; its resources are the plan's
 * @param companions supporting containers such as a database, each its own deployment
 * @param generatedSecrets keys of secrets the provisioner generates once and keeps
 */
public record InstanceSpec(
    UUID instanceId,
    String ownerId,
    String subdomain,
    String serviceSlug,
    String planSlug,
    ContainerSpec app,
    List<ContainerSpec> companions,
    Set<String> generatedSecrets) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

  /**
   * Validates and copies.
   *
   * @throws io.minispod.ValidationException naming every bad field
   */
  public InstanceSpec {
    FieldErrors errors = new FieldErrors();
    errors.require(instanceId != null, "instanceId", "must be given");
    errors.require(ownerId != null && !ownerId.isBlank(), "ownerId", "must not be blank");
    errors.require(
        subdomain != null && DNS_LABEL.matcher(subdomain).matches(),
        "subdomain",
        "must be a DNS label, was " + subdomain);
    errors.require(app != null, "app", "must be given");
    Set<String> names = new HashSet<>();
    errors.require(
        (app == null || names.add(app.name()))
            && companions.stream().allMatch(c -> names.add(c.name())),
        "companions",
        "must be named uniquely, apart from the app");
    Set<String> secrets = Set.copyOf(generatedSecrets);
    errors.require(
        (app == null ? List.<ContainerSpec>of() : List.of(app))
                .stream().flatMap(c -> c.secretEnv().values().stream()).allMatch(secrets::contains)
            && companions.stream()
                .flatMap(c -> c.secretEnv().values().stream())
                .allMatch(secrets::contains),
        "generatedSecrets",
        "must name every secret the containers refer to");
    errors.throwIfAny();
    companions = List.copyOf(companions);
    generatedSecrets = secrets;
  }

  /**
   * The reference by which the instance is found again.
   *
   * @return its id and owner
   */
  public InstanceRef ref() {
    return new InstanceRef(instanceId, ownerId);
  }

  /**
   * The resources of the app and its companions together: what the instance counts against a
   * namespace's quota.
   *
   * @return the sum
   */
  public ResourceLimits totalResources() {
    return companions.stream()
        .map(ContainerSpec::resources)
        .reduce(app.resources(), ResourceLimits::plus);
  }

  /**
   * This instance with the app resized (a plan upgrade): companions keep their resources.
   *
   * @param planSlug the new plan
   * @param resources the new plan's resources
   * @return the resized specification
   */
  public InstanceSpec resizedTo(String planSlug, ResourceLimits resources) {
    ContainerSpec resized = app.withResources(Objects.requireNonNull(resources, "resources"));
    return new InstanceSpec(
        instanceId,
        ownerId,
        subdomain,
        serviceSlug,
        planSlug,
        resized,
        companions,
        generatedSecrets);
  }
}
