package io.minispod.benchmarks;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Wraps a data source and counts what its users ask of the database: statements executed (a JDBC
 * batch is sent in one round trip and counts as one) and transactions (every commit, and every
 * statement run in autocommit, which PostgreSQL commits as a transaction of its own).
 */
final class StatementCounter {

  private final LongAdder statements = new LongAdder();
  private final LongAdder transactions = new LongAdder();

  /** The data source to hand out instead of the real one. */
  DataSource wrap(DataSource dataSource) {
    return proxy(
        DataSource.class,
        dataSource,
        (method, result) ->
            result instanceof Connection connection
                ? proxy(Connection.class, connection, this::onConnectionCall)
                : result);
  }

  long statements() {
    return statements.sum();
  }

  long transactions() {
    return transactions.sum();
  }

  private Object onConnectionCall(Method method, Object result) {
    if (method.getName().equals("commit")) {
      transactions.increment();
    }
    if (result instanceof Statement statement) {
      return statement instanceof PreparedStatement prepared
          ? proxy(PreparedStatement.class, prepared, (m, r) -> r)
          : proxy(Statement.class, statement, (m, r) -> r);
    }
    return result;
  }

  /** A proxy that forwards every call and lets {@code after} see (and replace) the result. */
  @SuppressWarnings("unchecked")
  private <T> T proxy(Class<T> type, T target, After after) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          countIfExecution(target, method);
          try {
            return after.apply(method, method.invoke(target, args));
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private void countIfExecution(Object target, Method method) throws Exception {
    if (target instanceof Statement statement && method.getName().startsWith("execute")) {
      statements.increment();
      if (statement.getConnection().getAutoCommit()) {
        transactions.increment();
      }
    }
  }

  @FunctionalInterface
  private interface After {
    Object apply(Method method, Object result) throws Exception;
  }
}
