package io.minispod.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.minispod.ModuleSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server for tests, benchmarks and the demo: an embedded PostgreSQL 17 started
 * from Maven Central's binaries, or the server named by {@code MINISPOD_DB_URL} (with {@code
 * MINISPOD_DB_USER} and {@code MINISPOD_DB_PASSWORD}) when that variable is set.
 *
 * <p>The server holds one template database into which the schemas of every MinisPod module on the
 * class path are migrated once; {@link #createDatabase()} clones it, so each test class gets a
 * fresh, fully migrated database in milliseconds. An external server must therefore grant the user
 * {@code CREATEDB}.
 */
public final class PostgresServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);

  /** Settings of the shared test server: fast and not crash-safe, which tests do not need. */
  private static final Map<String, String> TEST_SETTINGS =
      Map.of(
          "fsync", "off",
          "synchronous_commit", "off",
          "full_page_writes", "off",
          "max_connections", "300");

  private static PostgresServer shared;

  private final EmbeddedPostgres embedded;
  private final String baseUrl;
  private final String user;
  private final String password;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicInteger databases = new AtomicInteger();
  private String template;

  private PostgresServer(EmbeddedPostgres embedded, String baseUrl, String user, String password) {
    this.embedded = embedded;
    this.baseUrl = baseUrl;
    this.user = user;
    this.password = password;
  }

  /**
   * The server shared by every test of this JVM, started on first use and stopped when the JVM
   * exits. Its embedded variant trades durability for speed ({@code fsync=off}).
   *
   * @return the shared server
   */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      shared = start(TEST_SETTINGS);
      PostgresServer server = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "minispod-postgres-stop"));
    }
    return shared;
  }

  /**
   * Starts a server of one's own: the external one when {@code MINISPOD_DB_URL} is set, otherwise
   * an embedded PostgreSQL with the given server settings (an empty map keeps PostgreSQL's
   * crash-safe defaults, which a benchmark wants).
   *
   * @param embeddedSettings {@code postgresql.conf} settings for the embedded server
   * @return a running server; close it to stop an embedded one
   */
  public static PostgresServer start(Map<String, String> embeddedSettings) {
    String url = System.getenv("MINISPOD_DB_URL");
    if (url != null && !url.isBlank()) {
      log.info("Using the external PostgreSQL server named by MINISPOD_DB_URL");
      return new PostgresServer(
          null,
          url,
          System.getenv().getOrDefault("MINISPOD_DB_USER", "postgres"),
          System.getenv().getOrDefault("MINISPOD_DB_PASSWORD", ""));
    }
    try {
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
      embeddedSettings.forEach(builder::setServerConfig);
      EmbeddedPostgres embedded = builder.start();
      log.info("Started an embedded PostgreSQL on port {}", embedded.getPort());
      return new PostgresServer(
          embedded,
          "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres",
          "postgres",
          "");
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    }
  }

  /**
   * Creates a new database with every MinisPod module's schema already migrated.
   *
   * @return the new database's JDBC URL
   */
  public synchronized String createDatabase() {
    if (template == null) {
      template = "minispod_template_" + runId;
      execute("CREATE DATABASE " + template);
      try (HikariDataSource migrator = pool(urlOf(template), 2)) {
        ModuleSchema.migrateAll(migrator);
      }
    }
    String name = "minispod_" + runId + "_" + databases.incrementAndGet();
    execute("CREATE DATABASE " + name + " TEMPLATE " + template);
    return urlOf(name);
  }

  /**
   * Drops a database made by {@link #createDatabase()}, ending its open connections.
   *
   * @param jdbcUrl the URL it returned
   */
  public void dropDatabase(String jdbcUrl) {
    String name = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /**
   * Opens a connection pool to a database of this server.
   *
   * @param jdbcUrl a URL from {@link #createDatabase()}
   * @param maximumSize the pool's size
   * @return a pool; close it when done
   */
  public HikariDataSource pool(String jdbcUrl, int maximumSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(maximumSize);
    config.setMinimumIdle(0);
    config.setPoolName(
        "minispod-" + jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT));
    return new HikariDataSource(config);
  }

  private String urlOf(String database) {
    int slash = baseUrl.lastIndexOf('/');
    int query = baseUrl.indexOf('?', slash);
    String suffix = query < 0 ? "" : baseUrl.substring(query);
    return baseUrl.substring(0, slash + 1) + database + suffix;
  }

  private void execute(String ddl) {
    try (Connection connection = DriverManager.getConnection(baseUrl, user, password);
        Statement statement = connection.createStatement()) {
      statement.execute(ddl);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL refused: " + ddl, e);
    }
  }

  /** Stops the embedded server; an external server is left running. */
  @Override
  public void close() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        log.warn("Could not stop the embedded PostgreSQL cleanly", e);
      }
    }
  }
}
