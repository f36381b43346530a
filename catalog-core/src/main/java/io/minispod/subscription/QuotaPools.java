package io.minispod.subscription;

/**
 * The quota-core pools a subscription holds besides its plan's ({@link
 * io.minispod.catalog.Plan#quotaPoolKey()}): one of its user's instances, the cluster resources its
 * instance takes, and the same resources from its user's own pools. A user's pools exist only for
 * what their {@link UserLimit} limits; their capacity follows {@link UserLimits} (a capacity set by
 * hand is moved back to the limit the next time a node refreshes the user's limits). A host may
 * read them, or set the cluster's capacity, through its {@link io.minispod.quota.QuotaManager}.
 */
public final class QuotaPools {

  /** The cluster's CPU, in millicores. */
  public static final String CLUSTER_CPU = "cluster:cpu-millicores";

  /** The cluster's memory, in MiB. */
  public static final String CLUSTER_MEMORY = "cluster:memory-mib";

  /** The cluster's storage, in GiB. */
  public static final String CLUSTER_STORAGE = "cluster:storage-gib";

  private static final String USER_CPU = ":cpu-millicores";
  private static final String USER_MEMORY = ":memory-mib";
  private static final String USER_STORAGE = ":storage-gib";

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

  /**
   * The pool of the CPU a user's live instances take, in millicores; kept only while the user's CPU
   * is limited.
   *
   * @param userId the user
   * @return {@code user:<userId>:cpu-millicores}
   */
  public static String userCpu(String userId) {
    return "user:" + userId + USER_CPU;
  }

  /**
   * The pool of the memory a user's live instances take, in MiB; kept only while the user's memory
   * is limited.
   *
   * @param userId the user
   * @return {@code user:<userId>:memory-mib}
   */
  public static String userMemory(String userId) {
    return "user:" + userId + USER_MEMORY;
  }

  /**
   * The pool of the storage a user's live instances take, in GiB; kept only while the user's
   * storage is limited.
   *
   * @param userId the user
   * @return {@code user:<userId>:storage-gib}
   */
  public static String userStorage(String userId) {
    return "user:" + userId + USER_STORAGE;
  }
}
