package io.minispod.provisioner;

import io.minispod.Sha256;
import io.minispod.provisioner.ObservedInstance.State;
import io.minispod.provisioner.ProvisionerCall.Operation;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Provisioner} that keeps instances in memory: the default of the demo, and what hosts
 * test against. Thread-safe.
 *
 * <p>Besides behaving like a platform (idempotent calls, secrets generated once and kept, storage
 * that never shrinks), it lets a test script every failure path: {@link #failNext} fails the next
 * calls, {@link #failInstance} fails every call for one instance, {@link #hang} blocks calls until
 * {@link #release}, {@link #setLatency} slows every call down, and {@link #calls()} records what
 * was asked. It also lets a test change the platform behind the library's back, for a reconciler to
 * notice: {@link #lose} takes an instance away, {@link #drift} changes what its app runs with.
 *
 * <p>Like a platform that serves its instances under one base domain, it refuses a custom domain
 * ({@link InstanceSpec#customDomain()}) that is its base domain or lies under it, where it would
 * take another instance's host name: a {@link FailureReason#CONFIGURATION} failure.
 *
 * <p>It backs instances up ({@link #supportsBackups()}): a backup is a record, dated by its clock,
 * that {@link #backups} lists until it is pruned or the instance deprovisioned.
 *
 * <p>Every instance it has is whole: {@link #instances()} lists each as {@link State#COMPLETE}
 * (changes happen at once here, so nothing is ever half-made or half-removed).
 */
public final class InMemoryProvisioner implements Provisioner {

  private static final Logger log = LoggerFactory.getLogger(InMemoryProvisioner.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Stable: of two backups taken at the same instant, the later one stays first. */
  private static final Comparator<InstanceBackup> NEWEST_FIRST =
      Comparator.comparing(InstanceBackup::takenAt).reversed();

  private final String baseDomain;
  private final Clock clock;
  private final Map<UUID, Running> instances = new ConcurrentHashMap<>();
  private final Map<UUID, List<InstanceBackup>> backups = new ConcurrentHashMap<>();
  private final List<ProvisionerCall> calls = new ArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final Set<UUID> failingInstances = ConcurrentHashMap.newKeySet();
  private volatile boolean failNextRetryable;
  private volatile Duration latency = Duration.ZERO;
  private volatile CountDownLatch hang;

  /**
   * Creates a provisioner whose instances live at {@code https://<subdomain>.<baseDomain>}.
   *
   * @param baseDomain such as {@code apps.example.com}
   */
  public InMemoryProvisioner(String baseDomain) {
    this(baseDomain, Clock.systemUTC());
  }

  /**
   * Creates a provisioner whose instances live at {@code https://<subdomain>.<baseDomain>} and
   * whose backups are dated by {@code clock}.
   *
   * @param baseDomain such as {@code apps.example.com}
   * @param clock dates backups
   */
  public InMemoryProvisioner(String baseDomain, Clock clock) {
    this.baseDomain = Objects.requireNonNull(baseDomain, "baseDomain");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ---------------------------------------------------------------- scripting

  /**
   * Slows every call down by this much, as a real platform would be.
   *
   * @param latency the added delay, zero for none
   */
  public void setLatency(Duration latency) {
    this.latency = Objects.requireNonNull(latency, "latency");
  }

  /**
   * Makes the next {@code count} calls fail (whatever instance they are for).
   *
   * @param count how many calls
   * @param retryable whether the failures say trying again may help
   */
  public void failNext(int count, boolean retryable) {
    failNextRetryable = retryable;
    failNext.set(count);
  }

  /**
   * Makes every call for one instance fail (not retryable) until {@link #heal(UUID)}.
   *
   * @param instanceId the instance
   */
  public void failInstance(UUID instanceId) {
    failingInstances.add(instanceId);
  }

  /**
   * Stops failing calls for an instance.
   *
   * @param instanceId the instance
   */
  public void heal(UUID instanceId) {
    failingInstances.remove(instanceId);
  }

  /** Makes every following call block until {@link #release()}, like a platform that hangs. */
  public void hang() {
    hang = new CountDownLatch(1);
  }

  /** Lets blocked and following calls proceed. */
  public void release() {
    CountDownLatch blocked = hang;
    hang = null;
    if (blocked != null) {
      blocked.countDown();
    }
  }

  /**
   * Sets what {@link #health} reports for an instance.
   *
   * @param instanceId the instance
   * @param health its health from now on
   */
  public void setHealth(UUID instanceId, InstanceHealth health) {
    running(instanceId).ifPresent(r -> r.health = health);
  }

  /**
   * Sets what {@link #usage} reports for an instance.
   *
   * @param instanceId the instance
   * @param usage its usage from now on
   */
  public void setUsage(UUID instanceId, ResourceUsage usage) {
    running(instanceId).ifPresent(r -> r.usage = usage);
  }

  /**
   * Takes an instance away behind the library's back, as a platform loses one (its namespace
   * deleted by hand, its node gone): no call is recorded, its generated secrets go with it, and
   * {@link #instances()} no longer lists it. Provisioning or resizing it creates it anew.
   *
   * @param instanceId the instance; nothing happens when it does not exist
   */
  public void lose(UUID instanceId) {
    instances.remove(instanceId);
  }

  /**
   * Changes what an instance's app runs with behind the library's back, as an operator editing its
   * workload by hand would: {@link #instances()} and {@link #instance} report the new resources
   * until a resize puts the plan's back (a volume drifted larger than the plan's makes that resize
   * fail, as storage never shrinks).
   *
   * @param instanceId the instance; nothing happens when it does not exist
   * @param resources what its app runs with from now on
   */
  public void drift(UUID instanceId, ResourceLimits resources) {
    Objects.requireNonNull(resources, "resources");
    instances.computeIfPresent(
        instanceId,
        (id, running) -> {
          Running drifted =
              new Running(
                  running.spec.resizedTo(running.spec.planSlug(), resources), running.secrets);
          drifted.health = running.health;
          drifted.usage = running.usage;
          return drifted;
        });
  }

  // ---------------------------------------------------------------- inspection

  /**
   * Every call received so far, in order.
   *
   * @return a copy of the record
   */
  public List<ProvisionerCall> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /**
   * How many calls of one kind were received.
   *
   * @param operation the kind
   * @return the count, failed calls included
   */
  public long count(Operation operation) {
    return calls().stream().filter(c -> c.operation() == operation).count();
  }

  /**
   * The specification an instance currently runs with.
   *
   * @param instanceId the instance
   * @return its specification, or empty when it does not exist
   */
  public Optional<InstanceSpec> instance(UUID instanceId) {
    return running(instanceId).map(r -> r.spec);
  }

  /**
   * How many instances exist.
   *
   * @return the count
   */
  public int size() {
    return instances.size();
  }

  /**
   * The generated secret values of an instance, so tests can show they survive upgrades.
   *
   * @param instanceId the instance
   * @return secret key to value; empty when the instance does not exist
   */
  public Map<String, String> generatedSecrets(UUID instanceId) {
    return running(instanceId).map(r -> Map.copyOf(r.secrets)).orElse(Map.of());
  }

  // ---------------------------------------------------------------- the SPI

  @Override
  public ProvisionedInstance provision(InstanceSpec spec) {
    return call(
        Operation.PROVISION,
        spec.instanceId(),
        () -> {
          checkCustomDomain(spec);
          Running running =
              instances.compute(
                  spec.instanceId(),
                  (id, existing) -> {
                    Running next =
                        new Running(
                            spec, withSecrets(spec, existing == null ? null : existing.secrets));
                    if (existing != null) {
                      next.health = existing.health;
                      next.usage = existing.usage;
                    }
                    return next;
                  });
          log.debug("Instance {} of {} provisioned", spec.instanceId(), spec.ownerId());
          return new ProvisionedInstance(url(running.spec), namespaceOf(spec.ownerId()));
        });
  }

  @Override
  public void resize(InstanceSpec spec) {
    call(
        Operation.RESIZE,
        spec.instanceId(),
        () -> {
          checkCustomDomain(spec);
          Optional<Running> existing = running(spec.instanceId());
          if (existing.isEmpty()) {
            // Lost by the platform (or never there): made so, as provision would.
            instances.put(spec.instanceId(), new Running(spec, withSecrets(spec, null)));
            return null;
          }
          Running running = existing.get();
          if (spec.app().resources().storageGiB() < running.spec.app().resources().storageGiB()) {
            throw ProvisioningException.of(
                spec.instanceId(),
                FailureReason.STORAGE,
                false,
                "storage cannot shrink: the app's volume has "
                    + running.spec.app().resources().storageGiB()
                    + "Gi, the plan asks for "
                    + spec.app().resources().storageGiB()
                    + "Gi",
                null);
          }
          Running resized = new Running(spec, running.secrets);
          resized.health = running.health;
          resized.usage = running.usage;
          instances.put(spec.instanceId(), resized);
          return null;
        });
  }

  @Override
  public void deprovision(InstanceRef instance) {
    call(
        Operation.DEPROVISION,
        instance.instanceId(),
        () -> {
          instances.remove(instance.instanceId());
          backups.remove(instance.instanceId());
          return null;
        });
  }

  /** Marks the instance stopped: it reports itself down until started, and keeps everything. */
  @Override
  public void stop(InstanceRef instance) {
    setStopped(Operation.STOP, instance, true);
  }

  /** Starts a stopped instance again. */
  @Override
  public void start(InstanceRef instance) {
    setStopped(Operation.START, instance, false);
  }

  private void setStopped(Operation operation, InstanceRef instance, boolean stopped) {
    call(
        operation,
        instance.instanceId(),
        () -> {
          Running running =
              running(instance.instanceId())
                  .orElseThrow(
                      () ->
                          ProvisioningException.of(
                              instance.instanceId(),
                              FailureReason.CLUSTER_ERROR,
                              false,
                              "instance does not exist",
                              null));
          running.stopped = stopped;
          return null;
        });
  }

  /**
   * Whether an instance is stopped ({@link #stop}) rather than running.
   *
   * @param instanceId the instance
   * @return true while it is stopped; false when it runs or does not exist
   */
  public boolean isStopped(UUID instanceId) {
    return running(instanceId).map(r -> r.stopped).orElse(false);
  }

  /** Backs instances up, as records in memory. */
  @Override
  public boolean supportsBackups() {
    return true;
  }

  /**
   * Records a backup dated now by its clock (or answers the one {@code key} made) and forgets the
   * oldest beyond {@code keep}. An instance that does not exist, or has no volume ({@link
   * InstanceSpec#hasData()}), has nothing to back up: empty.
   */
  @Override
  public Optional<InstanceBackup> backUp(
      InstanceRef instance, String key, InstanceBackup.Reason reason, int keep) {
    Objects.requireNonNull(reason, "reason");
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, was " + keep);
    }
    UUID id = instance.instanceId();
    String backupId = Sha256.hex(id + " " + Objects.requireNonNull(key, "key")).substring(0, 12);
    return call(
        Operation.BACK_UP,
        id,
        () -> {
          if (running(id).filter(r -> r.spec.hasData()).isEmpty()) {
            return Optional.empty();
          }
          InstanceBackup[] taken = new InstanceBackup[1];
          backups.compute(
              id,
              (i, had) -> {
                List<InstanceBackup> all = had == null ? new ArrayList<>() : new ArrayList<>(had);
                taken[0] =
                    all.stream()
                        .filter(b -> b.id().equals(backupId))
                        .findFirst()
                        .orElseGet(
                            () -> {
                              InstanceBackup made =
                                  new InstanceBackup(backupId, clock.instant(), reason);
                              all.add(0, made);
                              return made;
                            });
                all.sort(NEWEST_FIRST);
                return List.copyOf(all.subList(0, Math.min(keep, all.size())));
              });
          return Optional.of(taken[0]);
        });
  }

  @Override
  public List<InstanceBackup> backups(InstanceRef instance) {
    return call(
        Operation.BACKUPS,
        instance.instanceId(),
        () -> backups.getOrDefault(instance.instanceId(), List.of()));
  }

  @Override
  public InstanceHealth health(InstanceRef instance) {
    return call(
        Operation.HEALTH,
        instance.instanceId(),
        () ->
            running(instance.instanceId())
                .map(r -> r.stopped ? InstanceHealth.down("instance is stopped") : r.health)
                .orElse(InstanceHealth.down("instance does not exist")));
  }

  @Override
  public Optional<ResourceUsage> usage(InstanceRef instance) {
    return call(
        Operation.USAGE,
        instance.instanceId(),
        () -> running(instance.instanceId()).map(r -> r.usage));
  }

  /** Lists every instance it has, each whole ({@link State#COMPLETE}). */
  @Override
  public List<ObservedInstance> instances() {
    return call(
        Operation.INSTANCES,
        null,
        () ->
            instances.values().stream()
                .map(
                    r ->
                        new ObservedInstance(
                            r.spec.instanceId(),
                            r.spec.ownerId(),
                            State.COMPLETE,
                            observed(r.spec.app())))
                .toList());
  }

  /** What a platform sees of the app: no volume, so no storage, without a volume path. */
  private static ResourceLimits observed(ContainerSpec app) {
    ResourceLimits planned = app.resources();
    return app.volumePath() == null
        ? new ResourceLimits(planned.cpuMillicores(), planned.memoryMiB(), 0)
        : planned;
  }

  /** Refuses a custom domain in the base domain, where it could be another instance's host. */
  private void checkCustomDomain(InstanceSpec spec) {
    String domain = spec.customDomain();
    if (domain != null && (domain.equals(baseDomain) || domain.endsWith("." + baseDomain))) {
      throw ProvisioningException.of(
          spec.instanceId(),
          FailureReason.CONFIGURATION,
          false,
          "custom domain " + domain + " lies in the platform's base domain " + baseDomain,
          null);
    }
  }

  /** The instance's generated secrets: those it had, and a new value for each one it lacks. */
  private Map<String, String> withSecrets(InstanceSpec spec, Map<String, String> had) {
    Map<String, String> secrets = had == null ? new HashMap<>() : had;
    spec.generatedSecrets().forEach(key -> secrets.computeIfAbsent(key, k -> secret()));
    return secrets;
  }

  // ---------------------------------------------------------------- helpers

  private <T> T call(Operation operation, UUID instanceId, Supplier<T> work) {
    boolean succeeded = false;
    try {
      awaitHang();
      // parkNanos may return early; park again until the whole latency has passed.
      long until = System.nanoTime() + latency.toNanos();
      for (long left = latency.toNanos(); left > 0; left = until - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      if (instanceId != null && failingInstances.contains(instanceId)) {
        throw new ProvisioningException(
            instanceId, "injected failure for this instance", false, null);
      }
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        String reason = "injected failure of " + operation;
        throw instanceId == null
            ? new ProvisioningException(reason, failNextRetryable, null)
            : new ProvisioningException(instanceId, reason, failNextRetryable, null);
      }
      T result = work.get();
      succeeded = true;
      return result;
    } finally {
      synchronized (calls) {
        calls.add(new ProvisionerCall(operation, instanceId, succeeded));
      }
    }
  }

  private void awaitHang() {
    CountDownLatch blocked = hang;
    if (blocked == null) {
      return;
    }
    try {
      if (!blocked.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the in-memory provisioner was never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the in-memory provisioner hung", e);
    }
  }

  private Optional<Running> running(UUID instanceId) {
    return Optional.ofNullable(instances.get(instanceId));
  }

  private String url(InstanceSpec spec) {
    return "https://" + spec.subdomain() + "." + baseDomain;
  }

  private static String namespaceOf(String ownerId) {
    return "in-memory-" + Integer.toHexString(ownerId.hashCode());
  }

  private static String secret() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** One instance as the in-memory platform runs it. */
  private static final class Running {
    final InstanceSpec spec;
    final Map<String, String> secrets;
    volatile InstanceHealth health = InstanceHealth.up();
    volatile ResourceUsage usage;
    volatile boolean stopped;

    Running(InstanceSpec spec, Map<String, String> secrets) {
      this.spec = spec;
      this.secrets = secrets;
    }
  }
}
