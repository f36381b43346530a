package io.minispod.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

final class FreshDatabaseIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  @Test
  void createDatabase_givesIsolatedDatabasesOnOneServer() {
    PostgresServer server = PostgresServer.shared();
    String otherUrl = server.createDatabase();
    DSLContext mine = db.dsl();
    mine.createTable("scratch").column("n", org.jooq.impl.SQLDataType.INTEGER).execute();
    mine.insertInto(table(name("scratch")), field(name("n"))).values(42).execute();

    try (var other = server.pool(otherUrl, 1)) {
      DSLContext theirs = DSL.using(other, SQLDialect.POSTGRES);
      assertThat(theirs.meta().getTables("scratch")).isEmpty();
      assertThat(otherUrl).isNotEqualTo(db.jdbcUrl());
    } finally {
      server.dropDatabase(otherUrl);
    }
    assertThat(mine.fetchValue("select n from scratch")).isEqualTo(42);
  }

  @Test
  void newDataSource_reachesTheSameDatabase() {
    DSLContext secondNode = DSL.using(db.newDataSource(2), SQLDialect.POSTGRES);

    assertThat(secondNode.fetchValue("select current_database()"))
        .isEqualTo(db.dsl().fetchValue("select current_database()"));
    assertThat(secondNode.fetchValue("show server_version").toString()).startsWith("17.");
  }
}
