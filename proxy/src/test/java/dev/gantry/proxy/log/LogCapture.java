package dev.gantry.proxy.log;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * What the loggers named {@code prefix} or {@code prefix.*} log from now until {@link #close}, seen through a tap
 * on the proxy's own provider as each event is logged.
 */
public final class LogCapture implements AutoCloseable {

  private final String prefix;
  private final GantryLoggerFactory loggers;
  private final List<LogEvent> events = new CopyOnWriteArrayList<>();
  private final Consumer<LogEvent> tap = this::take;

  private LogCapture(String prefix, GantryLoggerFactory loggers) {
    this.prefix = prefix;
    this.loggers = loggers;
    loggers.addTap(tap);
  }

  /** Captures from the provider SLF4J found, which must be the proxy's. */
  public static LogCapture of(String prefix) {
    return new LogCapture(prefix, (GantryLoggerFactory) LoggerFactory.getILoggerFactory());
  }

  public List<LogEvent> events() {
    return List.copyOf(events);
  }

  public List<String> messages() {
    return events.stream().map(LogEvent::message).toList();
  }

  private void take(LogEvent event) {
    if (event.logger().equals(prefix) || event.logger().startsWith(prefix + ".")) {
      events.add(event);
    }
  }

  @Override
  public void close() {
    loggers.removeTap(tap);
  }
}
