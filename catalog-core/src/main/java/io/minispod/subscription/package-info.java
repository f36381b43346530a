/**
 * Selling the catalog: subscriptions, upgrades, cancellations, instances, health and analytics.
 * Entry point: {@link io.minispod.subscription.Subscriptions}, built with {@link
 * io.minispod.subscription.Subscriptions#builder} over a {@link io.minispod.catalog.Catalog}, a
 * billing-core {@link io.minispod.billing.BillingService} and a {@link
 * io.minispod.provisioner.Provisioner}. It serves {@link
 * io.minispod.subscription.SubscriptionService}, {@link io.minispod.subscription.UpgradeService},
 * {@link io.minispod.subscription.InstanceService}, {@link
 * io.minispod.subscription.AnalyticsService} and the {@link
 * io.minispod.subscription.HealthMonitor}; {@link io.minispod.subscription.UpgradePolicy}, {@link
 * io.minispod.subscription.CancellationPolicy}, {@link io.minispod.subscription.DunningPolicy},
 * {@link io.minispod.subscription.UserLimits} and {@link io.minispod.subscription.AlertSink} are
 * the SPIs a host may replace.
 */
package io.minispod.subscription;
