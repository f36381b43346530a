package io.minispod.spring.web;

import io.minispod.billing.BillingLine;
import io.minispod.billing.Price;
import io.minispod.billing.ProrationQuote;
import io.minispod.billing.RevenueTotal;
import io.minispod.catalog.CategoryRef;
import io.minispod.catalog.Plan;
import io.minispod.catalog.PlanDetails;
import io.minispod.catalog.QuotaFigures;
import io.minispod.catalog.ServiceCategory;
import io.minispod.catalog.ServiceDefinition;
import io.minispod.catalog.ServiceDetails;
import io.minispod.catalog.ServiceSummary;
import io.minispod.catalog.template.AppTemplate;
import io.minispod.catalog.template.Probe;
import io.minispod.catalog.template.Resources;
import io.minispod.provisioner.InstanceBackup;
import io.minispod.provisioner.ResourceUsage;
import io.minispod.subscription.HealthCheck;
import io.minispod.subscription.Instance;
import io.minispod.subscription.InstanceSummary;
import io.minispod.subscription.InstanceTransition;
import io.minispod.subscription.MonthlyChurn;
import io.minispod.subscription.Operation;
import io.minispod.subscription.PastDue;
import io.minispod.subscription.PlanUsage;
import io.minispod.subscription.PlanUtilisation;
import io.minispod.subscription.RecurringRevenue;
import io.minispod.subscription.ScheduledChange;
import io.minispod.subscription.SubscribeConversion;
import io.minispod.subscription.Subscription;
import io.minispod.subscription.SubscriptionAnalytics;
import io.minispod.subscription.SubscriptionTransition;
import io.minispod.subscription.UpgradeAdoption;
import io.minispod.subscription.UpgradeOption;
import io.minispod.subscription.UpgradeRecommendation;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** The JSON representations of API.md, built from the library's records. */
final class Views {

  private Views() {}

  record CategoryView(UUID id, String slug, String name, String description, long serviceCount) {
    static CategoryView of(ServiceCategory c) {
      return new CategoryView(c.id(), c.slug(), c.name(), c.description(), c.serviceCount());
    }
  }

  record CategoryRefView(String slug, String name) {
    static CategoryRefView of(CategoryRef c) {
      return c == null ? null : new CategoryRefView(c.slug(), c.name());
    }
  }

  record PriceView(long amount, String currency, String period) {
    static PriceView of(Price p) {
      return p == null
          ? null
          : new PriceView(
              p.amount().minorUnits(),
              p.amount().currency().getCurrencyCode(),
              p.interval().name());
    }
  }

  record ResourcesView(int cpuMillicores, int memoryMiB, int storageGiB) {
    static ResourcesView of(Resources r) {
      return r == null ? null : new ResourcesView(r.cpuMillicores(), r.memoryMiB(), r.storageGiB());
    }
  }

  record QuotaView(long total, long used, long available) {
    static QuotaView of(QuotaFigures q) {
      return q == null
          ? null
          : new QuotaView(q.total(), q.used(), Math.max(0, q.total() - q.used()));
    }
  }

  record ServiceSummaryView(
      UUID id,
      String slug,
      String name,
      CategoryRefView category,
      String description,
      List<String> tags,
      PriceView startingPrice,
      int planCount) {
    static ServiceSummaryView of(ServiceSummary s) {
      return new ServiceSummaryView(
          s.id(),
          s.slug(),
          s.name(),
          CategoryRefView.of(s.category()),
          s.description(),
          s.tags(),
          PriceView.of(s.startingPrice()),
          s.planCount());
    }
  }

  record PlanView(
      UUID id,
      String slug,
      String name,
      int tier,
      PriceView price,
      ResourcesView resources,
      Map<String, Object> features,
      QuotaView quota,
      boolean active) {
    static PlanView of(PlanDetails d) {
      Plan p = d.plan();
      return new PlanView(
          p.id(),
          p.slug(),
          p.name(),
          p.tier(),
          PriceView.of(p.price()),
          ResourcesView.of(p.resources()),
          p.features(),
          QuotaView.of(d.quota()),
          p.active());
    }
  }

