package io.minispod.testkit;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives a test class its own freshly migrated PostgreSQL database, cloned
 * from the {@link PostgresServer#shared() shared server}'s template and dropped after the class.
 *
 * <pre>{@code
 * @RegisterExtension static final FreshDatabase db = new FreshDatabase();
 *
 * @Test
 * void something() {
 *   QuotaManager quota = QuotaManager.builder(db.dataSource()).build();
 *   …
 * }
 * }</pre>
 *
 * <p>{@link #newDataSource(int)} opens a further, independent connection pool to the same database,
 * which is how a test stands up a second "node".
 */
public final class FreshDatabase implements BeforeAllCallback, AfterAllCallback {

  private static final int DEFAULT_POOL_SIZE = 16;

  private final List<HikariDataSource> pools = new ArrayList<>();
  private String jdbcUrl;
  private DataSource dataSource;

  /** Creates the extension; register it in a static field with {@code @RegisterExtension}. */
  public FreshDatabase() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    jdbcUrl = PostgresServer.shared().createDatabase();
    dataSource = newDataSource(DEFAULT_POOL_SIZE);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    synchronized (pools) {
      pools.forEach(HikariDataSource::close);
      pools.clear();
    }
    PostgresServer.shared().dropDatabase(jdbcUrl);
  }

  /**
   * The class's default connection pool (16 connections).
   *
   * @return the pool
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * A jOOQ context over {@link #dataSource()}.
   *
   * @return a PostgreSQL-dialect context
   */
  public DSLContext dsl() {
    return DSL.using(dataSource, SQLDialect.POSTGRES);
  }

  /**
   * Opens another connection pool to this class's database, closed with the class.
   *
   * @param maximumSize the pool's size
   * @return the new pool
   */
  public DataSource newDataSource(int maximumSize) {
    HikariDataSource pool = PostgresServer.shared().pool(jdbcUrl, maximumSize);
    synchronized (pools) {
      pools.add(pool);
    }
    return pool;
  }

  /**
   * The database's JDBC URL.
   *
   * @return the URL
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }
}
