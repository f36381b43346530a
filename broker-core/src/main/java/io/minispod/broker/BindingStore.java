package io.minispod.broker;

import static io.minispod.broker.internal.db.Tables.SERVICE_BINDING;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/** Which platform-chosen binding ids bind which instance ids. */
final class BindingStore {

  /** A binding as stored. */
  record Row(String bindingId, String instanceId, String fingerprint) {}

  private final DSLContext dsl;
  private final Clock clock;

  BindingStore(DSLContext dsl, Clock clock) {
    this.dsl = dsl;
    this.clock = clock;
  }

  /** Inserts the binding unless its id is stored already; returns whether it was inserted. */
  boolean insert(Row row) {
    return dsl.insertInto(SERVICE_BINDING)
            .set(SERVICE_BINDING.BINDING_ID, row.bindingId())
            .set(SERVICE_BINDING.INSTANCE_ID, row.instanceId())
            .set(SERVICE_BINDING.REQUEST_FINGERPRINT, row.fingerprint())
            .set(
                SERVICE_BINDING.CREATED_AT,
                OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
            .onConflictDoNothing()
            .execute()
        == 1;
  }

  Optional<Row> find(String bindingId) {
    return dsl.selectFrom(SERVICE_BINDING)
        .where(SERVICE_BINDING.BINDING_ID.eq(bindingId))
        .fetchOptional()
        .map(r -> new Row(r.getBindingId(), r.getInstanceId(), r.getRequestFingerprint()));
  }

  List<String> ofInstance(String instanceId) {
    return dsl.select(SERVICE_BINDING.BINDING_ID)
        .from(SERVICE_BINDING)
        .where(SERVICE_BINDING.INSTANCE_ID.eq(instanceId))
        .orderBy(SERVICE_BINDING.BINDING_ID)
        .fetch(SERVICE_BINDING.BINDING_ID);
  }

  void delete(String bindingId) {
    dsl.deleteFrom(SERVICE_BINDING).where(SERVICE_BINDING.BINDING_ID.eq(bindingId)).execute();
  }
}
