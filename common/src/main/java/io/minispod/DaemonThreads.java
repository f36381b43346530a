package io.minispod;

import java.util.concurrent.ThreadFactory;

/**
 * Threads for the library's background work (schedulers, senders, renewals). They are daemon
 * threads, so they never keep a host's JVM alive, and they carry a name a thread dump can be read
 * by.
 */
public final class DaemonThreads {

  private DaemonThreads() {}

  /**
   * A factory of daemon threads, each with the given name.
   *
   * @param name the threads' name, such as {@code minispod-quota-reclaimer}
   * @return the factory
   */
  public static ThreadFactory named(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