  record ServiceDetailsView(
      UUID id,
      String slug,
      String name,
      CategoryRefView category,
      String description,
      List<String> tags,
      List<PlanView> plans) {
    static ServiceDetailsView of(ServiceDetails d) {
      ServiceDefinition s = d.service();
      return new ServiceDetailsView(
          s.id(),
          s.slug(),
          s.name(),
          CategoryRefView.of(s.category()),
          s.description(),
          s.tags(),
          d.plans().stream().map(PlanView::of).toList());
    }
  }

  record ProbeView(String type, String path, int port, List<String> command) {
    static ProbeView of(Probe p) {
      return p == null
          ? null
          : new ProbeView(
              p.kind().name().toLowerCase(Locale.ROOT), p.path(), p.port(), p.command());
    }
  }

  record TemplateView(
      String image,
      int port,
      Map<String, String> env,
      Set<String> managedEnv,
      String volumePath,
      ProbeView readiness,
      ProbeView liveness) {
    static TemplateView of(AppTemplate t) {
      return t == null
          ? null
          : new TemplateView(
              t.image(),
              t.port(),
              t.env(),
              t.managedEnv(),
              t.volumePath(),
              ProbeView.of(t.readiness()),
              ProbeView.of(t.liveness()));
    }
  }

  record AdminServiceView(
      UUID id,
      String slug,
      String name,
      CategoryRefView category,
      String description,
      List<String> tags,
      TemplateView template,
      String status,
      Instant createdAt,
      Instant updatedAt,
      Instant archivedAt) {
    static AdminServiceView of(ServiceDefinition s) {
      return new AdminServiceView(
          s.id(),
          s.slug(),
          s.name(),
          CategoryRefView.of(s.category()),
          s.description(),
          s.tags(),
          TemplateView.of(s.template()),
          s.status().name(),
          s.createdAt(),
          s.updatedAt(),
          s.archivedAt());
    }
  }

  record ServiceRefView(String slug, String name) {}

  record PlanRefView(UUID id, String slug, String name, int tier) {}

  record PeriodView(Instant start, Instant end) {}

  record InstanceRefView(UUID id, String status, String url) {
    static InstanceRefView of(InstanceSummary i) {
      return i == null ? null : new InstanceRefView(i.id(), i.status().name(), i.url());
    }
  }

  record SubscriptionView(
      UUID id,
      String userId,
      ServiceRefView service,
      PlanRefView plan,
      String status,
      PeriodView currentPeriod,
      InstanceRefView instance,
      Instant createdAt,
      Instant renewsAt,
      boolean cancelAtPeriodEnd,
      ScheduledChangeView scheduledChange,
      PastDueView pastDue) {
    static SubscriptionView of(Subscription s) {
      Plan p = s.plan();
      return new SubscriptionView(
          s.id(),
          s.userId(),
          new ServiceRefView(s.serviceSlug(), s.serviceName()),
          p == null ? null : new PlanRefView(p.id(), p.slug(), p.name(), p.tier()),
          s.status().name(),
          s.currentPeriod() == null
              ? null
              : new PeriodView(s.currentPeriod().start(), s.currentPeriod().end()),
          InstanceRefView.of(s.instance()),
          s.createdAt(),
          s.renewsAt(),
          s.cancelAtPeriodEnd(),
          ScheduledChangeView.of(s.scheduledChange()),
          PastDueView.of(s.pastDue()));
    }
  }

  record ScheduledChangeView(String planSlug, Instant effectiveAt) {
    static ScheduledChangeView of(ScheduledChange c) {
      return c == null ? null : new ScheduledChangeView(c.plan().slug(), c.effectiveAt());
    }
  }

  record PastDueView(Instant since, Instant nextRetryAt, int attempts) {
    static PastDueView of(PastDue p) {
      return p == null ? null : new PastDueView(p.since(), p.nextRetryAt(), p.attempts());
    }
  }

  record OptionPlanView(UUID id, String slug, String name, int tier, PriceView price) {}

  record QuoteView(long credit, long charge, long due, String currency) {
    static QuoteView of(ProrationQuote q) {
      return new QuoteView(
          q.credit().minorUnits(),
          q.charge().minorUnits(),
          q.due().minorUnits(),
          q.due().currency().getCurrencyCode());
    }
  }

