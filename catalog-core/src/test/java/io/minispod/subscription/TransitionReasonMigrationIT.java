package io.minispod.subscription;

import static io.minispod.catalog.internal.db.Tables.INSTANCE_TRANSITION;
import static org.assertj.core.api.Assertions.assertThat;

import io.minispod.catalog.internal.Columns;
import io.minispod.testkit.FreshDatabase;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * V19 makes the reasons of status transitions fit to show their owners: those of failures and
 * failed health checks recorded before failures were categorised (without a reference) may hold
 * what the platform said, and are replaced by a neutral sentence; every other reason is kept.
 */
final class TransitionReasonMigrationIT {

  @RegisterExtension static final FreshDatabase db = new FreshDatabase();

  private static FluentConfiguration catalogFlyway() {
    return Flyway.configure(TransitionReasonMigrationIT.class.getClassLoader())
        .dataSource(db.dataSource())
        .schemas("minispod_catalog")
        .createSchemas(true)
        .table("flyway_schema_history")
        .locations("classpath:db/minispod/catalog");
  }

  @Test
  void v19_replacesUnreferencedReasonsOfFailuresAndDegradations_andKeepsTheRest() {
    DSLContext dsl = db.dsl();
    dsl.dropSchema("minispod_catalog").cascade().execute();
    catalogFlyway().target("18").load().migrate();
    // Transitions alone, as an older version wrote them; their instances do not matter here.
    dsl.alterTable(INSTANCE_TRANSITION).dropConstraint("instance_transition_instance_fk").execute();
    UUID instance = UUID.randomUUID();
    String[][] rows = {
      {
        "PROVISIONING",
        "FAILED",
        "Instance x: deployments.apps is forbidden: User \"system:serviceaccount:minispod:p\""
      },
      {"RUNNING", "DEGRADED", "ErrImagePull: registry.internal:5000/app:1: 401 Unauthorized"},
      {
        "PROVISIONING",
        "FAILED",
        "Instance x: the app's image could not be pulled (reference ab12cd34)"
      },
      {
        "RUNNING",
        "DEGRADED",
        "health check failed: Instance x: the platform is unavailable at the moment; try again later (reference 0f0f0f0f)"
      },
      {"PROVISIONING", "RUNNING", "provisioned"},
      {"DEGRADED", "RUNNING", "healthy again"}
    };
    for (String[] row : rows) {
      dsl.insertInto(INSTANCE_TRANSITION)
          .set(INSTANCE_TRANSITION.INSTANCE_ID, instance)
          .set(INSTANCE_TRANSITION.FROM_STATUS, InstanceStatus.valueOf(row[0]))
          .set(INSTANCE_TRANSITION.TO_STATUS, InstanceStatus.valueOf(row[1]))
          .set(INSTANCE_TRANSITION.REASON, row[2])
          .set(INSTANCE_TRANSITION.RECORDED_AT, Columns.at(Instant.parse("2026-01-01T00:00:00Z")))
          .execute();
    }

    catalogFlyway().load().migrate();

    assertThat(
            dsl.select(INSTANCE_TRANSITION.REASON)
                .from(INSTANCE_TRANSITION)
                .where(INSTANCE_TRANSITION.INSTANCE_ID.eq(instance))
                .orderBy(INSTANCE_TRANSITION.TRANSITION_ID)
                .fetch(INSTANCE_TRANSITION.REASON))
        .containsExactly(
            "provisioning failed",
            "failed its health checks",
            rows[2][2],
            rows[3][2],
            "provisioned",
            "healthy again");
  }
}
