package dev.gantry.proxy.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import org.slf4j.event.Level;

/**
 * One line of the operational log: {@code 2026-11-30T08:45:22.493Z INFO  GantryProxy - message}, the time in
 * the clock's zone with its offset, the level padded to five, the logger's last name segment, the message,
 * then a throwable's stack trace when there is one.
 */
final class LineFormat {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

  private final Clock clock;

  LineFormat(Clock clock) {
    this.clock = clock;
  }

  String line(Level level, String loggerName, String message, Throwable thrown) {
    String text = String.valueOf(message);
    StringBuilder line = new StringBuilder(64 + text.length());
    TIME.formatTo(clock.instant().atZone(clock.getZone()), line);
    line.append(' ').append(level.name());
    for (int i = level.name().length(); i < 5; i++) {
      line.append(' ');
    }
    line.append(' ').append(simpleName(loggerName)).append(" - ").append(text).append('\n');
    if (thrown != null) {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      line.append(trace);
    }
    return line.toString();
  }

  /** {@code dev.gantry.proxy.GantryProxy} → {@code GantryProxy}. */
  static String simpleName(String loggerName) {
    return loggerName.substring(loggerName.lastIndexOf('.') + 1);
  }
}
