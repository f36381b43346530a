package io.minispod.catalog.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
  private final Thread thread;
  private final Object pause = new Object();
  private volatile boolean running = true;
  private volatile boolean listening;

  ChangeListener(DataSource dataSource, String nodeId, CatalogCaches caches) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.nodeId = nodeId;
    this.caches = caches;
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
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + ChangeSignal.CHANNEL);
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        caches.invalidateAll();
        listening = true;
        backoff = POLL_MILLIS;
        log.debug("Catalog node {} listening for changes", nodeId);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
          if (notifications != null) {
            for (PGNotification notification : notifications) {
              handle(notification.getParameter());
            }
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
   * Notifications are read from the driver's own connection, past the pool's proxy, so a pool does
   * not see that connection fail. One query through the proxy lets it see: a broken connection then
   * fails with a connection error, and pools such as HikariCP evict it rather than lend it again.
   */
  private static void discardIfBroken(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      DSL.using(connection, SQLDialect.POSTGRES).selectOne().fetch();
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
