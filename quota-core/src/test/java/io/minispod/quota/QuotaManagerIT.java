package io.minispod.quota;

import static io.minispod.quota.internal.db.Tables.ALLOCATION;
import static io.minispod.quota.internal.db.Tables.LEDGER_ENTRY;
import static io.minispod.quota.internal.db.Tables.POOL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import io.minispod.ValidationException;
import io.minispod.testkit.FreshDatabase;
import io.minispod.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class QuotaManagerIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static final AtomicInteger names = new AtomicInteger();

  private final MutableClock clock = MutableClock.at("2026-04-10T08:00:00Z");
  private QuotaManager quota;

  @BeforeEach
  void start() {
    quota =
        QuotaManager.builder(db.dataSource()).clock(clock).reclaimInterval(Duration.ZERO).build();
  }

  @AfterEach
  void stop() {
    quota.close();
  }

  /** A pool key no other test uses, defined with the given capacity. */
  private String pool(long capacity) {
    String key = "pool:" + names.incrementAndGet();
    quota.definePool(key, capacity);
    return key;
  }

  private static String key() {
    return "key-" + UUID.randomUUID();
  }

  private long available(String pool) {
    return quota.availability(List.of(pool)).get(0).available();
  }

  @Test
  void definePool_twiceWithSameCapacity_isHarmless() {
    String pool = pool(5);

    PoolAvailability again = quota.definePool(pool, 5);

    assertThat(again).isEqualTo(new PoolAvailability(pool, 5, 0));
  }

  @Test
  void definePool_againWithOtherCapacity_isConflict() {
    String pool = pool(5);

    assertThatThrownBy(() -> quota.definePool(pool, 6))
        .isInstanceOf(QuotaConflictException.class)
        .hasMessageContaining(pool)
        .hasMessageContaining("capacity 5");
  }

  @Test
  void definePool_badInput_namesEveryBadField() {
    assertThatThrownBy(() -> quota.definePool(" ", -1))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.fieldErrors()).containsOnlyKeys("poolKey", "capacity"));
    assertThat(db.dsl().fetchCount(POOL, POOL.POOL_KEY.eq(" "))).isZero();
  }

  @Test
  void setCapacity_belowUsed_isConflictNamingFigures() {
    String pool = pool(10);
    quota.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(pool, 4)));

    assertThatThrownBy(() -> quota.setCapacity(pool, 3))
        .isInstanceOfSatisfying(
            QuotaConflictException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
              assertThat(e.details())
                  .containsEntry("used", 4L)
                  .containsEntry("requestedCapacity", 3L);
            });
    assertThat(quota.availability(List.of(pool)).get(0).total()).isEqualTo(10);
  }

  @Test
  void setCapacity_atOrAboveUsed_changesTotal() {
    String pool = pool(10);
    quota.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(pool, 4)));

    assertThat(quota.setCapacity(pool, 4)).isEqualTo(new PoolAvailability(pool, 4, 4));
    assertThat(quota.setCapacity(pool, 20).available()).isEqualTo(16);
  }

  @Test
  void setCapacity_unknownPool_isNotFound() {
    assertThatThrownBy(() -> quota.setCapacity("no-such-pool", 1))
        .isInstanceOfSatisfying(
            UnknownPoolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
              assertThat(e.poolKey()).isEqualTo("no-such-pool");
            });
  }

  @Test
  void availability_readsLiveFiguresInAskedOrder() {
    String first = pool(3);
    String second = pool(7);
    quota.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(second, 2)));

    assertThat(quota.availability(List.of(second, first)))
        .containsExactly(new PoolAvailability(second, 7, 2), new PoolAvailability(first, 3, 0));
  }

  @Test
  void availability_unknownOrNoKeys_isRefused() {
    String known = pool(1);

    assertThatThrownBy(() -> quota.availability(List.of(known, "missing")))
        .isInstanceOf(UnknownPoolException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> quota.availability(List.of())).isInstanceOf(ValidationException.class);
  }

  @Test
  void allocate_severalPools_takesFromEach() {
    String plan = pool(10);
    String cpu = pool(4000);

    Allocation allocation =
        quota.allocate(
            AllocationRequest.of("alice", key(), QuotaItem.of(plan, 1), QuotaItem.of(cpu, 500)));

    assertThat(allocation.status()).isEqualTo(AllocationStatus.CONFIRMED);
    assertThat(allocation.expiresAt()).isNull();
    assertThat(allocation.createdAt()).isEqualTo(clock.instant());
    assertThat(allocation.amountOf(cpu)).isEqualTo(500);
    assertThat(available(plan)).isEqualTo(9);
    assertThat(available(cpu)).isEqualTo(3500);
    assertThat(quota.allocation(allocation.id())).isEqualTo(allocation);
  }

  @Test
  void allocate_onePoolShort_takesNothingAndNamesFirstShortPool() {
    String plan = pool(10);
    String cpu = pool(400);
    String memory = pool(100);

    assertThatThrownBy(
            () ->
                quota.allocate(
                    AllocationRequest.of(
                        "alice",
                        key(),
                        QuotaItem.of(plan, 1),
                        QuotaItem.of(cpu, 500),
                        QuotaItem.of(memory, 200))))
        .isInstanceOfSatisfying(
            QuotaExceededException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
              assertThat(e.poolKey()).isEqualTo(cpu);
              assertThat(e.requested()).isEqualTo(500);
              assertThat(e.available()).isEqualTo(400);
              assertThat(e.total()).isEqualTo(400);
            });
    assertThat(available(plan)).isEqualTo(10);
    assertThat(db.dsl().fetchCount(LEDGER_ENTRY, LEDGER_ENTRY.POOL_KEY.eq(plan))).isZero();
  }

  @Test
  void allocate_unknownPool_takesNothing() {
    String plan = pool(10);

    assertThatThrownBy(
            () ->
                quota.allocate(
                    AllocationRequest.of(
                        "alice", key(), QuotaItem.of(plan, 1), QuotaItem.of("ghost-pool", 1))))
        .isInstanceOf(UnknownPoolException.class);
    assertThat(available(plan)).isEqualTo(10);
  }

  @Test
  void allocate_sameKeySameRequest_returnsFirstAllocation() {
    String plan = pool(10);
    String key = key();
    AllocationRequest request = AllocationRequest.of("alice", key, QuotaItem.of(plan, 2));

    Allocation first = quota.allocate(request);
    Allocation retry = quota.allocate(request);

    assertThat(retry).isEqualTo(first);
    assertThat(available(plan)).isEqualTo(8);
    assertThat(db.dsl().fetchCount(ALLOCATION, ALLOCATION.IDEMPOTENCY_KEY.eq(key))).isOne();
  }

  @Test
  void allocate_sameKeyOtherRequest_isConflict() {
    String plan = pool(10);
    String key = key();
    quota.allocate(AllocationRequest.of("alice", key, QuotaItem.of(plan, 2)));

    assertThatThrownBy(
            () -> quota.allocate(AllocationRequest.of("alice", key, QuotaItem.of(plan, 3))))
        .isInstanceOf(QuotaConflictException.class)
        .hasMessageContaining(key);
    assertThat(available(plan)).isEqualTo(8);
  }

  @Test
  void allocate_loneCaller_isSettledOnItsOwnThreadWithTheSameGuarantees() {
    ObservedDataSource observed = new ObservedDataSource(db.dataSource());
    try (QuotaManager lone =
        QuotaManager.builder(observed.dataSource())
            .clock(clock)
            .reclaimInterval(Duration.ZERO)
            .build()) {
      String plan = "pool:" + names.incrementAndGet();
      String user = "pool:" + names.incrementAndGet();
      lone.definePool(plan, 3);
      lone.definePool(user, 1);
      String key = key();
      observed.forget();

      Allocation first =
          lone.allocate(
              AllocationRequest.of("alice", key, QuotaItem.of(plan, 2), QuotaItem.of(user, 1)));
      Allocation retry =
          lone.allocate(
              AllocationRequest.of("alice", key, QuotaItem.of(user, 1), QuotaItem.of(plan, 2)));
      assertThatThrownBy(
              () -> lone.allocate(AllocationRequest.of("alice", key, QuotaItem.of(plan, 1))))
          .isInstanceOf(QuotaConflictException.class);
      assertThatThrownBy(
              () ->
                  lone.allocate(
                      AllocationRequest.of(
                          "bob", key(), QuotaItem.of(plan, 1), QuotaItem.of(user, 1))))
          .isInstanceOf(QuotaExceededException.class)
          .hasMessageContaining(user);

      assertThat(retry).isEqualTo(first);
      assertThat(observed.borrowers())
          .as("every request was settled by its caller, without a hand-over")
          .hasSize(4)
          .containsOnly(Thread.currentThread().getName());
      assertThat(observed.commits()).isEqualTo(4);
      assertThat(lone.availability(List.of(plan, user)))
          .containsExactly(new PoolAvailability(plan, 3, 2), new PoolAvailability(user, 1, 1));
      assertThat(lone.reconcile(false).isClean()).isTrue();
    }
  }

  @Test
  void allocate_aWriteFailingAfterOthers_leavesNoTraceAndTheManagerGoesOn() {
    String poisoned = "poisoned:" + names.incrementAndGet();
    quota.definePool(poisoned, 5);
    String key = key();
    db.dsl().execute(POISON_LEDGER);
    try {
      assertThatThrownBy(
              () -> quota.allocate(AllocationRequest.of("alice", key, QuotaItem.of(poisoned, 1))))
          .isInstanceOfSatisfying(
              MinisPodException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
          .hasMessageContaining("P0001");
    } finally {
      db.dsl().execute(CURE_LEDGER);
    }

    assertThat(db.dsl().fetchCount(ALLOCATION, ALLOCATION.IDEMPOTENCY_KEY.eq(key)))
        .as("the allocation and item rows written before the failing ledger row")
        .isZero();
    assertThat(available(poisoned)).isEqualTo(5);
    Allocation retried =
        quota.allocate(AllocationRequest.of("alice", key, QuotaItem.of(poisoned, 1)));
    assertThat(retried.items()).containsExactly(QuotaItem.of(poisoned, 1));
    assertThat(available(poisoned)).isEqualTo(4);
    assertThat(quota.reconcile(false).isClean()).isTrue();
  }

  /** Makes every ledger row of a {@code poisoned:} pool fail, after the rows written before it. */
  static final String POISON_LEDGER =
      """
      create function minispod_quota.refuse_poisoned() returns trigger language plpgsql as
        $$ begin raise exception 'ledger row of % refused', new.pool_key; end $$;
      create trigger refuse_poisoned before insert on minispod_quota.ledger_entry
        for each row when (new.pool_key like 'poisoned:%')
        execute function minispod_quota.refuse_poisoned()
      """;

  static final String CURE_LEDGER =
      """
      drop trigger refuse_poisoned on minispod_quota.ledger_entry;
      drop function minispod_quota.refuse_poisoned()
      """;

  @Test
  void release_givesCapacityBackOnce() {
    String plan = pool(2);
    Allocation allocation =
        quota.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(plan, 2)));

    Allocation released = quota.release(allocation.id());
    Allocation again = quota.release(allocation.id());

    assertThat(released.status()).isEqualTo(AllocationStatus.RELEASED);
    assertThat(again.status()).isEqualTo(AllocationStatus.RELEASED);
    assertThat(available(plan)).isEqualTo(2);
    assertThat(quota.reconcile(false).isClean()).isTrue();
  }

  @Test
  void release_unknownAllocation_isNotFound() {
    UUID unknown = UUID.randomUUID();
    assertThatThrownBy(() -> quota.release(unknown))
        .isInstanceOf(UnknownAllocationException.class)
        .hasMessageContaining(unknown.toString());
    assertThatThrownBy(() -> quota.allocation(unknown))
        .isInstanceOf(UnknownAllocationException.class);
    assertThatThrownBy(() -> quota.release(null)).isInstanceOf(ValidationException.class);
  }

  @Test
  void swap_toHigherPlan_movesCapacityAtomically() {
    String basic = pool(5);
    String pro = pool(5);
    String cpu = pool(2000);
    Allocation allocation =
        quota.allocate(
            AllocationRequest.of("alice", key(), QuotaItem.of(basic, 1), QuotaItem.of(cpu, 500)));

    Allocation swapped =
        quota.swap(allocation.id(), List.of(QuotaItem.of(pro, 1), QuotaItem.of(cpu, 1000)));

    assertThat(swapped.items())
        .containsExactlyInAnyOrder(QuotaItem.of(pro, 1), QuotaItem.of(cpu, 1000));
    assertThat(quota.allocation(allocation.id()).items())
        .containsExactlyInAnyOrderElementsOf(swapped.items());
    assertThat(available(basic)).isEqualTo(5);
    assertThat(available(pro)).isEqualTo(4);
    assertThat(available(cpu)).isEqualTo(1000);
    assertThat(quota.reconcile(false).isClean()).isTrue();
  }

  @Test
  void swap_newItemsDoNotFit_changesNothing() {
    String basic = pool(5);
    String cpu = pool(1000);
    Allocation allocation =
        quota.allocate(
            AllocationRequest.of("alice", key(), QuotaItem.of(basic, 1), QuotaItem.of(cpu, 800)));
    quota.allocate(AllocationRequest.of("bob", key(), QuotaItem.of(cpu, 100)));

    assertThatThrownBy(() -> quota.swap(allocation.id(), List.of(QuotaItem.of(cpu, 1000))))
        .isInstanceOfSatisfying(
            QuotaExceededException.class,
            e -> {
              assertThat(e.poolKey()).isEqualTo(cpu);
              assertThat(e.available()).isEqualTo(900);
              assertThat(e.total()).isEqualTo(1000);
            });
    assertThat(quota.allocation(allocation.id()).items())
        .containsExactlyInAnyOrder(QuotaItem.of(basic, 1), QuotaItem.of(cpu, 800));
    assertThat(available(basic)).isEqualTo(4);
    assertThat(available(cpu)).isEqualTo(100);
  }

  @Test
  void swap_toSameItems_writesNothing() {
    String plan = pool(5);
    Allocation allocation =
        quota.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(plan, 1)));
    int ledgerBefore = db.dsl().fetchCount(LEDGER_ENTRY, LEDGER_ENTRY.POOL_KEY.eq(plan));

    Allocation same = quota.swap(allocation.id(), List.of(QuotaItem.of(plan, 1)));

    assertThat(same).isEqualTo(allocation);
    assertThat(db.dsl().fetchCount(LEDGER_ENTRY, LEDGER_ENTRY.POOL_KEY.eq(plan)))
        .isEqualTo(ledgerBefore);
  }

  @Test
  void swap_releasedAllocationOrBadItems_isRefused() {
    String plan = pool(5);
    Allocation allocation =
        quota.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(plan, 1)));
    quota.release(allocation.id());

    assertThatThrownBy(() -> quota.swap(allocation.id(), List.of(QuotaItem.of(plan, 2))))
        .isInstanceOf(QuotaConflictException.class)
        .hasMessageContaining("RELEASED");
    assertThatThrownBy(() -> quota.swap(allocation.id(), List.of()))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(
            () ->
                quota.swap(allocation.id(), List.of(QuotaItem.of(plan, 1), QuotaItem.of(plan, 2))))
        .isInstanceOf(ValidationException.class);
    assertThat(available(plan)).isEqualTo(5);
  }

  @Test
  void swap_toUnknownPool_changesNothing() {
    String plan = pool(5);
    Allocation allocation =
        quota.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(plan, 1)));

    assertThatThrownBy(() -> quota.swap(allocation.id(), List.of(QuotaItem.of("nowhere", 1))))
        .isInstanceOf(UnknownPoolException.class);
    assertThat(available(plan)).isEqualTo(4);
  }

  @Test
  void confirm_holdOfSeveralPools_answersEveryItemAsStored() {
    String cpu = pool(1000);
    String plan = pool(3);
    String memory = pool(4096);
    Allocation hold =
        quota.allocate(
            AllocationRequest.hold(
                "alice",
                key(),
                Duration.ofMinutes(5),
                QuotaItem.of(memory, 512),
                QuotaItem.of(plan, 1),
                QuotaItem.of(cpu, 250)));

    Allocation confirmed = quota.confirm(hold.id());

    // The statement that confirms the hold also returns its items, in pool-key order as stored.
    assertThat(confirmed.items())
        .containsExactlyInAnyOrder(
            QuotaItem.of(memory, 512), QuotaItem.of(plan, 1), QuotaItem.of(cpu, 250));
    assertThat(confirmed).isEqualTo(quota.allocation(hold.id()));
  }

  @Test
  void hold_confirmedBeforeExpiry_staysAfterExpiry() {
    String plan = pool(3);
    Allocation hold =
        quota.allocate(
            AllocationRequest.hold("alice", key(), Duration.ofMinutes(5), QuotaItem.of(plan, 1)));
    assertThat(hold.status()).isEqualTo(AllocationStatus.PENDING);
    assertThat(hold.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(available(plan)).isEqualTo(2);

    Allocation confirmed = quota.confirm(hold.id());
    clock.advance(Duration.ofHours(1));

    assertThat(confirmed.status()).isEqualTo(AllocationStatus.CONFIRMED);
    assertThat(confirmed.expiresAt()).isNull();
    assertThat(confirmed).isEqualTo(quota.allocation(hold.id()));
    assertThat(quota.confirm(hold.id()).status()).isEqualTo(AllocationStatus.CONFIRMED);
    quota.reclaimExpired();
    assertThat(quota.allocation(hold.id()).status()).isEqualTo(AllocationStatus.CONFIRMED);
    assertThat(available(plan)).isEqualTo(2);
  }

  @Test
  void hold_pastExpiry_isReclaimedAndCannotBeConfirmed() {
    String plan = pool(3);
    Allocation hold =
        quota.allocate(
            AllocationRequest.hold("alice", key(), Duration.ofMinutes(5), QuotaItem.of(plan, 3)));
    clock.advance(Duration.ofMinutes(5));

    assertThatThrownBy(() -> quota.confirm(hold.id()))
        .isInstanceOf(QuotaConflictException.class)
        .hasMessageContaining("expired");
    assertThat(quota.reclaimExpired()).isPositive();
    assertThat(quota.allocation(hold.id()).status()).isEqualTo(AllocationStatus.EXPIRED);
    assertThat(available(plan)).isEqualTo(3);
    assertThatThrownBy(() -> quota.confirm(hold.id())).isInstanceOf(QuotaConflictException.class);
    assertThat(quota.release(hold.id()).status()).isEqualTo(AllocationStatus.EXPIRED);
    assertThat(quota.reconcile(false).isClean()).isTrue();
  }

  @Test
  void confirm_releasedAllocation_isConflict() {
    String plan = pool(3);
    Allocation allocation =
        quota.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(plan, 1)));
    quota.release(allocation.id());

    assertThatThrownBy(() -> quota.confirm(allocation.id()))
        .isInstanceOf(QuotaConflictException.class)
        .hasMessageContaining("RELEASED");
  }

  @Test
  void inTransaction_rolledBack_leavesNoTrace() {
    String plan = pool(3);
    String key = key();
    DSLContext dsl = db.dsl();

    assertThatThrownBy(
            () ->
                dsl.transaction(
                    tx -> {
                      quota
                          .inTransaction(tx.dsl())
                          .allocate(AllocationRequest.of("alice", key, QuotaItem.of(plan, 2)));
                      throw new IllegalStateException("the caller's own work failed");
                    }))
        .hasMessageContaining("the caller's own work failed");

    assertThat(available(plan)).isEqualTo(3);
    assertThat(dsl.fetchCount(ALLOCATION, ALLOCATION.IDEMPOTENCY_KEY.eq(key))).isZero();
  }

  @Test
  void inTransaction_committed_keepsEveryChange() {
    DSLContext dsl = db.dsl();
    String plan = "pool:tx-" + names.incrementAndGet();

    Allocation allocation =
        dsl.transactionResult(
            tx -> {
              QuotaOperations ops = quota.inTransaction(tx.dsl());
              ops.definePool(plan, 4);
              return ops.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(plan, 3)));
            });

    assertThat(quota.allocation(allocation.id()).status()).isEqualTo(AllocationStatus.CONFIRMED);
    assertThat(available(plan)).isEqualTo(1);
  }

  @Test
  void inTransaction_refusal_throwsWithoutWriting() {
    String plan = pool(1);

    assertThatThrownBy(
            () ->
                db.dsl()
                    .transaction(
                        tx ->
                            quota
                                .inTransaction(tx.dsl())
                                .allocate(
                                    AllocationRequest.of("alice", key(), QuotaItem.of(plan, 2)))))
        .isInstanceOf(QuotaExceededException.class);
    assertThat(available(plan)).isEqualTo(1);
  }

  @Test
  void reconcile_drift_isReportedThenRepaired() {
    String plan = pool(10);
    quota.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(plan, 3)));
    // Simulate a counter corrupted behind the library's back.
    db.dsl().update(POOL).set(POOL.USED, 5L).where(POOL.POOL_KEY.eq(plan)).execute();

    ReconciliationReport found = quota.reconcile(false);
    assertThat(found.isClean()).isFalse();
    assertThat(found.repaired()).isFalse();
    assertThat(found.drifts()).containsExactly(new PoolDrift(plan, 5, 3, 3));
    assertThat(available(plan)).isEqualTo(5);

    ReconciliationReport repaired = quota.reconcile(true);
    assertThat(repaired.repaired()).isTrue();
    assertThat(available(plan)).isEqualTo(7);
    assertThat(quota.reconcile(false).isClean()).isTrue();
  }

  @Test
  void reconcile_ledgerDrift_isSquaredByRepairEntry() {
    String plan = pool(10);
    quota.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(plan, 3)));
    db.dsl().deleteFrom(LEDGER_ENTRY).where(LEDGER_ENTRY.POOL_KEY.eq(plan)).execute();

    assertThat(quota.reconcile(false).drifts()).containsExactly(new PoolDrift(plan, 3, 3, 0));
    quota.reconcile(true);

    assertThat(quota.reconcile(false).isClean()).isTrue();
    assertThat(db.dsl().fetchCount(LEDGER_ENTRY, LEDGER_ENTRY.REASON.eq("REPAIR"))).isOne();
  }

  @Test
  void utilisation_reportsUsedHeldAndPercent() {
    String plan = pool(4);
    quota.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(plan, 1)));
    quota.allocate(
        AllocationRequest.hold("bob", key(), Duration.ofMinutes(1), QuotaItem.of(plan, 2)));

    PoolUtilisation line =
        quota.utilisation().stream()
            .filter(u -> u.poolKey().equals(plan))
            .findFirst()
            .orElseThrow();

    assertThat(line).isEqualTo(new PoolUtilisation(plan, 4, 3, 2));
    assertThat(line.available()).isEqualTo(1);
    assertThat(line.percentUsed()).isEqualTo(75.0);
  }

  @Test
  void close_thenAllocate_isRefused() {
    String plan = pool(1);
    quota.close();

    assertThatThrownBy(
            () -> quota.allocate(AllocationRequest.of("alice", key(), QuotaItem.of(plan, 1))))
        .isInstanceOfSatisfying(
            MinisPodException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
        .hasMessageContaining("closed");
  }
}
