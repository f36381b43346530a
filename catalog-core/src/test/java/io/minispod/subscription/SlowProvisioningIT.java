package io.minispod.subscription;

import static io.minispod.catalog.internal.db.Tables.SUBSCRIPTION;
import static io.minispod.catalog.internal.db.Tables.WORKFLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jooq.impl.DSL.max;

import io.minispod.catalog.ServiceDefinition;
import io.minispod.provisioner.InstanceSpec;
import io.minispod.provisioner.ProvisionedInstance;
import io.minispod.provisioner.Provisioner;
import io.minispod.provisioner.ProvisionerCall.Operation;
import io.minispod.subscription.internal.workflow.StepObserver;
import io.minispod.subscription.internal.workflow.WorkflowStatus;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A platform slower than the workflow lease: provisioning takes three leases (a cold image pull
 * against a two-minute lease), on two nodes. Heartbeats keep the lease of every step in progress,
 * so nobody starts the same provisioning twice; a node that stalls after its call loses the lease,
 * and its late commit changes nothing.
 */
final class SlowProvisioningIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final Duration HEARTBEAT = Duration.ofMillis(100);
  private static final int SUBSCRIBERS = 50;

  private final MutableClock clock = MutableClock.at("2026-06-01T08:00:00Z");

  @Test
  void
      provisioningThreeLeasesLong_fiftySubscriptionsOnTwoNodes_eachProvisionedOnceNeverOverlapping()
          throws Exception {
    OverlapRecorder recorder = new OverlapRecorder();
    try (Platform nodeA =
            Platform.start(
                db.dataSource(),
                clock,
                recorder::wrap,
                b -> b.workflowLease(LEASE).workflowHeartbeat(HEARTBEAT));
        Platform nodeB =
            nodeA.anotherNode(
                db.newDataSource(4), b -> b.workflowLease(LEASE).workflowHeartbeat(HEARTBEAT))) {
      ServiceDefinition service = nodeA.service(SUBSCRIBERS, 1, 1);
      nodeA.provisioner.hang(); // every provisioning waits until the cluster is "ready"
      ExecutorService users = Executors.newFixedThreadPool(SUBSCRIBERS);
      List<Future<Subscription>> answers = new ArrayList<>();
      try {
        for (int i = 0; i < SUBSCRIBERS; i++) {
          String user = "slow-" + i;
          answers.add(
              users.submit(
                  () -> nodeA.subscribe().subscribe(user, service.slug(), "basic", "key-" + user)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.inFlight() == SUBSCRIBERS);

        // Three leases pass in half-lease strides; after each, every step has renewed its lease,
        // and neither node finds anything to claim.
        for (int stride = 0; stride < 6; stride++) {
          clock.advance(LEASE.dividedBy(2));
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> expiringWithin(LEASE.dividedBy(2)) == 0);
          assertThat(nodeB.subscriptions.runDueWorkflows()).isZero();
          assertThat(nodeA.subscriptions.runDueWorkflows()).isZero();
        }
        nodeA.provisioner.release();

        for (Future<Subscription> answer : answers) {
          Subscription s = answer.get(60, TimeUnit.SECONDS);
          assertThat(s.status()).isEqualTo(SubscriptionStatus.ACTIVE);
          assertThat(s.instance().status()).isEqualTo(InstanceStatus.RUNNING);
        }
      } finally {
        nodeA.provisioner.release();
        users.shutdownNow();
      }
      assertThat(recorder.maxOverlap()).as("calls for one instance at once").isEqualTo(1);
      assertThat(nodeA.provisioner.count(Operation.PROVISION)).isEqualTo(SUBSCRIBERS);
      assertThat(nodeA.provisioner.size()).isEqualTo(SUBSCRIBERS);
      assertThat(maxGeneration(service)).as("no workflow was ever claimed again").isEqualTo(1);
      assertThat(nodeA.quota.reconcile(false).isClean()).isTrue();
    }
  }

  @Test
  void nodeStalledPastItsLeaseAfterProvisioning_wakesAndChangesNothing() throws Exception {
    OverlapRecorder recorder = new OverlapRecorder();
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch wake = new CountDownLatch(1);
    AtomicInteger provisionCommitsOnNodeA = new AtomicInteger();
    StepObserver stallOnceBeforeRecordingTheInstance =
        new StepObserver() {
          @Override
          public void beforeCommit(String kind, String step) {
            if ("PROVISION".equals(step) && stalled.getCount() == 1) {
              stalled.countDown();
              awaitQuietly(wake);
            }
          }

          @Override
          public void committed(String kind, String step) {
            if ("PROVISION".equals(step)) {
              provisionCommitsOnNodeA.incrementAndGet();
            }
          }
        };
    try (Platform nodeA =
            Platform.start(
                db.dataSource(),
                clock,
                recorder::wrap,
                b ->
                    b.workflowLease(LEASE)
                        .workflowHeartbeat(HEARTBEAT)
                        .observer(stallOnceBeforeRecordingTheInstance));
        Platform nodeB =
            nodeA.anotherNode(
                db.newDataSource(4), b -> b.workflowLease(LEASE).workflowHeartbeat(HEARTBEAT))) {
      ServiceDefinition service = nodeA.service(5, 1, 1);
      ExecutorService thread = Executors.newSingleThreadExecutor();
      try {
        Future<Subscription> first =
            thread.submit(
                () -> nodeA.subscribe().subscribe("sleepy", service.slug(), "basic", "k"));
        assertThat(stalled.await(30, TimeUnit.SECONDS)).isTrue();

        // Node A stalls after its call returned: no heartbeat keeps the lease, node B takes over.
        clock.advance(LEASE.plusSeconds(1));
        assertThat(nodeB.subscriptions.runDueWorkflows()).isEqualTo(1);
        Subscription taken = nodeB.subscribe().subscriptions("sleepy").get(0);
        assertThat(taken.status()).isEqualTo(SubscriptionStatus.ACTIVE);
        assertThat(taken.instance().status()).isEqualTo(InstanceStatus.RUNNING);

        wake.countDown();
        Subscription answered = first.get(30, TimeUnit.SECONDS);
        assertThat(answered.status()).isEqualTo(SubscriptionStatus.ACTIVE);
        assertThat(answered.instance()).isEqualTo(taken.instance());
      } finally {
        wake.countDown();
        thread.shutdownNow();
      }
      assertThat(provisionCommitsOnNodeA.get())
          .as("PROVISION commits by the stalled node")
          .isZero();
      assertThat(maxGeneration(service)).as("node B's claim").isEqualTo(2);
      assertThat(recorder.maxOverlap()).isEqualTo(1);
      assertThat(nodeA.quota.reconcile(false).isClean()).isTrue();
    }
  }

  /** RUNNING workflows whose lease ends within the given time from now. */
  private int expiringWithin(Duration margin) {
    return db.dsl()
        .fetchCount(
            WORKFLOW,
            WORKFLOW
                .STATUS
                .eq(WorkflowStatus.RUNNING)
                .and(
                    WORKFLOW.LEASE_EXPIRES_AT.le(
                        clock.instant().plus(margin).atOffset(ZoneOffset.UTC))));
  }

  /** The highest claim generation among the workflows of a service's subscriptions. */
  private static long maxGeneration(ServiceDefinition service) {
    return db.dsl()
        .select(max(WORKFLOW.LEASE_GENERATION))
        .from(WORKFLOW)
        .join(SUBSCRIPTION)
        .on(SUBSCRIPTION.SUBSCRIPTION_ID.eq(WORKFLOW.SUBSCRIPTION_ID))
        .where(SUBSCRIPTION.SERVICE_ID.eq(service.id()))
        .fetchSingle(0, Long.class);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Wraps the platform and records, per instance, how many provisioning calls run at once. */
  private static final class OverlapRecorder {
    private final Map<UUID, AtomicInteger> running = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxOverlap = new AtomicInteger();

    Provisioner wrap(Provisioner platform) {
      return new ForwardingProvisioner(platform) {
        @Override
        public ProvisionedInstance provision(InstanceSpec spec) {
          AtomicInteger calls =
              running.computeIfAbsent(spec.instanceId(), id -> new AtomicInteger());
          maxOverlap.accumulateAndGet(calls.incrementAndGet(), Math::max);
          inFlight.incrementAndGet();
          try {
            return super.provision(spec);
          } finally {
            inFlight.decrementAndGet();
            calls.decrementAndGet();
          }
        }
      };
    }

    int inFlight() {
      return inFlight.get();
    }

    int maxOverlap() {
      return maxOverlap.get();
    }
  }
}
