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
 */
@Configuration(proxyBeanMethods = false)
class DemoDatabase {

  private static final Logger log = LoggerFactory.getLogger(DemoDatabase.class);

  @Bean(destroyMethod = "close")
  DataSource dataSource() {
    String url = System.getenv("MINISPOD_DB_URL");
    if (url != null && !url.isBlank()) {
      log.info("Using the PostgreSQL server named by MINISPOD_DB_URL");
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setUsername(System.getenv().getOrDefault("MINISPOD_DB_USER", "postgres"));
      config.setPassword(System.getenv().getOrDefault("MINISPOD_DB_PASSWORD", ""));
      config.setMaximumPoolSize(20);
      config.setPoolName("minispod-demo");
      return new HikariDataSource(config);
    }
    PostgresServer server = PostgresServer.start(Map.of("max_connections", "100"));
    HikariDataSource pool = server.pool(server.createDatabase(), 20);
    return new EmbeddedDataSource(pool, server);
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
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(pool.getJdbcUrl());
      config.setUsername(pool.getUsername());
      config.setPassword(pool.getPassword());
      config.setMaximumPoolSize(pool.getMaximumPoolSize());
      config.setPoolName("minispod-demo");
      return config;
    }

    @Override
    public void close() {
      super.close();
      server.close();
    }
  }
}
