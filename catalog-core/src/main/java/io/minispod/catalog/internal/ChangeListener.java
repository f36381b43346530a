package io.minispod.catalog.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the {@value ChangeSignal#CHANNEL} channel with a connection of its own (held for as
 * long as it runs) and drops cached entries as other nodes' changes commit.
 *
 * <p>Notifications sent while it was not listening are lost, so each time it (re)starts listening
 * it drops every cached entry. A lost connection is retried with back-off up to 30 seconds.
 *
 * <p>A connection can also die silently: a firewall or NAT forgets it, a server fails over, and
 * neither end is told, so the listener would wait for notifications that never come while the
 * caches go stale. Every check interval it therefore runs {@code SELECT 1} on its connection, whose
 * network timeout (the same interval) bounds every wait for the server; a connection that does not
 * answer in time is given up like a broken one, and the new one starts by dropping every cached
 * entry.
 *
 * <p>{@code LISTEN} and {@code UNLISTEN} are the module's only SQL text outside the Flyway scripts:
 * jOOQ has no typed form of them.
 */
final class ChangeListener implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);

  /** How long one wait for notifications lasts; bounds how long {@link #close()} takes. */
  private static final int POLL_MILLIS = 100;

  private static final long MAX_BACKOFF_MILLIS = 30_000;

  private final DataSource dataSource;
  private final String nodeId;
  private final CatalogCaches caches;
  private final long checkIntervalNanos;
  private final int answerTimeoutMillis;
  private final Thread thread;
  private final Object pause = new Object();
  private volatile boolean running = true;
  private volatile boolean listening;

  ChangeListener(
      DataSource dataSource, String nodeId, CatalogCaches caches, Duration checkInterval) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.nodeId = nodeId;
    this.caches = caches;
    this.checkIntervalNanos = checkInterval.toNanos();
    this.answerTimeoutMillis =
        (int) Math.max(1, Math.min(Integer.MAX_VALUE, checkInterval.toMillis()));
    this.thread = new Thread(this::run, "minispod-catalog-listener");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the LISTEN is in place, so that other nodes' changes will be seen. */
  boolean isListening() {
    return listening;
  }

  private void run() {
    long backoff = POLL_MILLIS;
    while (running) {
      Connection connection = null;
      try {
        connection = dataSource.getConnection();
        connection.setAutoCommit(true);
        boundWaits(connection);
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + ChangeSignal.CHANNEL);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        caches.invalidateAll();
        listening = true;
        backoff = POLL_MILLIS;
        log.debug("Catalog node {} listening for changes", nodeId);
        long nextCheck = System.nanoTime() + checkIntervalNanos;
        while (running) {
          PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
          if (notifications != null) {
            for (PGNotification notification : notifications) {
              handle(notification.getParameter());
            }
          }
          if (System.nanoTime() - nextCheck >= 0) {
            ping(connection);
            nextCheck = System.nanoTime() + checkIntervalNanos;
          }
        }
        listening = false;
        try (Statement statement = connection.createStatement()) {
          statement.execute("UNLISTEN *");
        }
      } catch (SQLException | RuntimeException e) {
        listening = false;
        discardIfBroken(connection);
        if (running) {
          log.warn(
              "Catalog node {} lost its change listener connection; retrying in {} ms",
              nodeId,
              backoff,
              e);
          pause(backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
      } finally {
        closeQuietly(connection);
      }
    }
    listening = false;
  }

  /**
   * Makes every wait for the server on this connection end within the check interval, so that a
   * liveness check on a silently dead connection fails rather than waits for TCP to give up
   * (minutes). The pool resets the timeout when the connection goes back to it.
   */
  private void boundWaits(Connection connection) throws SQLException {
    try {
      connection.setNetworkTimeout(Runnable::run, answerTimeoutMillis);
    } catch (SQLFeatureNotSupportedException e) {
      log.warn(
          "The data source of catalog node {} cannot bound network waits; a silently dropped"
              + " change listener connection is then noticed only when TCP gives up",
          nodeId,
          e);
    }
  }

  /**
   * One query through the pool's proxy: the liveness check, which fails if the connection is dead
   * and lets the pool see that it is. Notifications that arrive meanwhile are kept by the driver
   * for the next poll.
   */
  private static void ping(Connection connection) {
    DSL.using(connection, SQLDialect.POSTGRES).selectOne().fetch();
  }

  /**
   * Notifications are read from the driver's own connection, past the pool's proxy, so a pool does
   * not see that connection fail. One query through the proxy lets it see: a broken connection then
   * fails with a connection error, and pools such as HikariCP evict it rather than lend it again.
   */
  private static void discardIfBroken(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      ping(connection);
    } catch (RuntimeException e) {
      log.debug("The change listener's connection is broken and is discarded", e);
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        log.debug("Closing the change listener's connection failed", e);
      }
    }
  }

  void handle(String payload) {
    log.debug("Catalog node {} got change signal {}", nodeId, payload);
    ChangeSignal signal = ChangeSignal.parse(payload);
    switch (signal.kind()) {
      case QUOTA -> {
        if (!nodeId.equals(signal.origin())) {
          caches.invalidateQuota(signal.planIds());
        }
      }
      case CATALOG -> caches.invalidateAll();
      default -> {
        log.debug("Catalog node {} got an unknown change signal; dropping every entry", nodeId);
        caches.invalidateAll();
      }
    }
  }

  private void pause(long millis) {
    synchronized (pause) {
      try {
        // Woken early by close(); the loop re-checks running.
        pause.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  /** Stops listening and waits (briefly) for the thread to return its connection. */
  @Override
  public void close() {
    running = false;
    synchronized (pause) {
      pause.notifyAll();
    }
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
