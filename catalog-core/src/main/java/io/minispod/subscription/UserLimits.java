package io.minispod.subscription;

import java.util.Objects;

/**
 * What each user may hold at once: the SPI behind the per-user quota pools {@code
 * user:<id>:instances}, {@code user:<id>:cpu-millicores}, {@code user:<id>:memory-mib} and {@code
 * user:<id>:storage-gib} ({@link QuotaPools}). Subscribing takes a user's instance and resources
 * from them, an upgrade takes what its new plan needs beyond the old one; what does not fit is
 * refused with {@link InsufficientResourcesException} ({@code INSUFFICIENT_RESOURCES}) before
 * anything is held or charged.
 *
 * <p>The default, built from {@link SubscriptionsBuilder#instancesPerUser}, {@link
 * SubscriptionsBuilder#cpuMillicoresPerUser}, {@link SubscriptionsBuilder#memoryMiBPerUser} and
 * {@link SubscriptionsBuilder#storageGiBPerUser}, gives every user the same ({@link #uniform}). A
 * host with plans of its own (a customer tier, a support override) hands in its own through {@link
 * SubscriptionsBuilder#userLimits}:
 *
 * <pre>{@code
 * UserLimit standard = new UserLimit(10, 8_000, 16_384, 200);
 * UserLimits limits =
 *     userId -> partners.contains(userId) ? standard.withCpuMillicores(32_000) : standard;
 * Subscriptions.builder(catalog, billing, provisioner).userLimits(limits).build();
 * }</pre>
 *
 * <p>Each node asks at most once per user per {@link SubscriptionsBuilder#USER_LIMITS_REFRESH} (on
 * the subscription side's clock) and keeps the answer meanwhile, so a changed answer takes effect
 * on every node within that time. A lowered limit that is below what the user already holds keeps
 * the user at what they hold (nothing is taken away; nothing more is granted) and moves down to the
 * new limit as their usage drops. It is called on the threads that subscribe and upgrade: it must
 * be thread-safe, and quick or cached on the host's side.
 */
@FunctionalInterface
public interface UserLimits {

  /**
   * What a user may hold.
   *
   * @param userId the user, as the host identifies them
   * @return the user's limit, never null
   */
  UserLimit limitOf(String userId);

  /**
   * The same limit for every user.
   *
   * @param limit what each user may hold
   * @return limits that answer {@code limit} for everyone
   */
  static UserLimits uniform(UserLimit limit) {
    Objects.requireNonNull(limit, "limit");
    return userId -> limit;
  }
}
