package dev.gantry.proxy.log;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The proxy's loggers. A logger formats its line on the caller's thread and hands it to a {@link LogQueue}
 * that never makes the caller wait; {@link #flush} writes out what is queued as the process ends.
 */
public final class GantryLoggerFactory implements ILoggerFactory {

  private final LogLevels levels;
  private final LineFormat format;
  private final LogQueue queue;
  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final List<Consumer<LogEvent>> taps = new CopyOnWriteArrayList<>();

  private GantryLoggerFactory(LogLevels levels, LineFormat format, LogQueue queue) {
    this.levels = levels;
    this.format = format;
    this.queue = queue;
  }

  /**
   * Loggers at the levels {@code environment} asks for (see {@link LogLevels}), writing to {@code out} through a
   * queue of {@code capacity} lines, stamped by {@code clock}; a bad level is reported in the log's first line.
   */
  static GantryLoggerFactory start(Function<String, String> environment, Clock clock, OutputStream out,
      int capacity) {
    LogLevels levels = LogLevels.from(environment);
    LineFormat format = new LineFormat(clock);
    GantryLoggerFactory factory = new GantryLoggerFactory(levels, format, new LogQueue(capacity, out, format).start());
    if (levels.problem() != null) {
      factory.getLogger(LogLevels.class.getName()).warn(levels.problem());
    }
    return factory;
  }

  @Override
  public Logger getLogger(String name) {
    Logger known = loggers.get(name);
    if (known != null) {
      return known;
    }
    return loggers.computeIfAbsent(name, n -> new GantryLogger(n, levels.thresholdFor(n), this));
  }

  /** Writes out every line logged before the call, waiting at most {@code timeout}; false if that ran out. */
  public boolean flush(Duration timeout) {
    return queue.flush(timeout);
  }

  void log(String logger, Level level, String message, Throwable thrown) {
    if (!taps.isEmpty()) {
      LogEvent event = new LogEvent(logger, level, message, thrown);
      taps.forEach(tap -> tap.accept(event));
    }
    queue.offer(format.line(level, logger, message, thrown));
  }

  /** Also hands every logged event to {@code tap}, on the logging thread (how tests see what was logged). */
  void addTap(Consumer<LogEvent> tap) {
    taps.add(tap);
  }

  void removeTap(Consumer<LogEvent> tap) {
    taps.remove(tap);
  }
}
