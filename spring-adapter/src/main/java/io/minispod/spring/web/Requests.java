package io.minispod.spring.web;

import io.minispod.FieldErrors;
import io.minispod.ValidationException;
import io.minispod.billing.BillingInterval;
import io.minispod.billing.Money;
import io.minispod.billing.Price;
import io.minispod.catalog.PlanDraft;
import io.minispod.catalog.PlanUpdate;
import io.minispod.catalog.ServiceDraft;
import io.minispod.catalog.ServiceUpdate;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Probe;
import io.minispod.catalog.template.Resources;
import io.minispod.subscription.InstanceUpdate;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request bodies of API.md. Bean Validation checks their shape; the library checks their
 * meaning (slugs, limits), and both end as {@code VALIDATION_FAILED} with {@code details.fields}.
 */
final class Requests {

  private Requests() {}

  record SubscribeRequest(
      @NotBlank @Size(max = 100) String serviceSlug, @NotBlank @Size(max = 100) String planSlug) {}

  record UpgradeRequest(@NotBlank @Size(max = 100) String planSlug) {}

  /**
   * {@code POST /api/user/subscriptions/{id}/cancel}: {@code true} to cancel at the end of the paid
   * period, {@code false} to cancel now.
   */
  record CancelRequest(@NotNull Boolean atPeriodEnd) {}

  /**
   * {@code PATCH /api/user/instances/{id}}: environment changes, a custom domain, or both. A class,
   * not a record, because {@code "customDomain": null} (remove it) differs from no {@code
   * customDomain} at all (leave it): Jackson calls the setter for the first only.
   */
  static final class InstancePatchRequest {

    @Size(max = 100)
    private Map<String, String> env;

    @Size(max = 253)
    private String customDomain;

    private boolean customDomainGiven;

    public Map<String, String> getEnv() {
      return env;
    }

    public void setEnv(Map<String, String> env) {
      this.env = env;
    }

    public String getCustomDomain() {
      return customDomain;
    }

    public void setCustomDomain(String customDomain) {
      this.customDomain = customDomain;
      this.customDomainGiven = true;
    }

    /**
     * The library's change: no {@code env} changes no variable, no {@code customDomain} keeps it.
     */
    InstanceUpdate toUpdate() {
      return new InstanceUpdate(env, customDomainGiven, customDomain);
    }
  }

  record ProbeRequest(
      @NotBlank @Pattern(regexp = "(?i)http|tcp|exec", message = "must be http, tcp or exec")
          String type,
      @Size(max = 500) String path,
      @Min(1) @Max(65535) Integer port,
      @Size(max = 20) List<@NotBlank @Size(max = 500) String> command) {

    Probe toProbe(int templatePort) {
      int probePort = port == null ? templatePort : port;
      return switch (type.toLowerCase(Locale.ROOT)) {
        case "http" -> Probe.http(path == null ? "/" : path, probePort);
        case "tcp" -> Probe.tcp(probePort);
        default -> {
          if (command == null || command.isEmpty()) {
            FieldErrors errors = new FieldErrors();
            errors.require(false, "command", "must name a command for an exec probe");
            errors.throwIfAny();
          }
          yield Probe.exec(command.toArray(String[]::new));
        }
      };
    }
  }

  record TemplateRequest(
      @NotBlank @Size(max = 500) String image,
      @NotNull @Min(1) @Max(65535) Integer port,
      @Size(max = 100) Map<@NotBlank @Size(max = 128) String, @Size(max = 4096) String> env,
      @Size(max = 100) Set<@NotBlank @Size(max = 128) String> managedEnv,
      @Size(max = 500) String volumePath,
      @Valid ProbeRequest readiness,
      @Valid ProbeRequest liveness) {

    AppTemplate toTemplate() {
      AppTemplate.Builder builder = AppTemplate.builder(image, port);
      if (env != null) {
        env.forEach(
            (key, value) -> {
              if (managedEnv != null && managedEnv.contains(key)) {
                builder.managedEnv(key, value);
              } else {
                builder.env(key, value);
              }
            });
      }
      if (volumePath != null) {
        builder.volumePath(volumePath);
      }
      if (readiness != null) {
        builder.readiness(readiness.toProbe(port));
      }
      if (liveness != null) {
        builder.liveness(liveness.toProbe(port));
      }
      return builder.build();
    }
  }