  record UpgradeOptionView(
      OptionPlanView plan, QuoteView quote, long quotaAvailable, Instant effectiveAt) {
    static UpgradeOptionView of(UpgradeOption o) {
      Plan p = o.plan();
      return new UpgradeOptionView(
          new OptionPlanView(p.id(), p.slug(), p.name(), p.tier(), PriceView.of(p.price())),
          o.quote() == null ? null : QuoteView.of(o.quote()),
          o.quotaAvailable(),
          o.effectiveAt());
    }
  }

  record InstanceSummaryView(
      UUID id,
      UUID subscriptionId,
      String service,
      String plan,
      String status,
      String url,
      Instant createdAt) {
    static InstanceSummaryView of(Instance i) {
      return new InstanceSummaryView(
          i.id(),
          i.subscriptionId(),
          i.serviceSlug(),
          i.planSlug(),
          i.status().name(),
          i.url(),
          i.createdAt());
    }
  }

  record UsageView(long cpuMillicores, long memoryMiB, double storageGiB) {
    static UsageView of(ResourceUsage u) {
      return u == null ? null : new UsageView(u.cpuMillicores(), u.memoryMiB(), u.storageGiB());
    }
  }

  record HealthView(Instant at, boolean healthy, String detail) {
    static HealthView of(HealthCheck h) {
      return h == null ? null : new HealthView(h.at(), h.healthy(), h.detail());
    }
  }

  record RecommendationView(String planSlug, String reason) {
    static RecommendationView of(UpgradeRecommendation r) {
      return r == null ? null : new RecommendationView(r.planSlug(), r.reason());
    }
  }

  /** A backup of an instance: {@code reason} is {@code BEFORE_UPGRADE} or {@code SCHEDULED}. */
  record BackupView(String id, Instant takenAt, String reason) {
    static BackupView of(InstanceBackup b) {
      return new BackupView(b.id(), b.takenAt(), b.reason().name());
    }
  }

  record InstanceView(
      UUID id,
      UUID subscriptionId,
      String service,
      String plan,
      String status,
      String url,
      String customDomain,
      ResourcesView resources,
      UsageView usage,
      HealthView lastHealthCheck,
      RecommendationView recommendation,
      List<BackupView> backups,
      Map<String, String> env,
      Instant createdAt) {
    static InstanceView of(Instance i) {
      return new InstanceView(
          i.id(),
          i.subscriptionId(),
          i.serviceSlug(),
          i.planSlug(),
          i.status().name(),
          i.url(),
          i.customDomain(),
          ResourcesView.of(i.resources()),
          UsageView.of(i.usage()),
          HealthView.of(i.lastHealthCheck()),
          RecommendationView.of(i.recommendation()),
          i.backups().stream().map(BackupView::of).toList(),
          i.env(),
          i.createdAt());
    }
  }

  /** One status change of an instance; {@code from} is null for its creation. */
  record TransitionView(String from, String to, Instant at, String reason) {
    static TransitionView of(InstanceTransition t) {
      return new TransitionView(
          t.from() == null ? null : t.from().name(), t.to().name(), t.at(), t.reason());
    }

    static TransitionView of(SubscriptionTransition t) {
      return new TransitionView(t.from().name(), t.to().name(), t.at(), t.reason());
    }
  }

  record ErrorView(String code, String message, Map<String, Object> details) {}

  record OperationView(
      UUID id,
      String kind,
      UUID subscriptionId,
      String status,
      String step,
      Instant startedAt,
      Instant updatedAt,
      Object result,
      ErrorView error) {
    static OperationView of(Operation o, Object result, ErrorView error) {
      return new OperationView(
          o.id(),
          o.kind().name(),
          o.subscriptionId(),
          o.status().name(),
          o.step(),
          o.startedAt(),
          o.updatedAt(),
          result,
          error);
    }
  }

  record BillingLineView(
      UUID id,
      String type,
      long amount,
      String currency,
      String subscriptionId,
      PeriodView period,
      String status,
      String description,
      Instant createdAt) {
    static BillingLineView of(BillingLine l) {
      return new BillingLineView(
          l.id(),
          l.type().name(),
          l.amount().minorUnits(),
          l.amount().currency().getCurrencyCode(),
          l.reference() == null ? null : l.reference().id(),
          l.period() == null ? null : new PeriodView(l.period().start(), l.period().end()),
          l.status().name(),
          l.description(),
          l.createdAt());
    }
  }

  record StatusCountView(String service, String plan, String status, long count) {}

  record DailyCountView(String day, long count) {}

