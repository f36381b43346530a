package io.minispod.catalog.internal;

import io.minispod.ErrorCode;
import io.minispod.MinisPodException;
import java.util.Map;
import org.jooq.exception.DataAccessException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Turns jOOQ's database errors into MinisPod errors that name the SQL state, never the SQL. */
public final class DatabaseFailures {

  static final String UNIQUE_VIOLATION = "23505";

  private DatabaseFailures() {}

  public static MinisPodException internal(DataAccessException e) {
    String state = String.valueOf(e.sqlState());
    return new MinisPodException(
        ErrorCode.INTERNAL_ERROR,
        "The catalog store failed (SQL state " + state + ")",
        Map.of("sqlState", state),
        e);
  }

  /** The constraint a unique violation broke, or {@code null}. */
  public static String violatedUnique(DataAccessException e) {
    if (!UNIQUE_VIOLATION.equals(e.sqlState())) {
      return null;
    }
    PSQLException cause = e.getCause(PSQLException.class);
    ServerErrorMessage message = cause == null ? null : cause.getServerErrorMessage();
    return message == null ? null : message.getConstraint();
  }
}
