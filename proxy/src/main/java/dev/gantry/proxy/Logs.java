package dev.gantry.proxy;

import dev.gantry.proxy.log.GantryLoggerFactory;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/** The operational log's last lines written out before the process ends (the log is asynchronous). */
final class Logs {

  /** Long enough for a full queue on a busy machine, short enough not to hold a stopping pod up. */
  static final Duration FLUSH_WAIT = Duration.ofSeconds(2);

  private Logs() {
  }

  static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof GantryLoggerFactory loggers) {
      loggers.flush(FLUSH_WAIT);
    }
  }
}
