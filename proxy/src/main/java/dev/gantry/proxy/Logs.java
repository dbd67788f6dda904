package dev.gantry.proxy;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** The operational log's last lines written out before the process ends (the log is asynchronous). */
final class Logs {

  private Logs() {
  }

  static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }
}
