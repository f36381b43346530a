package io.minispod.quota;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** Wraps a data source and records which threads borrow its connections and how many commits. */
final class ObservedDataSource {

  private final List<String> borrowers = new CopyOnWriteArrayList<>();
  private final AtomicInteger commits = new AtomicInteger();
  private final DataSource observed;

  ObservedDataSource(DataSource dataSource) {
    observed =
        proxy(
            DataSource.class,
            dataSource,
            (method, result) -> {
              if (result instanceof Connection connection) {
                borrowers.add(Thread.currentThread().getName());
                return proxy(
                    Connection.class,
                    connection,
                    (call, returned) -> {
                      if (call.getName().equals("commit")) {
                        commits.incrementAndGet();
                      }
                      return returned;
                    });
              }
              return result;
            });
  }

  DataSource dataSource() {
    return observed;
  }

  /** The names of the threads that borrowed a connection, in order. */
  List<String> borrowers() {
    return List.copyOf(borrowers);
  }

  int commits() {
    return commits.get();
  }

  void forget() {
    borrowers.clear();
    commits.set(0);
  }

  @FunctionalInterface
  private interface After {
    Object apply(java.lang.reflect.Method method, Object result) throws Exception;
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, T target, After after) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              try {
                return after.apply(method, method.invoke(target, args));
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
