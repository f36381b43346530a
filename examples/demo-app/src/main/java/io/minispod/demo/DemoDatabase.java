package io.minispod.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.minispod.testkit.PostgresServer;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The demo's database: the server named by {@code MINISPOD_DB_URL} ({@code MINISPOD_DB_USER},
 * {@code MINISPOD_DB_PASSWORD}) when set, used as it is, so data survives restarts; otherwise an
 * embedded PostgreSQL 17 in a temporary directory, gone when the demo stops.
 *
 * <p>Its pool bounds every wait: a statement runs at most {@code MINISPOD_DB_STATEMENT_TIMEOUT}
 * (default {@code 30s}), a lock is waited for at most {@code MINISPOD_DB_LOCK_TIMEOUT} (default
 * {@code 10s}), a socket read at most {@code MINISPOD_DB_SOCKET_TIMEOUT_SECONDS} (default 60), and
 * a connection from the pool at most 10 seconds. (The library's modules create no pool of their
 * own: a host sets the same bounds on its pool.)
 */
@Configuration(proxyBeanMethods = false)
class DemoDatabase {

  private static final Logger log = LoggerFactory.getLogger(DemoDatabase.class);

  @Bean(destroyMethod = "close")
  DataSource dataSource() {
    String url = System.getenv("MINISPOD_DB_URL");
    if (url != null && !url.isBlank()) {
      log.info("Using the PostgreSQL server named by MINISPOD_DB_URL");
      return new HikariDataSource(
          bounded(
              url,
              System.getenv().getOrDefault("MINISPOD_DB_USER", "postgres"),
              System.getenv().getOrDefault("MINISPOD_DB_PASSWORD", ""),
              20));
    }
    PostgresServer server = PostgresServer.start(Map.of("max_connections", "100"));
    HikariDataSource pool = server.pool(server.createDatabase(), 20);
    return new EmbeddedDataSource(pool, server);
  }

  /** The demo's pool settings, with every wait bounded (see the class comment). */
  static HikariConfig bounded(String url, String user, String password, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setPoolName("minispod-demo");
    config.setConnectionTimeout(10_000);
    config.addDataSourceProperty(
        "options",
        "-c statement_timeout="
            + setting("MINISPOD_DB_STATEMENT_TIMEOUT", "30s")
            + " -c lock_timeout="
            + setting("MINISPOD_DB_LOCK_TIMEOUT", "10s"));
    config.addDataSourceProperty(
        "socketTimeout", setting("MINISPOD_DB_SOCKET_TIMEOUT_SECONDS", "60"));
    return config;
  }

  private static String setting(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  /** The pool over the embedded server; closing it also stops the server. */
  static final class EmbeddedDataSource extends HikariDataSource {

    private final PostgresServer server;

    EmbeddedDataSource(HikariDataSource pool, PostgresServer server) {
      super(copy(pool));
      pool.close();
      this.server = server;
    }

    private static HikariConfig copy(HikariDataSource pool) {
      return bounded(
          pool.getJdbcUrl(), pool.getUsername(), pool.getPassword(), pool.getMaximumPoolSize());
    }

    @Override
    public void close() {
      super.close();
      server.close();
    }
  }
}
