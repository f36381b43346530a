package io.minispod.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.testkit.FreshDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Quota changes go out to other nodes from a thread of their own, those named within one window
 * together: observed on a connection listening on the catalog's channel, as another node's would.
 */
final class QuotaSignalsIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static final Duration WINDOW = Duration.ofMillis(300);

  private Connection listening;

  @BeforeEach
  void listen() throws Exception {
    listening = db.dataSource().getConnection();
    try (Statement statement = listening.createStatement()) {
      statement.execute("LISTEN " + ChangeSignal.CHANNEL);
    }
  }

  @AfterEach
  void close() throws Exception {
    listening.close();
  }

  @Test
  void aBurstFromManyThreads_goesOutTogether_andNamesEveryPlan() throws Exception {
    QuotaSignals signals = new QuotaSignals(db.dsl(), "node-a", WINDOW);
    List<UUID> plans = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      plans.add(UUID.randomUUID());
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> callers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      List<UUID> mine = plans.subList(t * 50, (t + 1) * 50);
      Thread caller =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                mine.forEach(plan -> signals.changed(List.of(plan)));
              });
      callers.add(caller);
      caller.start();
    }
    go.countDown();
    for (Thread caller : callers) {
      caller.join();
    }

    List<ChangeSignal> received = receive(plans.size(), Duration.ofSeconds(5));
    signals.close();

    assertThat(received).allSatisfy(s -> assertThat(s.origin()).isEqualTo("node-a"));
    assertThat(planIds(received)).containsExactlyInAnyOrderElementsOf(plans);
    // 200 plans fit two payloads (150 each); a slow machine may split the burst over two windows.
    assertThat(received).hasSizeLessThanOrEqualTo(4);
  }

  @Test
  void close_sendsWhatIsStillWaiting() throws Exception {
    QuotaSignals signals = new QuotaSignals(db.dsl(), "node-a", Duration.ofMinutes(10));
    UUID plan = UUID.randomUUID();

    signals.changed(List.of(plan));
    signals.close();

    assertThat(planIds(receive(1, Duration.ofSeconds(5)))).containsExactly(plan);
  }

  @Test
  void afterClose_aChangeIsStillSent() throws Exception {
    QuotaSignals signals = new QuotaSignals(db.dsl(), "node-a", WINDOW);
    signals.close();
    UUID plan = UUID.randomUUID();

    signals.changed(List.of(plan));

    assertThat(planIds(receive(1, Duration.ofSeconds(5)))).containsExactly(plan);
  }

  /** The quota signals received until they name {@code plans} plans or the time is up. */
  private List<ChangeSignal> receive(int plans, Duration within) throws Exception {
    PGConnection pg = listening.unwrap(PGConnection.class);
    List<ChangeSignal> received = new ArrayList<>();
    long deadline = System.nanoTime() + within.toNanos();
    while (planIds(received).size() < plans && System.nanoTime() < deadline) {
      PGNotification[] notifications = pg.getNotifications(50);
      if (notifications != null) {
        for (PGNotification notification : notifications) {
          received.add(ChangeSignal.parse(notification.getParameter()));
        }
      }
    }
    return received;
  }

  private static Set<UUID> planIds(List<ChangeSignal> signals) {
    Set<UUID> ids = new HashSet<>();
    signals.forEach(s -> ids.addAll(s.planIds()));
    return ids;
  }
}
