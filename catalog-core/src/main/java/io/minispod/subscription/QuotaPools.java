package io.minispod.subscription;

/**
 * The quota-core pools a subscription holds besides its plan's ({@link
 * io.minispod.catalog.Plan#quotaPoolKey()}): one of its user's instances and the cluster resources
 * its instance takes. A host may read them, or set their capacity, through its {@link
 * io.minispod.quota.QuotaManager}.
 */
public final class QuotaPools {

  /** The cluster's CPU, in millicores. */
  public static final String CLUSTER_CPU = "cluster:cpu-millicores";

  /** The cluster's memory, in MiB. */
  public static final String CLUSTER_MEMORY = "cluster:memory-mib";

  /** The cluster's storage, in GiB. */
  public static final String CLUSTER_STORAGE = "cluster:storage-gib";

  private QuotaPools() {}

  /**
   * The pool of a user's live instances.
   *
   * @param userId the user
   * @return {@code user:<userId>:instances}
   */
  public static String userInstances(String userId) {
    return "user:" + userId + ":instances";
  }
}
