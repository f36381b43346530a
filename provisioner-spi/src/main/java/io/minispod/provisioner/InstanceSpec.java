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
 * @param customDomain a host name of the owner's choosing, such as {@code blog.example.com}, that
 *     the instance is served on besides its own ({@link #isCustomDomain}); {@code null} for none.
 *     The provisioner serves it (with TLS where it serves TLS) and tells the app it as its public
 *     host ({@code {{host}}} and {@code {{url}}}); the owner points its DNS at the platform
 */
public record InstanceSpec(
    UUID instanceId,
    String ownerId,
    String subdomain,
    String serviceSlug,
    String planSlug,
    ContainerSpec app,
    List<ContainerSpec> companions,
    Set<String> generatedSecrets,
    String customDomain) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern HOST_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern NUMERIC = Pattern.compile("[0-9]+");
  private static final int MAX_HOST_LENGTH = 253;

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
    errors.require(
        customDomain == null || isCustomDomain(customDomain),
        "customDomain",
        "must be a lower-case DNS-1123 host name of at least two labels such as blog.example.com,"
            + " was "
            + customDomain);
    errors.throwIfAny();
    companions = List.copyOf(companions);
    generatedSecrets = secrets;
  }

  /**
   * An instance without a custom domain: the specification as it was before {@link #customDomain()}
   * existed.
   *
   * @param instanceId see the record's description
   * @param ownerId see the record's description
   * @param subdomain see the record's description
   * @param serviceSlug see the record's description
   * @param planSlug see the record's description
   * @param app see the record's description
   * @param companions see the record's description
   * @param generatedSecrets see the record's description
   * @throws io.minispod.ValidationException naming every bad field
   */
  public InstanceSpec(
      UUID instanceId,
      String ownerId,
      String subdomain,
      String serviceSlug,
      String planSlug,
      ContainerSpec app,
      List<ContainerSpec> companions,
      Set<String> generatedSecrets) {
    this(
        instanceId,
        ownerId,
        subdomain,
        serviceSlug,
        planSlug,
        app,
        companions,
        generatedSecrets,
        null);
  }

  /**
   * Whether a host name may be an instance's custom domain: a DNS-1123 subdomain in lower case (dot
   * separated labels of letters, digits and inner hyphens, each at most 63 characters, at most 253
   * in all) of at least two labels, whose last label is not a number (so no IP address), without a
   * trailing dot or a wildcard.
   *
   * @param host the host name, such as {@code blog.example.com}
   * @return whether it is acceptable
   */
  public static boolean isCustomDomain(String host) {
    if (host == null || host.length() > MAX_HOST_LENGTH) {
      return false;
    }
    String[] labels = host.split("\\.", -1);
    if (labels.length < 2 || NUMERIC.matcher(labels[labels.length - 1]).matches()) {
      return false;
    }
    for (String label : labels) {
      if (!HOST_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /**
   * This instance with another custom domain, everything else kept.
   *
   * @param customDomain the host name, or {@code null} for none
   * @return the specification
   * @throws io.minispod.ValidationException when {@code customDomain} is not acceptable ({@link
   *     #isCustomDomain})
   */
  public InstanceSpec withCustomDomain(String customDomain) {
    return new InstanceSpec(
        instanceId,
        ownerId,
        subdomain,
        serviceSlug,
        planSlug,
        app,
        companions,
        generatedSecrets,
        customDomain);
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
   * Whether the instance keeps data: whether the app or a companion has a volume ({@link
   * ContainerSpec#volumePath()}). Only such an instance has anything to back up.
   *
   * @return {@code true} when any container has a volume path
   */
  public boolean hasData() {
    return app.volumePath() != null || companions.stream().anyMatch(c -> c.volumePath() != null);
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
        generatedSecrets,
        customDomain);
  }
}
