package dev.gantry.proxy.log;

import java.util.function.Function;
import org.slf4j.event.Level;

/**
 * The levels the proxy logs at: the root level from {@code GANTRY_LOG_LEVEL} (default INFO), and Netty's
 * loggers ({@code io.netty...}) at WARN unless the root level is quieter still.
 *
 * @param root the level of every logger but Netty's
 * @param problem why {@code GANTRY_LOG_LEVEL} was not used, for one warning line; null when it was (or is unset)
 */
record LogLevels(Level root, String problem) {

  static final String VARIABLE = "GANTRY_LOG_LEVEL";

  /** Reads {@code GANTRY_LOG_LEVEL} through {@code environment} (a name to its value, or null). */
  static LogLevels from(Function<String, String> environment) {
    String value = environment.apply(VARIABLE);
    if (value == null || value.isBlank()) {
      return new LogLevels(Level.INFO, null);
    }
    for (Level level : Level.values()) {
      if (level.name().equalsIgnoreCase(value.trim())) {
        return new LogLevels(level, null);
      }
    }
    return new LogLevels(Level.INFO, VARIABLE + " \"" + value + "\" is not a log level (TRACE, DEBUG, INFO, WARN "
        + "or ERROR): logging at INFO");
  }

  /** The least level (SLF4J's level int) the logger named {@code loggerName} logs. */
  int thresholdFor(String loggerName) {
    boolean netty = loggerName.equals("io.netty") || loggerName.startsWith("io.netty.");
    return netty ? Math.max(root.toInt(), Level.WARN.toInt()) : root.toInt();
  }
}
