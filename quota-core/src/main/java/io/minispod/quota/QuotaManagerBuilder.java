package io.minispod.quota;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * Configures a {@link QuotaManager}. Every setting has a ready default; {@link #build()} may be
 * called once the data source is given.
 */
public final class QuotaManagerBuilder {

  private final DataSource dataSource;
  private Clock clock = Clock.systemUTC();
  private Duration reclaimInterval = Duration.ofSeconds(15);
  private int combiningLanes = 4;
  private int maxBatchSize = 256;
  private Duration allocationWaitLimit = Duration.ofSeconds(30);

  QuotaManagerBuilder(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * The clock that dates allocations and decides when holds expire. Default: the system clock in
   * UTC.
   *
   * @param clock the clock
   * @return this builder
   */
  public QuotaManagerBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * How often the background task reclaims expired holds. Default: 15 seconds; {@link
   * Duration#ZERO} turns the task off (then call {@link QuotaManager#reclaimExpired()} yourself).
   *
   * @param interval the pause between two rounds
   * @return this builder
   * @throws IllegalArgumentException if the interval is negative
   */
  public QuotaManagerBuilder reclaimInterval(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("reclaim interval must not be negative, was " + interval);
    }
    this.reclaimInterval = interval;
    return this;
  }

  /**
   * How many allocation transactions may run at once. Requests are sent to a lane by the smallest
   * pool key they name: requests for the same pool share one lane and are combined into shared
   * transactions; requests for different pools spread over the lanes. A request that finds its lane
   * idle (nothing queued, nothing being settled) is settled on its caller's thread, without a
   * hand-over. Each lane needs a connection of the data source while it works. Default: 4.
   *
   * @param lanes from 1 to 64
   * @return this builder
   * @throws IllegalArgumentException if out of range
   */
  public QuotaManagerBuilder combiningLanes(int lanes) {
    if (lanes < 1 || lanes > 64) {
      throw new IllegalArgumentException("combining lanes must be from 1 to 64, was " + lanes);
    }
    this.combiningLanes = lanes;
    return this;
  }

  /**
   * The most allocation requests one transaction settles. Default: 256.
   *
   * @param size from 1 to 10,000
   * @return this builder
   * @throws IllegalArgumentException if out of range
   */
  public QuotaManagerBuilder maxBatchSize(int size) {
    if (size < 1 || size > 10_000) {
      throw new IllegalArgumentException("max batch size must be from 1 to 10000, was " + size);
    }
    this.maxBatchSize = size;
    return this;
  }

  /**
   * How long {@link QuotaManager#allocate} waits for its request to be settled when its lane is
   * busy. A caller that gives up is told whether its request was withdrawn (nothing granted) or may
   * still be granted (retry with the same idempotency key). The allocation transactions themselves
   * (a lane's batch, or a lone request on its caller's thread) wait at most as long, rounded up to
   * whole seconds, for pool rows locked elsewhere; then they fail with nothing granted. Default: 30
   * seconds.
   *
   * @param limit positive
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public QuotaManagerBuilder allocationWaitLimit(Duration limit) {
    Objects.requireNonNull(limit, "limit");
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("allocation wait limit must be positive, was " + limit);
    }
    this.allocationWaitLimit = limit;
    return this;
  }

  /**
   * Builds the manager and starts its background threads.
   *
   * @return the manager; close it when done
   */
  public QuotaManager build() {
    return new DefaultQuotaManager(
        DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false)),
        new QuotaStore(clock, allocationWaitLimit),
        combiningLanes,
        maxBatchSize,
        allocationWaitLimit,
        reclaimInterval);
  }
}
