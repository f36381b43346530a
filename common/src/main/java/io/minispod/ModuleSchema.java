package io.minispod;

import java.util.Comparator;
import java.util.ServiceLoader;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL schema a MinisPod module owns, and the Flyway scripts that build it.
 *
 * <p>Each module keeps its own schema ({@code minispod_quota}, {@code minispod_billing}, …) and its
 * own Flyway history table inside it, so a host can adopt one module at a time and never shares a
 * history table with its own migrations. Modules register their implementation with {@link
 * java.util.ServiceLoader}, which lets a host (or the test kit) migrate every module on the
 * classpath with {@link #migrateAll(DataSource)}.
 */
public interface ModuleSchema {

  /**
   * The schema name, such as {@code minispod_quota}.
   *
   * @return the schema the module's tables live in
   */
  String schema();

  /**
   * Where the module's Flyway scripts live, such as {@code classpath:db/minispod/quota}.
   *
   * @return a Flyway location
   */
  String scriptLocation();

  /**
   * Brings the schema up to date, creating it if needed. Safe to call from several nodes at once:
   * Flyway serialises them on the history table.
   *
   * @param dataSource the database to migrate
   */
  default void migrate(DataSource dataSource) {
    Flyway.configure(getClass().getClassLoader())
        .dataSource(dataSource)
        .schemas(schema())
        .createSchemas(true)
        .table("flyway_schema_history")
        .locations(scriptLocation())
        .load()
        .migrate();
  }

  /**
   * Migrates the schema of every MinisPod module found on the class path, in schema-name order
   * (module schemas do not reference each other, so any order is valid).
   *
   * @param dataSource the database to migrate
   */
  static void migrateAll(DataSource dataSource) {
    ServiceLoader.load(ModuleSchema.class).stream()
        .map(ServiceLoader.Provider::get)
        .sorted(Comparator.comparing(ModuleSchema::schema))
        .forEach(module -> module.migrate(dataSource));
  }
}
