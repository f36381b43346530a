package io.minispod.subscription;

/**
 * Where the health monitor reports what needs a human's (or a pager's) attention. The default
 * writes to the log; hosts plug in their own (e-mail, Slack, PagerDuty).
 */
@FunctionalInterface
public interface AlertSink {

  /** An alert sink that logs every alert through SLF4J. */
  AlertSink LOGGING = new LoggingAlertSink();

  /**
   * Receives one alert. Called from the health monitor's thread; must not block for long and should
   * not throw (a thrown exception is logged and the round goes on).
   *
   * @param alert what happened
   */
  void alert(Alert alert);
}
