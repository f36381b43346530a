package io.minispod.subscription.internal;

import io.minispod.catalog.CatalogPort;
import io.minispod.catalog.Plan;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.internal.db.tables.records.InstanceRecord;
import io.minispod.catalog.internal.db.tables.records.SubscriptionRecord;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.GeneratedSecret;
import io.minispod.catalog.template.Probe;
import io.minispod.catalog.template.RunAs;
import io.minispod.provisioner.ContainerSpec;
import io.minispod.provisioner.FailureReason;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProbeSpec;
import io.minispod.provisioner.ProvisioningException;
import io.minispod.provisioner.ResourceLimits;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jooq.DSLContext;

/**
 * Turns a subscription, its instance and its plan into the {@link InstanceSpec} the provisioner
 * takes, and names new instances.
 *
 * <p>Template placeholders become the provisioner's: {@code ${host}} and {@code ${url}} become
 * {@code {{host}}} and {@code {{url}}}, {@code ${companion:NAME}} becomes {@code
 * {{companion:NAME}}}, {@code ${protocol}} becomes {@code {{scheme}}} (the scheme the provisioner
 * serves the instance on, which its {@code {{url}}} has too; the Kubernetes provisioner fills it
 * in), and a variable whose whole value is {@code ${secret:NAME}} is read from generated secret
 * NAME. HTTP probes carry over; TCP and exec probes become the provisioner's default TCP check of
 * the port.
 *
 * <p>Its reads take a connection of their own: never call it inside a transaction, where it would
 * hold two connections at once and could starve the pool under load.
 */
final class InstanceSpecFactory {

  private static final Pattern WHOLE_SECRET = Pattern.compile("\\$\\{secret:([a-z0-9-]+)}");
  private static final Pattern COMPANION = Pattern.compile("\\$\\{companion:([a-z0-9-]+)}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] LABEL_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final DSLContext dsl;
  private final CatalogPort catalog;
  private final SubscriptionStore subscriptions;

  InstanceSpecFactory(DSLContext dsl, CatalogPort catalog, SubscriptionStore subscriptions) {
    this.dsl = dsl;
    this.catalog = catalog;
    this.subscriptions = subscriptions;
  }

  /**
   * A fresh, unguessable DNS label for an instance: the service's slug and eight random characters.
   */
  String newSubdomain(Plan plan) {
    String slug = catalog.service(plan.serviceId()).definition().slug();
    StringBuilder label =
        new StringBuilder(slug.substring(0, Math.min(slug.length(), 50))).append('-');
    for (int i = 0; i < 8; i++) {
      label.append(LABEL_ALPHABET[RANDOM.nextInt(LABEL_ALPHABET.length)]);
    }
    return label.toString();
  }

  /**
   * The specification of a subscription's instance on a plan, with its owner's stored environment
   * and custom domain.
   */
  InstanceSpec spec(SubscriptionRecord subscription, InstanceRecord instance, Plan plan) {
    return spec(subscription, instance, plan, subscriptions.env(dsl, instance.getInstanceId()));
  }

  /**
   * The specification of a subscription's instance on a plan, with the given owner's environment
   * and the instance's stored custom domain.
   */
  InstanceSpec spec(
      SubscriptionRecord subscription,
      InstanceRecord instance,
      Plan plan,
      Map<String, String> userEnv) {
    ServiceDefinition service = catalog.service(subscription.getServiceId()).definition();
    AppTemplate template = service.template();
    UUID instanceId = instance.getInstanceId();
    Map<String, String> env = new HashMap<>(template.env());
    env.putAll(userEnv);
    ContainerSpec app =
        container(
            instanceId,
            "app",
            template.image(),
            template.port(),
            env,
            template.volumePath(),
            template.readiness(),
            template.liveness(),
            template.runAs(),
            QuotaFootprint.limits(plan.resources()));
    List<ContainerSpec> companions =
        template.companions().stream()
            .map(
                c ->
                    container(
                        instanceId,
                        c.name(),
                        c.image(),
                        c.port(),
                        c.env(),
                        c.volumePath(),
                        c.readiness(),
                        c.liveness(),
                        c.runAs(),
                        QuotaFootprint.limits(c.resources())))
            .toList();
    return new InstanceSpec(
        instanceId,
        subscription.getUserId(),
        instance.getSubdomain(),
        service.slug(),
        plan.slug(),
        app,
        companions,
        template.secrets().stream().map(GeneratedSecret::name).collect(Collectors.toSet()),
        instance.getCustomDomain());
  }

  private static ContainerSpec container(
      UUID instanceId,
      String name,
      String image,
      int port,
      Map<String, String> templateEnv,
      String volumePath,
      Probe readiness,
      Probe liveness,
      RunAs runAs,
      ResourceLimits resources) {
    Map<String, String> env = new HashMap<>();
    Map<String, String> secretEnv = new HashMap<>();
    templateEnv.forEach(
        (key, value) -> {
          Matcher secret = WHOLE_SECRET.matcher(value);
          if (secret.matches()) {
            secretEnv.put(key, secret.group(1));
          } else if (value.contains("${secret:")) {
            throw ProvisioningException.of(
                instanceId,
                FailureReason.CONFIGURATION,
                false,
                "environment variable "
                    + key
                    + " embeds a secret; a secret must be its whole value",
                null);
          } else {
            env.put(key, translate(value));
          }
        });
    return new ContainerSpec(
        name,
        image,
        port,
        env,
        secretEnv,
        volumePath,
        probe(readiness),
        probe(liveness),
        runAs.user(),
        runAs.group(),
        resources);
  }

  private static String translate(String value) {
    String translated =
        value
            .replace("${host}", "{{host}}")
            .replace("${url}", "{{url}}")
            .replace("${protocol}", "{{scheme}}");
    return COMPANION.matcher(translated).replaceAll("{{companion:$1}}");
  }

  private static ProbeSpec probe(Probe probe) {
    if (probe == null || probe.kind() != Probe.Kind.HTTP) {
      return null;
    }
    return new ProbeSpec(
        probe.path(),
        Duration.ofSeconds(probe.initialDelaySeconds()),
        Duration.ofSeconds(probe.periodSeconds()),
        probe.failureThreshold());
  }
}