  record SubscriptionAnalyticsView(
      Instant from,
      Instant to,
      List<StatusCountView> counts,
      List<DailyCountView> newSubscriptions,
      List<DailyCountView> upgrades) {
    static SubscriptionAnalyticsView of(Instant from, Instant to, SubscriptionAnalytics a) {
      return new SubscriptionAnalyticsView(
          from,
          to,
          a.counts().stream()
              .map(
                  c ->
                      new StatusCountView(
                          c.serviceSlug(), c.planSlug(), c.status().name(), c.count()))
              .toList(),
          a.newSubscriptions().stream()
              .map(d -> new DailyCountView(d.day().toString(), d.count()))
              .toList(),
          a.upgrades().stream()
              .map(d -> new DailyCountView(d.day().toString(), d.count()))
              .toList());
    }
  }

  record QuotaUtilisationView(
      String service,
      String plan,
      String planName,
      long total,
      long used,
      long available,
      double percent) {
    static QuotaUtilisationView of(PlanUtilisation u) {
      double percent = u.total() == 0 ? 0 : Math.round(u.used() * 10_000.0 / u.total()) / 100.0;
      return new QuotaUtilisationView(
          u.serviceSlug(),
          u.planSlug(),
          u.planName(),
          u.total(),
          u.used(),
          Math.max(0, u.total() - u.used()),
          percent);
    }
  }

  record RevenueView(
      String service,
      String plan,
      String currency,
      long charged,
      long credited,
      long refunded,
      long net,
      long lines) {
    static RevenueView of(RevenueTotal r) {
      return new RevenueView(
          r.tags().get("service"),
          r.tags().get("plan"),
          r.charged().currency().getCurrencyCode(),
          r.charged().minorUnits(),
          r.credited().minorUnits(),
          r.refunded().minorUnits(),
          r.net().minorUnits(),
          r.lines());
    }
  }

  // ---------------------------------------------------------------- business analytics

  record RecurringRevenueView(
      String month,
      String currency,
      long mrr,
      long arr,
      long newMrr,
      long expansionMrr,
      long contractionMrr,
      long churnedMrr) {
    static RecurringRevenueView of(RecurringRevenue r) {
      return new RecurringRevenueView(
          r.month().toString(),
          r.currency(),
          r.mrr(),
          r.arr(),
          r.newMrr(),
          r.expansionMrr(),
          r.contractionMrr(),
          r.churnedMrr());
    }
  }

  record ChurnView(
      String month,
      long liveAtStart,
      long cancelled,
      long voluntary,
      long afterSuspension,
      Double churnRate) {
    static ChurnView of(MonthlyChurn c) {
      return new ChurnView(
          c.month().toString(),
          c.liveAtStart(),
          c.cancelled(),
          c.voluntary(),
          c.afterSuspension(),
          c.rate());
    }
  }

  record ConversionView(
      String service,
      String plan,
      long attempts,
      long successes,
      long pending,
      Map<String, Long> failures,
      double conversionRate) {
    static ConversionView of(SubscribeConversion c) {
      Map<String, Long> failures = new TreeMap<>();
      c.failures().forEach((code, count) -> failures.put(code.name(), count));
      return new ConversionView(
          c.serviceSlug(),
          c.planSlug(),
          c.attempts(),
          c.successes(),
          c.pending(),
          failures,
          c.rate());
    }
  }

  record PlanChangeView(String service, String fromPlan, String toPlan, long count) {
    static PlanChangeView of(UpgradeAdoption.PlanChange c) {
      return new PlanChangeView(c.serviceSlug(), c.fromPlanSlug(), c.toPlanSlug(), c.count());
    }
  }

  record UsageShareView(double mean, double p95) {
    static UsageShareView of(PlanUsage.UsageShare u) {
      return new UsageShareView(u.mean(), u.p95());
    }
  }

  record PlanUsageView(
      String service,
      String plan,
      long samples,
      UsageShareView cpu,
      UsageShareView memory,
      UsageShareView storage) {
    static PlanUsageView of(PlanUsage u) {
      return new PlanUsageView(
          u.serviceSlug(),
          u.planSlug(),
          u.samples(),
          UsageShareView.of(u.cpu()),
          UsageShareView.of(u.memory()),
          UsageShareView.of(u.storage()));
    }
  }
}
