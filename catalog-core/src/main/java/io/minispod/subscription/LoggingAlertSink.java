package io.minispod.subscription;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes alerts to the log: warnings for trouble, information for recoveries. */
final class LoggingAlertSink implements AlertSink {

  private static final Logger log = LoggerFactory.getLogger(LoggingAlertSink.class);

  @Override
  public void alert(Alert alert) {
    if (alert.kind() == Alert.Kind.RECOVERED) {
      log.info("Instance {} of {}: {}", alert.instanceId(), alert.userId(), alert.message());
    } else {
      log.warn("Instance {} of {}: {}", alert.instanceId(), alert.userId(), alert.message());
    }
  }
}