  record ServiceRequest(
      @Size(max = 100) String slug,
      @Size(max = 200) String name,
      @Size(max = 100) String categorySlug,
      @Size(max = 5000) String description,
      @Size(max = 50) List<@NotBlank @Size(max = 100) String> tags,
      @Valid TemplateRequest template) {

    ServiceDraft toDraft() {
      FieldErrors errors = new FieldErrors();
      errors.require(slug != null, "slug", "must be given");
      errors.require(name != null, "name", "must be given");
      errors.require(categorySlug != null, "categorySlug", "must be given");
      errors.require(template != null, "template", "must be given");
      errors.throwIfAny();
      return new ServiceDraft(slug, name, categorySlug, description, tags, template.toTemplate());
    }

    ServiceUpdate toUpdate() {
      ServiceUpdate.Builder builder = ServiceUpdate.builder();
      if (slug != null) {
        builder.slug(slug);
      }
      if (name != null) {
        builder.name(name);
      }
      if (categorySlug != null) {
        builder.categorySlug(categorySlug);
      }
      if (description != null) {
        builder.description(description);
      }
      if (tags != null) {
        builder.tags(tags);
      }
      if (template != null) {
        builder.template(template.toTemplate());
      }
      return builder.build();
    }
  }

  record PriceRequest(
      @NotNull @PositiveOrZero Long amount,
      @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as IDR")
          String currency,
      @Pattern(regexp = "(?i)MONTHLY|YEARLY", message = "must be MONTHLY or YEARLY")
          String period) {

    /** The price, or every problem billing-core finds with it, named under {@code price.}. */
    Price toPrice() {
      BillingInterval interval =
          period == null
              ? BillingInterval.MONTHLY
              : BillingInterval.valueOf(period.toUpperCase(Locale.ROOT));
      try {
        return new Price(Money.of(amount, currency), interval);
      } catch (ValidationException e) {
        FieldErrors errors = new FieldErrors();
        e.fieldErrors()
            .forEach((field, message) -> errors.require(false, "price." + field, message));
        errors.throwIfAny();
        throw e;
      }
    }
  }

  record ResourcesRequest(
      @NotNull @Min(1) @Max(1_000_000) Integer cpuMillicores,
      @NotNull @Min(1) @Max(10_000_000) Integer memoryMiB,
      @NotNull @Min(0) @Max(1_000_000) Integer storageGiB) {

    Resources toResources() {
      return new Resources(cpuMillicores, memoryMiB, storageGiB);
    }
  }

  record PlanRequest(
      @Size(max = 100) String slug,
      @Size(max = 200) String name,
      @Min(1) @Max(1000) Integer tier,
      @Valid PriceRequest price,
      @Valid ResourcesRequest resources,
      @PositiveOrZero @Max(1_000_000_000) Long quotaTotal,
      @Size(max = 50) Map<@NotBlank @Size(max = 100) String, Object> features,
      Boolean active) {

    PlanDraft toDraft() {
      FieldErrors errors = new FieldErrors();
      errors.require(slug != null, "slug", "must be given");
      errors.require(name != null, "name", "must be given");
      errors.require(tier != null, "tier", "must be given");
      errors.require(price != null, "price", "must be given");
      errors.require(resources != null, "resources", "must be given");
      errors.require(quotaTotal != null, "quotaTotal", "must be given");
      errors.throwIfAny();
      return new PlanDraft(
          slug, name, tier, price.toPrice(), resources.toResources(), quotaTotal, features);
    }

    PlanUpdate toUpdate() {
      PlanUpdate.Builder builder = PlanUpdate.builder();
      if (slug != null) {
        builder.slug(slug);
      }
      if (name != null) {
        builder.name(name);
      }
      if (tier != null) {
        builder.tier(tier);
      }
      if (price != null) {
        builder.price(price.toPrice());
      }
      if (resources != null) {
        builder.resources(resources.toResources());
      }
      if (quotaTotal != null) {
        builder.quotaTotal(quotaTotal);
      }
      if (features != null) {
        builder.features(features);
      }
      if (active != null) {
        builder.active(active);
      }
      return builder.build();
    }
  }
}
